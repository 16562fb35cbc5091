/**
 * Ion timestamps (the W3C date-time profile S3 Select uses) with their precision.
 *
 * A Timestamp keeps its local fields as written plus the offset, so it can be printed
 * back with the same precision (`2010T`, `2010-05T`, `2010-05-01T`,
 * `2017-01-02T03:04Z`, `...:05Z`, `...:05.123+05:00`). Date-only precisions have an
 * unknown offset (`null`, printed `-00:00` when time fields are added, treated as UTC).
 * Instants compare by `epochNanos` (the fraction is kept to nanoseconds; more digits
 * are printed but not compared).
 */

export type TimestampPrecision = "year" | "month" | "day" | "minute" | "second" | "fraction";

const PRECISION_ORDER: readonly TimestampPrecision[] = ["year", "month", "day", "minute", "second", "fraction"];

/** The finer of two precisions. */
export function finerPrecision(a: TimestampPrecision, b: TimestampPrecision): TimestampPrecision {
  return PRECISION_ORDER.indexOf(a) >= PRECISION_ORDER.indexOf(b) ? a : b;
}

const TIMESTAMP_PATTERN =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(T(?:(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:\d{2}))?)?$/;

/** Milliseconds since the epoch of the given UTC fields (years below 100 kept as is). */
export function utcMillis(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  return date.getTime();
}

function pad(value: number, width: number): string {
  const text = String(Math.abs(value)).padStart(width, "0");
  return value < 0 ? `-${text}` : text;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(utcMillis(year, month + 1, 0)).getUTCDate();
}

export class Timestamp {
  constructor(
    readonly year: number,
    /** 1-12. */
    readonly month: number,
    readonly day: number,
    readonly hour: number,
    readonly minute: number,
    readonly second: number,
    /** Digits after the decimal point, "" without a fraction. */
    readonly fraction: string,
    /** Offset from UTC in minutes; null for an unknown offset (`-00:00`, date precisions). */
    readonly offsetMinutes: number | null,
    readonly precision: TimestampPrecision,
  ) {}

  /** Parses Ion timestamp text; null when it is not one or a field is out of range. */
  static parse(text: string): Timestamp | null {
    const m = TIMESTAMP_PATTERN.exec(text);
    if (m === null) return null;
    const [, y, mo, d, tPart, h, mi, s, frac, off] = m;
    if (y === undefined) return null;
    // Year and month precisions must end with T (`2010T`, `2010-05T`); a day may omit it.
    if (d === undefined && tPart !== "T") return null;
    let precision: TimestampPrecision;
    if (mo === undefined) precision = "year";
    else if (d === undefined) precision = "month";
    else if (h === undefined) precision = "day";
    else if (s === undefined) precision = "minute";
    else if (frac === undefined) precision = "second";
    else precision = "fraction";
    const year = Number(y);
    const month = mo === undefined ? 1 : Number(mo);
    const day = d === undefined ? 1 : Number(d);
    const hour = h === undefined ? 0 : Number(h);
    const minute = mi === undefined ? 0 : Number(mi);
    const second = s === undefined ? 0 : Number(s);
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
    if (hour > 23 || minute > 59 || second > 59) return null;
    let offsetMinutes: number | null = null;
    if (off !== undefined && off !== "Z") {
      const sign = off.startsWith("-") ? -1 : 1;
      const oh = Number(off.slice(1, 3));
      const om = Number(off.slice(4, 6));
      if (oh > 23 || om > 59) return null;
      offsetMinutes = off === "-00:00" ? null : sign * (oh * 60 + om);
    } else if (off === "Z") {
      offsetMinutes = 0;
    }
    return new Timestamp(year, month, day, hour, minute, second, frac ?? "", offsetMinutes, precision);
  }

  /** Builds a timestamp from local wall-clock milliseconds (fields read as UTC), keeping the rest. */
  static fromLocalMillis(
    localMillis: number,
    fraction: string,
    offsetMinutes: number | null,
    precision: TimestampPrecision,
  ): Timestamp {
    const date = new Date(localMillis);
    return new Timestamp(
      date.getUTCFullYear(),
      date.getUTCMonth() + 1,
      date.getUTCDate(),
      date.getUTCHours(),
      date.getUTCMinutes(),
      date.getUTCSeconds(),
      fraction,
      offsetMinutes,
      precision,
    );
  }

  /** A fraction-precision UTC timestamp of a JS Date (milliseconds). */
  static fromDate(date: Date): Timestamp {
    return Timestamp.fromLocalMillis(
      date.getTime() - date.getUTCMilliseconds(),
      pad(date.getUTCMilliseconds(), 3),
      0,
      "fraction",
    );
  }

  /** The local wall-clock fields as UTC milliseconds, without the fraction. */
  get localMillis(): number {
    return utcMillis(this.year, this.month, this.day, this.hour, this.minute, this.second);
  }

  /** Milliseconds since the epoch of the instant, without the fraction. */
  get epochMillis(): number {
    return this.localMillis - (this.offsetMinutes ?? 0) * 60_000;
  }

  /** Nanoseconds since the epoch of the instant (fraction truncated to nanoseconds). */
  get epochNanos(): bigint {
    const nanos = BigInt(this.fraction.slice(0, 9).padEnd(9, "0"));
    return BigInt(this.epochMillis) * 1_000_000n + nanos;
  }

  /** The same instant's fields in UTC. */
  toUtc(): Timestamp {
    return Timestamp.fromLocalMillis(this.epochMillis, this.fraction, 0, this.precision);
  }

  /** Ion text at this precision. */
  toString(): string {
    const y = pad(this.year, 4);
    if (this.precision === "year") return `${y}T`;
    const mo = `${y}-${pad(this.month, 2)}`;
    if (this.precision === "month") return `${mo}T`;
    const d = `${mo}-${pad(this.day, 2)}`;
    if (this.precision === "day") return `${d}T`;
    let time = `${d}T${pad(this.hour, 2)}:${pad(this.minute, 2)}`;
    if (this.precision === "second" || this.precision === "fraction") time += `:${pad(this.second, 2)}`;
    if (this.precision === "fraction") time += `.${this.fraction}`;
    return time + formatOffset(this.offsetMinutes);
  }
}

function formatOffset(offset: number | null): string {
  if (offset === null) return "-00:00";
  if (offset === 0) return "Z";
  const abs = Math.abs(offset);
  return `${offset < 0 ? "-" : "+"}${pad(Math.floor(abs / 60), 2)}:${pad(abs % 60, 2)}`;
}
