/**
 * Runs every case of the S3 Select conformance corpus (the other files of this
 * directory) through runSelect, decoding the event stream with the independent
 * decoder of test/support. Records are the concatenated Records payloads; a run must
 * end with Stats then End. An error case either throws an AppError before any message
 * or (after output began) ends with an error message carrying the S3 code.
 */
import { describe, expect, it } from "vitest";
import { AppError } from "../../../errors/app-error.ts";
import { httpStatusOf, s3CodeOf } from "../../../errors/error-mapping.ts";
import { decodeOneMessage, type DecodedMessage } from "../../../../test/support/event-stream-decoder.ts";
import { bytesStream } from "../io/test-streams.ts";
import { runSelect } from "../run-select.ts";
import { selectObjectFromStream } from "../select-object.ts";
import { CORPUS_NOW, type CorpusCase } from "./case.ts";
import { aggregatesCases } from "./aggregates.ts";
import { castsAndTypesCases } from "./casts-and-types.ts";
import { clausesAndPathsCases } from "./clauses-and-paths.ts";
import { compressionAndScanRangeCases } from "./compression-and-scan-range.ts";
import { csvInputOptionsCases } from "./csv-input-options.ts";
import { errorsAndLimitsCases } from "./errors-and-limits.ts";
import { functionsConditionalCases } from "./functions-conditional.ts";
import { functionsDateCases } from "./functions-date.ts";
import { functionsStringCases } from "./functions-string.ts";
import { jsonInputCases } from "./json-input.ts";
import { operatorsCases } from "./operators.ts";
import { outputOptionsCases } from "./output-options.ts";

const FILES: Record<string, readonly CorpusCase[]> = {
  "clauses-and-paths": clausesAndPathsCases,
  operators: operatorsCases,
  "casts-and-types": castsAndTypesCases,
  "functions-string": functionsStringCases,
  "functions-date": functionsDateCases,
  "functions-conditional": functionsConditionalCases,
  aggregates: aggregatesCases,
  "csv-input-options": csvInputOptionsCases,
  "json-input": jsonInputCases,
  "compression-and-scan-range": compressionAndScanRangeCases,
  "output-options": outputOptionsCases,
  "errors-and-limits": errorsAndLimitsCases,
};

interface Outcome {
  messages: DecodedMessage[];
  thrown: unknown;
}

function typeOf(m: DecodedMessage): string {
  return m.headers[":message-type"] === "error" ? "error" : (m.headers[":event-type"] ?? "?");
}

async function run(c: CorpusCase): Promise<Outcome> {
  const bytes = typeof c.data === "string" ? Buffer.from(c.data, "utf8") : c.data;
  // Small inputs arrive in 13-byte chunks (records and characters cut across chunks);
  // big ones in 64 KiB chunks, as from a socket.
  const messages: DecodedMessage[] = [];
  let thrown: unknown;
  try {
    await runSelect(
      { expression: c.expression, input: c.input, output: c.output, ...(c.scanRange === undefined ? {} : { scanRange: c.scanRange }) },
      selectObjectFromStream(bytesStream(bytes, bytes.length > 65_536 ? 65_536 : 13), bytes.length),
      { message: (b) => messages.push(decodeOneMessage(b)) },
      { now: () => CORPUS_NOW },
    );
  } catch (error) {
    thrown = error;
  }
  return { messages, thrown };
}

function recordsOf(messages: DecodedMessage[]): string {
  return Buffer.concat(messages.filter((m) => typeOf(m) === "Records").map((m) => m.payload)).toString("utf8");
}

describe("S3 Select conformance corpus", () => {
  it("has 250+ cases with unique names", () => {
    const all = Object.values(FILES).flat();
    expect(all.length).toBeGreaterThanOrEqual(250);
    const names = new Set<string>();
    for (const [file, cases] of Object.entries(FILES)) for (const c of cases) names.add(`${file}: ${c.name}`);
    expect(names.size).toBe(all.length);
  });

  for (const [file, cases] of Object.entries(FILES)) {
    describe(file, () => {
      for (const c of cases) {
        it(c.name, async () => {
          const { messages, thrown } = await run(c);
          const types = messages.map(typeOf);
          if ("records" in c.expect) {
            if (thrown !== undefined) throw thrown;
            expect(types.slice(-2)).toEqual(["Stats", "End"]);
            expect(recordsOf(messages)).toBe(c.expect.records);
            return;
          }
          const want = c.expect.error;
          const status = want.httpStatus ?? 400;
          expect(httpStatusOf(want.code)).toBe(status);
          let message: string;
          if (thrown !== undefined) {
            if (!(thrown instanceof AppError)) throw thrown;
            expect({ code: thrown.code, message: thrown.message }).toMatchObject({ code: want.code });
            expect(messages).toEqual([]);
            message = thrown.message;
          } else {
            expect(types.at(-1), `expected an error, got records ${JSON.stringify(recordsOf(messages))}`).toBe("error");
            expect(types).not.toContain("End");
            const last = messages.at(-1);
            expect(last?.headers[":error-code"]).toBe(s3CodeOf(want.code));
            message = last?.headers[":error-message"] ?? "";
            if (want.recordsBefore !== undefined) expect(recordsOf(messages)).toBe(want.recordsBefore);
          }
          if (want.position !== undefined) {
            expect(message).toContain(`line ${want.position.line}, column ${want.position.column}`);
          }
        });
      }
    });
  }
});
