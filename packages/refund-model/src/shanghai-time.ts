/** Asia/Shanghai is UTC+08:00 all year (China has no daylight saving time). */
const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
const MINUTE_MS = 60 * 1000;
/** The length of 400 Gregorian years (146,097 days), after which the calendar repeats. */
const GREGORIAN_CYCLE_MS = 146_097 * 24 * 60 * MINUTE_MS;

// date, 'T' or one space, hh:mm, optional :ss and fraction, optional Z or ±hh:mm / ±hhmm / ±hh (sign, hh, mm apart)
const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:(Z)|([+-])(\d{2})(?::?(\d{2}))?)?$/i;

type ReadInstant = { ok: true; date: Date } | { ok: false; message: string };

/** The first and last instants whose year is 0000–9999 both in UTC and in Asia/Shanghai. */
const EARLIEST_MS = -62_167_219_200_000; // 0000-01-01T00:00:00.000Z (08:00 in Shanghai)
const LATEST_MS = 253_402_271_999_999; // 9999-12-31T15:59:59.999Z (23:59:59.999 in Shanghai)
const ISO_MESSAGE = 'must be an ISO 8601 date-time such as "2024-03-01T10:30:00+08:00"';
const YEAR_RANGE_MESSAGE = 'must fall in the years 0000–9999 (in UTC and in Asia/Shanghai)';

/** `util.types.isDate` where the runtime offers Node's built-in modules, else `undefined`. */
function runtimeDateCheck(): ((value: object) => boolean) | undefined {
  const host = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const util = host?.getBuiltinModule?.('node:util') as { types?: { isDate?: unknown } } | undefined;
  const isDate = util?.types?.isDate;
  return typeof isDate === 'function' ? (isDate as (value: object) => boolean) : undefined;
}
const isDateObject = /* @__PURE__ */ runtimeDateCheck();

/**
 * The time of `value` if it is a real Date (one with a Date's internal time value, invalid or not), else `undefined`.
 * It asks `Date.prototype.getTime` directly, so neither `Object.create(Date.prototype)`, nor a Proxy, nor an own
 * `getTime` property can pass for a Date or run the caller's code.
 * @internal
 */
export function dateTime(value: unknown): number | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  // Where the runtime has a brand check that neither throws nor runs a trap (Node's), it answers "not a Date" for
  // the plain objects read all day; a thrown and caught TypeError costs microseconds each.
  if (isDateObject !== undefined && !isDateObject(value)) return undefined;
  try {
    return Date.prototype.getTime.call(value);
  } catch {
    return undefined;
  }
}

/**
 * Reads an ISO 8601 date-time string, or a valid Date, as an instant, or answers what is wrong with it (never
 * echoing the text). A time without an offset is read as Asia/Shanghai (+08:00), the zone both vendors work in.
 * Fractions finer than a millisecond are cut to milliseconds. The instant must fall in the years 0000–9999 both in
 * UTC and in Shanghai, so that its `toISOString()` text reads back as the same instant and `toShanghaiDateTime` can
 * always write it.
 * @internal
 */
export function readInstant(value: unknown): ReadInstant {
  const time = dateTime(value);
  const result: ReadInstant =
    time !== undefined
      ? Number.isNaN(time)
        ? { ok: false, message: 'is an invalid Date' }
        : { ok: true, date: new Date(time) }
      : typeof value === 'string'
        ? readIsoText(value)
        : { ok: false, message: ISO_MESSAGE };
  if (!result.ok) return result;
  const ms = result.date.getTime();
  return ms >= EARLIEST_MS && ms <= LATEST_MS ? result : { ok: false, message: YEAR_RANGE_MESSAGE };
}

function readIsoText(text: string): ReadInstant {
  const match = ISO_DATE_TIME.exec(text);
  if (!match) {
    return { ok: false, message: ISO_MESSAGE };
  }
  const [, y, mo, d, h, mi, s = '0', fraction = '', utc, sign, zoneHours = '0', zoneMinutes = '0'] =
    match as unknown as string[];
  if (Number(zoneHours) > 23 || Number(zoneMinutes) > 59) return { ok: false, message: 'has an offset outside ±23:59' };
  // The fields as a UTC time. The Gregorian calendar repeats every 400 years, so the fields are read 400 years
  // later and moved back: `Date.UTC` would take the years 0–99 for 1900–1999.
  const local =
    Date.UTC(Number(y) + 400, Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) -
    GREGORIAN_CYCLE_MS +
    Number(fraction.padEnd(3, '0').slice(0, 3));
  // Date rolls an out-of-range field over into the next (Feb 30 → Mar 1, 24:00 → the next day, :60 → the next
  // minute), so a real calendar date and time is one that reads back field for field.
  if (!new Date(local).toISOString().startsWith(`${y}-${mo}-${d}T${h}:${mi}`)) {
    return { ok: false, message: 'is not a real calendar date and time' };
  }
  const offsetMs = utc
    ? 0
    : sign
      ? (sign === '-' ? -1 : 1) * (Number(zoneHours) * 60 + Number(zoneMinutes)) * MINUTE_MS
      : SHANGHAI_OFFSET_MS;
  return { ok: true, date: new Date(local - offsetMs) };
}

/**
 * Formats an instant as `'YYYY-MM-DD HH:mm:ss'` in Asia/Shanghai (+08:00), the date-time text both vendors expect
 * (Wangdian's `refund_time`, Kingdee's `finish_time`). Milliseconds are dropped, not rounded. Throws a `TypeError` if
 * `date` is not a Date and a `RangeError` if it is an invalid Date or falls outside the years 0000–9999
 * (in UTC and in Shanghai; `parseRefund` never returns such a date).
 *
 * @example
 * toShanghaiDateTime(new Date('2024-03-01T02:30:00Z')); // "2024-03-01 10:30:00"
 */
export function toShanghaiDateTime(date: Date): string {
  const time = dateTime(date);
  if (time === undefined) throw new TypeError('toShanghaiDateTime: date must be a Date');
  if (Number.isNaN(time)) throw new RangeError('toShanghaiDateTime: date is an invalid Date');
  // Checked on the time value itself: beyond the Date range, `time + offset` is NaN and every field would read NaN.
  if (!(time >= EARLIEST_MS && time <= LATEST_MS)) {
    throw new RangeError(`toShanghaiDateTime: date ${YEAR_RANGE_MESSAGE}`);
  }
  // In the years 0000–9999, toISOString writes `YYYY-MM-DDTHH:mm:ss.sssZ`: the Shanghai fields, read as UTC.
  return new Date(time + SHANGHAI_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}
