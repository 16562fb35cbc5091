/** The characters that split one CSV record into fields. */
export interface FieldSyntax {
  fieldDelimiter: string;
  quote: string;
  escape: string;
}

/**
 * Splits one record's text (no record delimiter) into fields. A field that
 * starts with the quote character is quoted: inside it the escape character
 * followed by a quote (or, when escape differs from quote, by itself) stands for
 * that character, and a doubled quote stands for one quote. Text after the
 * closing quote up to the next delimiter is kept as is; an unterminated quoted
 * field runs to the end of the record.
 */
export function splitFields(text: string, syntax: FieldSyntax): string[] {
  const { fieldDelimiter: delim, quote, escape } = syntax;
  if (!text.includes(quote)) return text.split(delim);
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (text.startsWith(quote, i)) {
      let value = "";
      let j = i + quote.length;
      let closed = false;
      while (j < text.length) {
        if (escape !== quote && text.startsWith(escape, j)) {
          const next = j + escape.length;
          if (text.startsWith(quote, next)) {
            value += quote;
            j = next + quote.length;
            continue;
          }
          if (text.startsWith(escape, next)) {
            value += escape;
            j = next + escape.length;
            continue;
          }
        }
        if (text.startsWith(quote, j)) {
          if (text.startsWith(quote, j + quote.length)) {
            value += quote;
            j += 2 * quote.length;
            continue;
          }
          j += quote.length;
          closed = true;
          break;
        }
        value += text[j];
        j += 1;
      }
      if (!closed) {
        fields.push(value);
        return fields;
      }
      const end = text.indexOf(delim, j);
      if (end === -1) {
        fields.push(value + text.slice(j));
        return fields;
      }
      fields.push(value + text.slice(j, end));
      i = end + delim.length;
    } else {
      const end = text.indexOf(delim, i);
      if (end === -1) {
        fields.push(text.slice(i));
        return fields;
      }
      fields.push(text.slice(i, end));
      i = end + delim.length;
    }
  }
}
