import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { Decimal } from './decimal.js';
import { parseRefund, safeParseRefund } from './parse-refund.js';
import { InputValidationError } from './refundkit-errors.js';
import { MAX_INPUT_ITEMS, safeParseInput } from './safe-parse-input.js';
import { minimalRefundInput } from './test-support.js';

const CALLER_SECRET = 'caller-secret-5c1d';
const unreadable = 'could not be read (reading it threw an error)';

const minimal = minimalRefundInput;

function line(amount: string): Record<string, unknown> {
  return { subOrderId: `L${amount}`, quantity: '1', requestedAmount: amount, actualAmount: amount };
}

/** The issues of an input that must fail; `safeParseRefund` must not throw and `parseRefund` must throw ours. */
function issuesOf(input: unknown) {
  const result = safeParseRefund(input);
  if (result.success) throw new Error('expected the input to fail');
  expect(() => parseRefund(input)).toThrow(InputValidationError);
  expect(JSON.stringify(result.issues)).not.toContain(CALLER_SECRET);
  return result.issues.map(({ path, message }) => ({ path, message }));
}

const throwing = (): never => {
  throw new Error(CALLER_SECRET);
};

describe('hostile input: getters and Proxies', () => {
  it('reports a getter that throws at its path, never the caller’s error', () => {
    const input = Object.defineProperty(minimal(), 'refundNo', { get: throwing, enumerable: true });
    expect(issuesOf(input)).toEqual([{ path: 'refundNo', message: unreadable }]);
    const nested = { ...minimal(), buyer: Object.defineProperty({}, 'nick', { get: throwing }) };
    expect(issuesOf(nested)).toEqual([{ path: 'buyer.nick', message: unreadable }]);
  });

  it('reports a getter that throws a non-Error (a string, a symbol) the same way', () => {
    for (const thrown of [CALLER_SECRET, Symbol(CALLER_SECRET), undefined]) {
      const input = Object.defineProperty(minimal(), 'shopCode', {
        get: () => {
          throw thrown;
        },
      });
      expect(issuesOf(input)).toEqual([{ path: 'shopCode', message: unreadable }]);
    }
  });

  it('never reads unknown keys, so their getters cannot fail a valid refund', () => {
    const input = Object.defineProperty(minimal(), 'extra', { get: throwing, enumerable: true });
    expect(safeParseRefund(input).success).toBe(true);
  });

  it('reads each value once, so a getter cannot answer differently to two checks', () => {
    let reads = 0;
    const input = Object.defineProperty(minimal(), 'actualAmount', {
      get: () => {
        reads++;
        return reads === 1 ? '10' : '99999';
      },
    });
    expect(parseRefund(input).actualAmount.toString()).toBe('10');
    expect(reads).toBe(1);
  });

  it('reports a revoked Proxy as unreadable, at the input or at a field', () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    expect(issuesOf(proxy)).toEqual([{ path: '', message: unreadable }]);
    expect(issuesOf({ ...minimal(), buyer: proxy })).toEqual([{ path: 'buyer', message: unreadable }]);
    expect(issuesOf({ ...minimal(), lines: proxy })).toEqual([{ path: 'lines', message: unreadable }]);
    expect(issuesOf({ ...minimal(), requestedAmount: proxy })).toEqual([
      { path: 'requestedAmount', message: unreadable },
    ]);
  });

  it('reports every field a throwing Proxy trap hides, and accepts a transparent Proxy', () => {
    const hostile = new Proxy(minimal(), { get: throwing });
    const issues = issuesOf(hostile);
    expect(issues.map((issue) => issue.message)).toEqual(issues.map(() => unreadable));
    expect(issues.map((issue) => issue.path)).toContain('refundNo');
    expect(issues.map((issue) => issue.path)).toContain('lines');
    expect(parseRefund(new Proxy(minimal(), {})).refundNo).toBe('R1');
  });

  it('reports an array whose length or index traps throw', () => {
    const lengthTrap = new Proxy([line('10')], { get: (t, k) => (k === 'length' ? throwing() : Reflect.get(t, k)) });
    expect(issuesOf({ ...minimal(), lines: lengthTrap })).toEqual([{ path: 'lines', message: unreadable }]);
    const hasTrap = new Proxy([line('10')], { has: throwing });
    expect(issuesOf({ ...minimal(), lines: hasTrap })).toEqual([{ path: 'lines[0]', message: unreadable }]);
    const indexGetter = Object.defineProperty([line('10')], 0, { get: throwing });
    expect(issuesOf({ ...minimal(), lines: indexGetter })).toEqual([{ path: 'lines[0]', message: unreadable }]);
  });

  it('refuses an array claiming more items than any refund has, without walking them', () => {
    const huge = new Proxy([line('10')], { get: (t, k) => (k === 'length' ? 2 ** 32 - 1 : Reflect.get(t, k)) });
    expect(issuesOf({ ...minimal(), lines: huge })).toEqual([
      { path: 'lines', message: `has more than ${MAX_INPUT_ITEMS} items` },
    ]);
    const sparse: unknown[] = [line('10')];
    sparse.length = 2 ** 32 - 1;
    expect(issuesOf({ ...minimal(), lines: sparse })[0]?.path).toBe('lines');
  });
});

describe('hostile input: forged Decimals and Dates', () => {
  it('refuses an object forged on Decimal.prototype, whatever `scaled` it claims', () => {
    for (const scaled of [undefined, 100_000n, 10n ** 30n, 'x', -(10n ** 30n)]) {
      const forged = Object.create(Decimal.prototype, { scaled: { value: scaled } });
      const input = { ...minimal(), requestedAmount: forged, lines: [{ ...line('10'), actualAmount: forged }] };
      expect(issuesOf(input)).toEqual([
        { path: 'requestedAmount', message: 'must be a decimal string such as "12.34" or a number' },
        { path: 'lines[0].actualAmount', message: 'must be a decimal string such as "12.34" or a number' },
      ]);
    }
  });

  it('refuses a Proxy around a real Decimal', () => {
    const proxy = new Proxy(Decimal.from('10'), { get: () => 10n ** 30n });
    expect(issuesOf({ ...minimal(), actualAmount: proxy })).toEqual([
      { path: 'actualAmount', message: 'must be a decimal string such as "12.34" or a number' },
    ]);
  });

  it('refuses a forged Date and reads a real one by its time value, not its own methods', () => {
    expect(issuesOf({ ...minimal(), createdAt: Object.create(Date.prototype) })).toEqual([
      { path: 'createdAt', message: 'must be an ISO 8601 date-time such as "2024-03-01T10:30:00+08:00"' },
    ]);
    const date = Object.defineProperty(new Date('2024-03-01T02:30:00Z'), 'getTime', { value: throwing });
    expect(parseRefund({ ...minimal(), createdAt: date }).createdAt?.toISOString()).toBe('2024-03-01T02:30:00.000Z');
  });

  it('refuses Dates at the ends of the Date range and invalid Dates, naming the field', () => {
    for (const time of [8.64e15, -8.64e15, Date.UTC(9999, 11, 31, 20)]) {
      expect(issuesOf({ ...minimal(), completedAt: new Date(time) })).toEqual([
        { path: 'completedAt', message: 'must fall in the years 0000–9999 (in UTC and in Asia/Shanghai)' },
      ]);
    }
    expect(issuesOf({ ...minimal(), completedAt: new Date(Number.NaN) })).toEqual([
      { path: 'completedAt', message: 'is an invalid Date' },
    ]);
  });
});

describe('hostile input: arrays', () => {
  it('refuses a hole in the lines, naming its index, instead of dropping it', () => {
    // biome-ignore lint/suspicious/noSparseArray: the hole is the point
    const lines = [line('4'), , line('6')];
    expect(issuesOf({ ...minimal(), lines })).toEqual([
      { path: 'lines[1]', message: 'is missing (the array has a hole here)' },
    ]);
    const trailing: unknown[] = [line('10')];
    trailing.length = 3;
    expect(issuesOf({ ...minimal(), lines: trailing }).map((issue) => issue.path)).toEqual(['lines[1]', 'lines[2]']);
  });

  it('refuses an array where the model expects an object, even one carrying the right keys', () => {
    const arrayWith = (fields: Record<string, unknown>) => Object.assign([], fields);
    expect(issuesOf(arrayWith(minimal()))).toEqual([{ path: '', message: 'the refund must be an object' }]);
    expect(issuesOf({ ...minimal(), buyer: arrayWith({ nick: 'buyer' }) })).toEqual([
      { path: 'buyer', message: 'must be an object' },
    ]);
    for (const key of ['payment', 'logistics']) {
      expect(issuesOf({ ...minimal(), [key]: [] })).toEqual([{ path: key, message: 'must be an object' }]);
    }
    expect(issuesOf({ ...minimal(), lines: [arrayWith(line('10'))] })).toEqual([
      { path: 'lines[0]', message: 'must be an object (a refund line)' },
    ]);
  });

  it('refuses an object or a function where the model expects an array or a plain value', () => {
    expect(issuesOf({ ...minimal(), lines: { 0: line('10'), length: 1 } })).toEqual([
      { path: 'lines', message: 'must be an array of refund lines' },
    ]);
    expect(issuesOf({ ...minimal(), refundNo: () => 'R1' })).toEqual([
      { path: 'refundNo', message: 'must be a string' },
    ]);
    expect(issuesOf({ ...minimal(), refundNo: new String('R1') })).toEqual([
      { path: 'refundNo', message: 'must be a string' },
    ]);
  });
});

describe('safeParseInput with other schemas', () => {
  it('copies values under schemas of unknown shape as plain data, guarded, and keeps a loose object’s extra keys', () => {
    const schema = v.looseObject({
      id: v.string(),
      tags: v.record(v.string(), v.union([v.string(), v.array(v.number())])),
    });
    const tags = Object.defineProperty({ a: 'x', b: [1, 2] }, 'c', { get: throwing, enumerable: true });
    const result = safeParseInput(schema, { id: 'i', extra: { deep: [1] }, tags });
    expect(result.success).toBe(false);
    expect(result.issues).toEqual([{ path: [{ key: 'tags' }, { key: 'c' }], message: unreadable }]);
    const fine = safeParseInput(schema, { id: 'i', extra: { deep: [1] }, tags: { a: 'x', b: [1, 2] } });
    expect(fine).toEqual({
      success: true,
      output: { id: 'i', extra: { deep: [1] }, tags: { a: 'x', b: [1, 2] } },
      issues: [],
    });
  });

  it('refuses nesting deeper than it copies, and a Date or Decimal where an object belongs', () => {
    let deep: unknown = 'x';
    for (let index = 0; index < 200; index++) deep = { deep };
    const result = safeParseInput(v.record(v.string(), v.unknown()), { deep });
    expect(result.issues.map((issue) => issue.message)).toEqual(['is nested more than 64 levels deep']);
    expect(issuesOf({ ...minimal(), buyer: new Date(0) })).toEqual([{ path: 'buyer', message: 'must be an object' }]);
    expect(issuesOf({ ...minimal(), payment: Decimal.from('1') })).toEqual([
      { path: 'payment', message: 'must be an object' },
    ]);
  });

  it('checks a flat object in one pass exactly as valibot does: defaults, fallbacks, pipes and unknown keys', () => {
    const schema = v.pipe(
      v.strictObject({
        id: v.string(),
        note: v.optional(v.string(), 'none'),
        size: v.fallback(v.number(), 0),
        tag: v.optional(v.string()),
      }),
      v.check((row) => row.id !== 'bad', 'must not be bad'),
      v.transform((row) => ({ ...row, seen: true })),
    );
    expect(safeParseInput(schema, { id: 'a', size: 2 })).toEqual({
      success: true,
      output: { id: 'a', note: 'none', size: 2, seen: true },
      issues: [],
    });
    expect(safeParseInput(schema, { id: 'a', size: 'x', tag: 't' }).output).toEqual({
      id: 'a',
      note: 'none',
      size: 0,
      tag: 't',
      seen: true,
    });
    expect(safeParseInput(schema, { id: 'bad', size: 1 }).issues.map((issue) => issue.message)).toEqual([
      'must not be bad',
    ]);
    for (const key of ['__proto__', 'constructor', 'toString']) {
      const input = JSON.parse(`{"id":"a","size":1,"${key}":{"polluted":true}}`);
      const result = safeParseInput(schema, input);
      expect(result.success).toBe(false);
      expect(result.issues.map((issue) => issue.path.map((item) => item.key))).toEqual([[key]]);
    }
    const plain = safeParseInput(v.object({ id: v.string() }), JSON.parse('{"id":"a","__proto__":{"polluted":1}}'));
    expect(plain).toEqual({ success: true, output: { id: 'a' }, issues: [] });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
