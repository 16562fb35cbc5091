/**
 * DATE_ADD, DATE_DIFF, EXTRACT and TO_STRING on Timestamps.
 *
 * DATE_ADD works on the local fields: years/months clamp the day to the month's
 * length (`2011-01-31T` + 1 month = `2011-02-28T`); other parts add elapsed time. The
 * result's precision grows as needed (month -> month, day -> day, hour/minute ->
 * minute, second -> second; a date gains time with offset `-00:00`).
 * DATE_DIFF counts whole parts from `from` to `to` (truncated toward zero): years and
 * months by calendar in UTC, the rest by elapsed time.
 * EXTRACT reads local fields (timezone_hour/minute are the signed offset parts).
 *
 * TO_STRING pattern letters (Java DateTimeFormatter style, as in the AWS reference):
 *   y (yy two digits, else zero-padded to the count), M (1-2 digits, MMM `Jul`,
 *   MMMM `July`, MMMMM `J`), d, H (0-23), h (1-12), a (AM/PM), m, s,
 *   S (fraction of second, one digit per letter), n (nano of second),
 *   X (`Z` for UTC, else X `+08` / `+0830`, XX `+0800`, XXX `+08:00`, XXXX `+0800`,
 *   XXXXX `+08:00`), x (as X but `+00` for UTC).
 *   Text in single quotes is literal (`''` is a quote); other non-letters are copied.
 *   Any other letter -> EvaluatorInvalidArguments (not implemented: era, week, day of
 *   week/year, zone names, quarter).
 */
import type { DatePart, ExtractPart } from "../sql/ast.ts";
import { sqlError } from "../sql/sql-error.ts";
import type { SourcePosition } from "../sql/tokens.ts";
import { Timestamp, daysInMonth, finerPrecision, utcMillis, type TimestampPrecision } from "./timestamp.ts";

const UNIT_MILLIS: Record<"day" | "hour" | "minute" | "second", number> = {
  day: 86_400_000,
  hour: 3_600_000,
  minute: 60_000,
  second: 1_000,
};

const ADD_PRECISION: Record<DatePart, TimestampPrecision> = {
  year: "year",
  month: "month",
  day: "day",
  hour: "minute",
  minute: "minute",
  second: "second",
};

export function dateAdd(part: DatePart, quantity: number, ts: Timestamp): Timestamp {
  const precision = finerPrecision(ts.precision, ADD_PRECISION[part]);
  if (part === "year" || part === "month") {
    const months = ts.year * 12 + (ts.month - 1) + (part === "year" ? quantity * 12 : quantity);
    const year = Math.floor(months / 12);
    const month = months - year * 12 + 1;
    const day = Math.min(ts.day, daysInMonth(year, month));
    return new Timestamp(year, month, day, ts.hour, ts.minute, ts.second, ts.fraction, ts.offsetMinutes, precision);
  }
  const local = ts.localMillis + quantity * UNIT_MILLIS[part];
  return Timestamp.fromLocalMillis(local, ts.fraction, ts.offsetMinutes, precision);
}

export function dateDiff(part: DatePart, from: Timestamp, to: Timestamp): bigint {
  if (part === "year" || part === "month") {
    const a = from.toUtc();
    const b = to.toUtc();
    let months = (b.year - a.year) * 12 + (b.month - a.month);
    // The rest of each instant within its month, to tell whether the last month is whole.
    const restA = from.epochNanos - BigInt(utcMillis(a.year, a.month, 1)) * 1_000_000n;
    const restB = to.epochNanos - BigInt(utcMillis(b.year, b.month, 1)) * 1_000_000n;
    if (months > 0 && restB < restA) months -= 1;
    if (months < 0 && restB > restA) months += 1;
    return BigInt(part === "year" ? Math.trunc(months / 12) : months);
  }
  const elapsed = to.epochNanos - from.epochNanos;
  return elapsed / (BigInt(UNIT_MILLIS[part]) * 1_000_000n);
}

export function extract(part: ExtractPart, ts: Timestamp): bigint {
  const offset = ts.offsetMinutes ?? 0;
  switch (part) {
    case "year":
      return BigInt(ts.year);
    case "month":
      return BigInt(ts.month);
    case "day":
      return BigInt(ts.day);
    case "hour":
      return BigInt(ts.hour);
    case "minute":
      return BigInt(ts.minute);
    case "second":
      return BigInt(ts.second);
    case "timezone_hour":
      return BigInt(Math.trunc(offset / 60));
    case "timezone_minute":
      return BigInt(offset % 60);
  }
}

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

function pad(value: number, width: number): string {
  return String(value).padStart(width, "0");
}

function formatOffset(offset: number, count: number, utcAsZ: boolean): string {
  if (offset === 0 && utcAsZ) return "Z";
  const sign = offset < 0 ? "-" : "+";
  const hours = pad(Math.floor(Math.abs(offset) / 60), 2);
  const minutes = pad(Math.abs(offset) % 60, 2);
  if (count === 1) return minutes === "00" ? `${sign}${hours}` : `${sign}${hours}${minutes}`;
  if (count === 2 || count === 4) return `${sign}${hours}${minutes}`;
  return `${sign}${hours}:${minutes}`;
}

function formatField(letter: string, count: number, ts: Timestamp, pos: SourcePosition, pattern: string): string {
  switch (letter) {
    case "y":
      return count === 2 ? pad(((ts.year % 100) + 100) % 100, 2) : pad(ts.year, count);
    case "M": {
      const name = MONTHS[ts.month - 1] ?? "";
      if (count === 3) return name.slice(0, 3);
      if (count === 4) return name;
      if (count === 5) return name.slice(0, 1);
      return pad(ts.month, count);
    }
    case "d":
      return pad(ts.day, count);
    case "H":
      return pad(ts.hour, count);
    case "h":
      return pad(ts.hour % 12 === 0 ? 12 : ts.hour % 12, count);
    case "a":
      return ts.hour < 12 ? "AM" : "PM";
    case "m":
      return pad(ts.minute, count);
    case "s":
      return pad(ts.second, count);
    case "S":
      return ts.fraction.padEnd(count, "0").slice(0, count);
    case "n":
      return pad(Number(ts.fraction.slice(0, 9).padEnd(9, "0")), count);
    case "X":
      return formatOffset(ts.offsetMinutes ?? 0, count, true);
    case "x":
      return formatOffset(ts.offsetMinutes ?? 0, count, false);
    default:
      throw sqlError(
        "EvaluatorInvalidArguments",
        pos,
        `unsupported pattern letter ${letter} in timestamp format pattern '${pattern}'`,
      );
  }
}

export function formatTimestamp(ts: Timestamp, pattern: string, pos: SourcePosition): string {
  let out = "";
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern.charAt(i);
    if (ch === "'") {
      const end = pattern.indexOf("'", i + 1);
      if (end === i + 1) {
        out += "'";
        i += 2;
        continue;
      }
      if (end < 0) throw sqlError("EvaluatorInvalidArguments", pos, `unterminated quote in pattern '${pattern}'`);
      out += pattern.slice(i + 1, end);
      i = end + 1;
      continue;
    }
    if (/[A-Za-z]/.test(ch)) {
      let count = 1;
      while (pattern.charAt(i + count) === ch) count += 1;
      out += formatField(ch, count, ts, pos, pattern);
      i += count;
      continue;
    }
    out += ch;
    i += 1;
  }
  return out;
}
