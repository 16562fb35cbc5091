/** A request's signing time, in both forms the signature needs. */
export interface RequestTime {
  epochMs: number;
  /** ISO 8601 basic, "20261123T093000Z": the form in every string to sign. */
  amzDate: string;
}

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

export function parseAmzDate(text: string): RequestTime | undefined {
  const match = AMZ_DATE.exec(text.trim());
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second] = match.map(Number) as [number, number, number, number, number, number, number];
  const epochMs = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC rolls "20261340" over into a real date; reject instead of guessing.
  if (formatAmzDate(epochMs) !== text.trim()) return undefined;
  return { epochMs, amzDate: text.trim() };
}

/** The HTTP `Date` header (RFC 7231), used when x-amz-date is absent. */
export function parseHttpDate(text: string): RequestTime | undefined {
  const epochMs = Date.parse(text);
  if (Number.isNaN(epochMs)) return undefined;
  return { epochMs, amzDate: formatAmzDate(epochMs) };
}

export function formatAmzDate(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, "Z").replace(/[-:]/g, "");
}
