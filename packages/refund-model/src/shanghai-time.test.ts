import { describe, expect, it } from 'vitest';
import { readInstant, toShanghaiDateTime } from './shanghai-time.js';

const instant = (value: unknown) => {
  const result = readInstant(value);
  return result.ok ? result.date.toISOString() : result.message;
};

describe('readInstant', () => {
  it.each([
    ['2024-03-01T10:30:00+08:00', '2024-03-01T02:30:00.000Z'],
    ['2024-03-01T10:30:00', '2024-03-01T02:30:00.000Z'], // no offset: Asia/Shanghai
    ['2024-03-01 10:30:00', '2024-03-01T02:30:00.000Z'], // the vendors' own format
    ['2024-03-01T10:30', '2024-03-01T02:30:00.000Z'],
    ['2024-03-01T02:30:00Z', '2024-03-01T02:30:00.000Z'],
    ['2024-03-01t02:30:00z', '2024-03-01T02:30:00.000Z'],
    ['2024-03-01T02:30:00.123Z', '2024-03-01T02:30:00.123Z'],
    ['2024-03-01T02:30:00.123456789Z', '2024-03-01T02:30:00.123Z'],
    ['2024-03-01T02:30:00,5Z', '2024-03-01T02:30:00.500Z'],
    ['2024-03-01T00:00:00-05:30', '2024-03-01T05:30:00.000Z'],
    ['2024-03-01T08:00:00+0800', '2024-03-01T00:00:00.000Z'],
    ['2024-03-01T08:00:00+08', '2024-03-01T00:00:00.000Z'],
    ['2024-01-01T07:59:59', '2023-12-31T23:59:59.000Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
    ['2000-02-29T00:00:00Z', '2000-02-29T00:00:00.000Z'],
    ['0050-06-01T00:00:00Z', '0050-06-01T00:00:00.000Z'],
  ])('reads %s as %s', (text, iso) => {
    expect(instant(text)).toBe(iso);
  });

  it.each([
    '',
    '2024-03-01',
    '10:30:00',
    '2024-3-1T10:30:00',
    '2024-03-01T10:30:00 +08:00',
    '2024-03-01T10:30:00+8:00',
    '20240301T103000',
    'yesterday',
    '2024-03-01T10:30:00.Z',
    '1709260200000',
  ])('refuses %j as not ISO 8601', (text) => {
    expect(instant(text)).toMatch(/must be an ISO 8601 date-time/);
  });

  it.each([
    '2024-02-30T00:00:00',
    '2023-02-29T00:00:00',
    '1900-02-29T00:00:00',
    '2024-13-01T00:00:00',
    '2024-00-01T00:00:00',
    '2024-04-31T00:00:00',
    '2024-03-01T24:00:00',
    '2024-03-01T23:60:00',
    '2024-03-01T23:59:60',
    '2024-03-01T10:30:99',
    '2024-03-01T10:99:00',
    '2024-12-32T00:00:00',
    '2024-12-31T24:00:00',
    '2024-03-00T00:00:00',
    '0001-02-29T00:00:00Z',
  ])('refuses %s as not a real date and time', (text) => {
    expect(instant(text)).toMatch(/not a real calendar date/);
  });

  it.each([
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
    ['2000-02-29T23:59:59Z', '2000-02-29T23:59:59.000Z'],
    ['0000-02-29T00:00:00Z', '0000-02-29T00:00:00.000Z'],
    ['0099-12-31T23:59:59Z', '0099-12-31T23:59:59.000Z'],
    ['2024-04-30T00:00:00Z', '2024-04-30T00:00:00.000Z'],
  ])('reads %s, a real date and time at the edge of its month or year', (text, iso) => {
    expect(instant(text)).toBe(iso);
  });

  it('refuses offsets beyond ±23:59 and instants outside the years 0000–9999 (UTC and Shanghai)', () => {
    expect(instant('2024-03-01T00:00:00+24:00')).toMatch(/offset/);
    expect(instant('2024-03-01T00:00:00+05:60')).toMatch(/offset/);
    expect(instant('0000-01-01T00:00:00')).toMatch(/0000–9999/); // +08:00 puts it in year −1 UTC
    expect(instant('0000-01-01T00:00:00Z')).toBe('0000-01-01T00:00:00.000Z');
    expect(instant('9999-12-31T23:59:59-01:00')).toMatch(/0000–9999/);
    // 9999-12-31 23:59:59 UTC is already 10000-01-01 in Shanghai, which no vendor date-time can say.
    expect(instant('9999-12-31T23:59:59Z')).toMatch(/0000–9999/);
    expect(instant('9999-12-31T15:59:59.999Z')).toBe('9999-12-31T15:59:59.999Z');
    expect(instant('9999-12-31 23:59:59')).toBe('9999-12-31T15:59:59.000Z');
  });

  it('refuses Dates at the very ends of the Date range, and forged Dates, without reading them', () => {
    for (const time of [8.64e15, -8.64e15, 8.64e15 - 1, Date.UTC(9999, 11, 31, 23, 59, 59)]) {
      expect(instant(new Date(time))).toMatch(/0000–9999/);
    }
    expect(instant(Object.create(Date.prototype))).toMatch(/ISO 8601 date-time such as/);
    expect(instant(new Proxy(new Date(0), {}))).toMatch(/ISO 8601 date-time such as/);
    const overridden = new Date('2024-03-01T02:30:00Z');
    Object.defineProperty(overridden, 'getTime', {
      value: () => {
        throw new Error('caller code');
      },
    });
    expect(instant(overridden)).toBe('2024-03-01T02:30:00.000Z');
  });

  it('takes valid Dates (copied) and refuses invalid ones and other types', () => {
    const date = new Date('2024-03-01T02:30:00Z');
    const result = readInstant(date);
    expect(result.ok && result.date).toEqual(date);
    expect(result.ok && result.date).not.toBe(date);
    expect(instant(new Date(Number.NaN))).toMatch(/invalid Date/);
    expect(instant(new Date(Date.UTC(10000, 0, 1)))).toMatch(/0000–9999/);
    expect(instant(1709260200000)).toMatch(/ISO 8601 date-time such as/);
  });

  it('never echoes the text in a message', () => {
    expect(instant('nick-personal')).not.toContain('nick-personal');
  });
});

describe('toShanghaiDateTime', () => {
  it.each([
    ['2024-03-01T02:30:00Z', '2024-03-01 10:30:00'],
    ['2023-12-31T16:00:00Z', '2024-01-01 00:00:00'],
    ['2023-12-31T15:59:59.999Z', '2023-12-31 23:59:59'],
    ['2024-02-28T16:00:00Z', '2024-02-29 00:00:00'],
    ['1970-01-01T00:00:00Z', '1970-01-01 08:00:00'],
    ['0050-06-01T00:00:00Z', '0050-06-01 08:00:00'],
  ])('formats %s as %s', (iso, text) => {
    expect(toShanghaiDateTime(new Date(iso))).toBe(text);
  });

  it('is the inverse of reading an offset-less time', () => {
    const result = readInstant('2020-05-22 09:07:18');
    expect(result.ok && toShanghaiDateTime(result.date)).toBe('2020-05-22 09:07:18');
  });

  it('refuses non-Dates, invalid Dates and years beyond 9999', () => {
    expect(() => toShanghaiDateTime('2024-03-01' as unknown as Date)).toThrow(TypeError);
    expect(() => toShanghaiDateTime(new Date(Number.NaN))).toThrow(RangeError);
    expect(() => toShanghaiDateTime(new Date(Date.UTC(9999, 11, 31, 20)))).toThrow(RangeError);
  });

  it('refuses the ends of the Date range instead of writing NaN fields', () => {
    for (const time of [8.64e15, 8.64e15 - 1, -8.64e15]) {
      expect(() => toShanghaiDateTime(new Date(time))).toThrow(/toShanghaiDateTime: date must fall in the years/);
    }
    expect(() => toShanghaiDateTime(Object.create(Date.prototype))).toThrow(TypeError);
  });
});
