import { describe, expect, it } from "vitest";
import { csvOutputRecord } from "./csv-output.ts";
import { OMIT, jsonOutputRecord } from "./json-output.ts";

describe("csvOutputRecord", () => {
  it("writes with AWS defaults, quoting as needed", () => {
    expect(csvOutputRecord(["a", 1, true, null, undefined, 2.5], {})).toBe("a,1,true,,,2.5\n");
    expect(csvOutputRecord(["x,y", 'say "hi"', "two\nlines", "cr\r", "plain"], {})).toBe(
      '"x,y","say ""hi""","two\nlines","cr\r",plain\n',
    );
  });

  it("quotes every field with ALWAYS", () => {
    expect(csvOutputRecord(["a", 1, null], { QuoteFields: "ALWAYS" })).toBe('"a","1",""\n');
  });

  it("uses custom delimiters, quote and escape characters", () => {
    const options = { FieldDelimiter: "|", RecordDelimiter: "\r\n", QuoteCharacter: "'", QuoteEscapeCharacter: "\\" };
    expect(csvOutputRecord(["a|b", "it's", "back\\slash", "a,b", "x\r\ny"], options)).toBe(
      "'a|b'|'it\\'s'|'back\\\\slash'|a,b|'x\r\ny'\r\n",
    );
    expect(csvOutputRecord(["a;b", "c"], { RecordDelimiter: ";" })).toBe('"a;b",c;');
  });

  it("writes a record with no values as an empty line", () => {
    expect(csvOutputRecord([], {})).toBe("\n");
  });
});

describe("jsonOutputRecord", () => {
  it("keeps key order and leaves MISSING fields out", () => {
    expect(jsonOutputRecord({ b: 1, a: "x", gone: OMIT, c: null, also: undefined }, {})).toBe('{"b":1,"a":"x","c":null}\n');
  });

  it("writes nested values, omitting nested MISSING fields", () => {
    expect(jsonOutputRecord({ o: { x: OMIT, y: [1, OMIT] }, big: 12n }, { RecordDelimiter: "," })).toBe(
      '{"o":{"y":[1,null]},"big":12},',
    );
  });

  it("writes an empty record", () => {
    expect(jsonOutputRecord({ only: OMIT }, {})).toBe("{}\n");
  });
});
