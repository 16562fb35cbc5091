import { CSV_DEFAULTS, type CsvOutput } from "./input-options.ts";

export type CsvOutputValue = string | number | boolean | bigint | null | undefined;

/**
 * Formats one output record, record delimiter included. QuoteFields ASNEEDED
 * (default) quotes a field that contains the field delimiter, the quote
 * character, the escape character, the record delimiter, "\r" or "\n"; ALWAYS
 * quotes every field (empty ones too). Inside quotes, the quote character (and
 * the escape character, when it differs) is preceded by the escape character.
 * null and undefined (MISSING) become an empty field.
 */
export function csvOutputRecord(values: readonly CsvOutputValue[], options: CsvOutput): string {
  const fieldDelimiter = options.FieldDelimiter ?? CSV_DEFAULTS.FieldDelimiter;
  const recordDelimiter = options.RecordDelimiter ?? CSV_DEFAULTS.RecordDelimiter;
  const quote = options.QuoteCharacter ?? CSV_DEFAULTS.QuoteCharacter;
  const escape = options.QuoteEscapeCharacter ?? CSV_DEFAULTS.QuoteEscapeCharacter;
  const always = options.QuoteFields === "ALWAYS";

  const needsQuotes = (text: string): boolean =>
    text.includes(fieldDelimiter) ||
    text.includes(quote) ||
    text.includes(escape) ||
    text.includes(recordDelimiter) ||
    text.includes("\n") ||
    text.includes("\r");

  const quoted = (text: string): string => {
    let body = text;
    if (escape !== quote) body = body.split(escape).join(escape + escape);
    body = body.split(quote).join(escape + quote);
    return quote + body + quote;
  };

  return (
    values
      .map((value) => {
        const text = value === null || value === undefined ? "" : String(value);
        return always || needsQuotes(text) ? quoted(text) : text;
      })
      .join(fieldDelimiter) + recordDelimiter
  );
}
