import { describe, expect, it } from "vitest";
import {
  checkSerialization,
  csvInputSchema,
  inputSerializationSchema,
  outputSerializationSchema,
  scanRangeSchema,
  serializationErrorCode,
} from "./input-options.ts";
import { resolveScanRange } from "./scan-range.ts";
import { isAppError } from "../../../errors/app-error.ts";

describe("serialization schemas", () => {
  it("accepts XML-shaped input serialization", () => {
    const parsed = inputSerializationSchema.parse({
      CSV: { FileHeaderInfo: "USE", AllowQuotedRecordDelimiter: "TRUE", RecordDelimiter: "\r\n", Comments: "#" },
      CompressionType: "GZIP",
    });
    expect(parsed.CSV?.AllowQuotedRecordDelimiter).toBe(true);
    expect(inputSerializationSchema.parse({ JSON: { Type: "LINES" } }).JSON?.Type).toBe("LINES");
    expect(inputSerializationSchema.parse({ CSV: "" }).CSV).toEqual({});
    expect(csvInputSchema.parse({ AllowQuotedRecordDelimiter: false })).toEqual({ AllowQuotedRecordDelimiter: false });
  });

  it("rejects invalid input serialization", () => {
    expect(inputSerializationSchema.safeParse({}).success).toBe(false);
    expect(inputSerializationSchema.safeParse({ CSV: {}, JSON: { Type: "LINES" } }).success).toBe(false);
    expect(inputSerializationSchema.safeParse({ Parquet: {}, JSON: { Type: "LINES" } }).success).toBe(false);
    expect(inputSerializationSchema.safeParse({ Parquet: {}, CSV: {} }).success).toBe(false);
    expect(inputSerializationSchema.safeParse({ CSV: { FileHeaderInfo: "MAYBE" } }).success).toBe(false);
    expect(inputSerializationSchema.safeParse({ CSV: { QuoteCharacter: "''" } }).success).toBe(false);
    expect(inputSerializationSchema.safeParse({ JSON: { Type: "OTHER" } }).success).toBe(false);
    expect(inputSerializationSchema.safeParse({ CSV: {}, CompressionType: "ZIP" }).success).toBe(false);
  });

  it("accepts Parquet input, empty element or object, only without whole-object compression", () => {
    expect(inputSerializationSchema.parse({ Parquet: "" }).Parquet).toEqual({});
    expect(inputSerializationSchema.parse({ Parquet: {} }).Parquet).toEqual({});
    expect(inputSerializationSchema.parse({ Parquet: {}, CompressionType: "NONE" }).CompressionType).toBe("NONE");
    for (const compression of ["GZIP", "BZIP2"]) {
      const result = inputSerializationSchema.safeParse({ Parquet: {}, CompressionType: compression });
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.path).toEqual(["CompressionType"]);
    }
    expect(inputSerializationSchema.safeParse({ Parquet: "x" }).success).toBe(false);
  });

  it("accepts output serialization", () => {
    expect(outputSerializationSchema.parse({ CSV: { QuoteFields: "ALWAYS" } }).CSV?.QuoteFields).toBe("ALWAYS");
    expect(outputSerializationSchema.parse({ JSON: "" }).JSON).toEqual({});
    expect(outputSerializationSchema.safeParse({}).success).toBe(false);
    expect(outputSerializationSchema.safeParse({ CSV: { QuoteFields: "SOMETIMES" } }).success).toBe(false);
  });

  it("parses and resolves ScanRange", () => {
    expect(scanRangeSchema.parse({ Start: "10", End: "20" })).toEqual({ Start: 10, End: 20 });
    expect(scanRangeSchema.safeParse({ Start: "-1" }).success).toBe(false);
    expect(resolveScanRange(undefined)).toBeUndefined();
    expect(resolveScanRange({})).toBeUndefined();
    expect(resolveScanRange({ Start: 10, End: 20 })).toEqual({ start: 10, end: 20 });
    expect(resolveScanRange({ Start: 10 })).toEqual({ start: 10 });
    expect(resolveScanRange({ End: 30 }, 100)).toEqual({ start: 70 });
    expect(resolveScanRange({ End: 300 }, 100)).toEqual({ start: 0 });
    for (const bad of [() => resolveScanRange({ End: 30 }), () => resolveScanRange({ Start: 5, End: 4 })]) {
      let error: unknown;
      try {
        bad();
      } catch (caught) {
        error = caught;
      }
      expect(isAppError(error) && error.code).toBe("InvalidArgument");
    }
  });

  it("gives each bad option value AWS's code, cross-option problems none", () => {
    const codeOf = (input: unknown, output: unknown = { CSV: {} }): string | false => {
      try {
        checkSerialization(input, output);
        return false;
      } catch (error) {
        return isAppError(error) && error.code;
      }
    };
    expect(codeOf({ CSV: { FileHeaderInfo: "USE" }, CompressionType: "GZIP" }, { JSON: {} })).toBe(false);
    expect(codeOf({ CSV: {} }, { CSV: { QuoteFields: "SOMETIMES" } })).toBe("InvalidQuoteFields");
    expect(codeOf({ CSV: { FileHeaderInfo: "MAYBE" } })).toBe("InvalidFileHeaderInfo");
    expect(codeOf({ JSON: { Type: "LINE" } })).toBe("InvalidJsonType");
    expect(codeOf({ CSV: {}, CompressionType: "ZIP" })).toBe("InvalidCompressionFormat");
    expect(codeOf({ CSV: { FieldDelimiter: ";;" } })).toBe("InvalidRequestParameter");
    expect(codeOf({ CSV: { RecordDelimiter: "" } })).toBe("InvalidRequestParameter");
    expect(codeOf({ CSV: {} }, { CSV: { RecordDelimiter: "abc" } })).toBe("InvalidRequestParameter");
    expect(codeOf({ CSV: { QuoteCharacter: "''" } })).toBe("InvalidRequestParameter");
    // Not one option's value: the generic code.
    expect(codeOf({ Parquet: {}, CompressionType: "GZIP" })).toBe("InvalidArgument");
    expect(codeOf({ CSV: {}, JSON: { Type: "LINES" } })).toBe("InvalidArgument");
    expect(codeOf({ CSV: {} }, {})).toBe("InvalidArgument");
    expect(codeOf({ CSV: { AllowQuotedRecordDelimiter: "MAYBE" } })).toBe("InvalidArgument");
    expect(serializationErrorCode({ path: ["Other", "Type"], code: "invalid_value" })).toBeUndefined();
  });
});
