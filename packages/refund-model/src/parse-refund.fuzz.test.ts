import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Decimal } from './decimal.js';
import { parseRefund, safeParseRefund } from './parse-refund.js';
import { InputValidationError } from './refundkit-errors.js';
import { toShanghaiDateTime } from './shanghai-time.js';
import { decimalOf, fuzzRuns, scaledArb, validRefundInputArb } from './test-support.js';

const SECRET = 'PII-7f3a';

/** Runs parseRefund and demands a InputValidationError with at least one issue, each with a string path. */
function expectValidationError(input: unknown) {
  let thrown: unknown;
  try {
    parseRefund(input);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(InputValidationError);
  const error = thrown as InputValidationError;
  expect(error.issues.length).toBeGreaterThanOrEqual(1);
  for (const issue of error.issues) {
    expect(typeof issue.path).toBe('string');
    expect(typeof issue.message).toBe('string');
  }
  expect(JSON.stringify(error)).not.toContain(SECRET);
  return error;
}

function deeplyNested(depth: number): unknown {
  let value: unknown = SECRET;
  for (let index = 0; index < depth; index++) value = index % 2 ? [value] : { [SECRET]: value, __proto__: value };
  return value;
}

/** Values that no field accepts: absent, null, deep nesting, objects without the required keys, odd arrays. */
const junkForAll = fc.oneof(
  fc.constantFrom(null, undefined),
  fc.constant(deeplyNested(2_000)),
  fc
    .object({ maxDepth: 3 })
    .filter((object) => !('nick' in object) && !('subOrderId' in object))
    .map((object) => ({ ...object, [SECRET]: SECRET })),
  fc.array(fc.anything({ maxDepth: 2 }), { maxLength: 3 }),
);

/** Values a text field refuses, a decimal field refuses, and so on. */
const junkFor = {
  text: fc.oneof(junkForAll, fc.constantFrom('', ' '.repeat(50_000), '\t\n', 7, true)),
  decimal: fc.oneof(
    junkForAll,
    fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, 1e21, 0.1 + 0.2, -1, '-1', true, ''),
    fc.constant(`${'9'.repeat(100_000)}`),
    fc.string({ unit: 'binary' }).map((text) => `${SECRET}${text}`),
  ),
  choice: fc.oneof(
    junkForAll,
    fc.constantFrom(0, 1, true),
    fc.string().map((text) => `${SECRET}${text}`),
  ),
  boolean: fc.oneof(junkForAll, fc.constantFrom(0, 1, 'true', SECRET)),
  object: junkForAll,
};

/** Paths whose value, when replaced by junk of its kind or removed, makes a refund invalid. */
const REQUIRED_PATHS: [readonly (string | number)[], keyof typeof junkFor][] = [
  [['refundNo'], 'text'],
  [['orderNo'], 'text'],
  [['shopCode'], 'text'],
  [['kind'], 'choice'],
  [['status'], 'choice'],
  [['requestedAmount'], 'decimal'],
  [['actualAmount'], 'decimal'],
  [['afterSale'], 'boolean'],
  [['buyer'], 'object'],
  [['buyer', 'nick'], 'text'],
  [['lines'], 'object'],
  [['lines', 0], 'object'],
  [['lines', 0, 'subOrderId'], 'text'],
  [['lines', 0, 'quantity'], 'decimal'],
  [['lines', 0, 'requestedAmount'], 'decimal'],
  [['lines', 0, 'actualAmount'], 'decimal'],
];

const brokenFieldArb = fc
  .constantFrom(...REQUIRED_PATHS)
  .chain(([path, kind]) => fc.record({ path: fc.constant(path), value: junkFor[kind], remove: fc.boolean() }));

/** A deep copy that keeps Decimals and Dates as they are (structuredClone would turn a Decimal into a plain object). */
function cloneInput<T>(value: T): T {
  if (Array.isArray(value)) return value.map(cloneInput) as T;
  if (typeof value !== 'object' || value === null || value instanceof Date || Decimal.isDecimal(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, cloneInput(item)])) as T;
}

function replaceAt(
  input: Record<string, unknown>,
  path: readonly (string | number)[],
  value: unknown,
  remove: boolean,
) {
  let target = input as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) target = target[key] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  if (remove) delete target[last];
  else Object.defineProperty(target, last, { value, enumerable: true, writable: true, configurable: true });
}

describe('parseRefund properties', () => {
  it('accepts every valid input and survives a JSON round trip without loss', () => {
    fc.assert(
      fc.property(validRefundInputArb, (input) => {
        const refund = parseRefund(input);
        const json = JSON.stringify(refund);
        const again = parseRefund(JSON.parse(json));
        expect(again).toStrictEqual(refund);
        expect(JSON.stringify(again)).toBe(json);
        expect(parseRefund(refund)).toStrictEqual(refund);
      }),
      { numRuns: fuzzRuns(200) },
    );
  });

  it('ignores extra keys, including __proto__ and constructor, without polluting prototypes', () => {
    fc.assert(
      fc.property(validRefundInputArb, fc.dictionary(fc.string(), fc.jsonValue()), (input, extra) => {
        const text = JSON.stringify({ ...extra, ...input });
        const polluted = text.replace('{', `{"__proto__":{"polluted":"${SECRET}"},"constructor":{"x":1},`);
        const result = safeParseRefund(JSON.parse(polluted));
        expect(result.success).toBe(true);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        if (result.success) expect(Object.keys(result.output)).not.toContain('__proto__');
      }),
      { numRuns: fuzzRuns(100) },
    );
  });

  it('answers an arbitrary value with a InputValidationError, never another exception', () => {
    fc.assert(
      fc.property(
        fc.anything({ withNullPrototype: true, withBigInt: true, withDate: true, withMap: true }),
        (input) => {
          expectValidationError(input);
        },
      ),
      { numRuns: fuzzRuns(300) },
    );
  });

  it('answers a broken required field with a InputValidationError naming a path', () => {
    fc.assert(
      fc.property(validRefundInputArb, brokenFieldArb, (input, { path, value, remove }) => {
        const broken = cloneInput(input);
        replaceAt(broken, path, value, remove);
        const error = expectValidationError(broken);
        expect(error.issues.some((issue) => issue.path.length > 0)).toBe(true);
      }),
      { numRuns: fuzzRuns(300) },
    );
  });

  it('answers wrong types in optional fields with a InputValidationError too', () => {
    const optionalPaths = [
      ['remark'],
      ['buyer', 'payAccount'],
      ['payment'],
      ['logistics'],
      ['createdAt'],
      ['completedAt'],
      ['lines', 0, 'unitPrice'],
      ['lines', 0, 'goodsNo'],
    ] as const;
    // NaN and booleans fit no optional field; deep nesting fits none but the two objects (as an empty object).
    const wrong = fc.oneof(fc.constantFrom(true, false, Number.NaN), fc.constant(deeplyNested(501)));
    fc.assert(
      fc.property(validRefundInputArb, fc.constantFrom(...optionalPaths), wrong, (input, path, value) => {
        const broken = cloneInput(input);
        replaceAt(broken, path, value, false);
        if (typeof value === 'object' && (path[0] === 'payment' || path[0] === 'logistics')) return;
        expectValidationError(broken);
      }),
      { numRuns: fuzzRuns(200) },
    );
  });
});

/** The issues of an input that must fail: `safeParseRefund` answers (never throws) and `parseRefund` throws ours. */
function issuesOf(input: unknown) {
  let result: ReturnType<typeof safeParseRefund> | undefined;
  expect(() => {
    result = safeParseRefund(input);
  }).not.toThrow();
  expect(result?.success).toBe(false);
  expectValidationError(input);
  return result?.success === false ? result.issues.map(({ path, message }) => ({ path, message })) : [];
}

/** Where an object is read: the refund, its buyer, payment, logistics, and a line. */
const OBJECT_PATHS: readonly (readonly (string | number)[])[] = [
  [],
  ['buyer'],
  ['payment'],
  ['logistics'],
  ['lines', 0],
];
/** Every field the model reads that holds a plain value, required or optional. */
const LEAF_PATHS = [
  ...REQUIRED_PATHS.map(([path]) => path).filter((path) => !['buyer', 'lines'].includes(String(path.at(-1)))),
  ['remark'],
  ['buyer', 'payAccount'],
  ['createdAt'],
  ['completedAt'],
  ['lines', 0, 'unitPrice'],
  ['lines', 0, 'goodsNo'],
] as const;
const DECIMAL_PATHS = REQUIRED_PATHS.filter(([, kind]) => kind === 'decimal').map(([path]) => path);

const pathText = (path: readonly (string | number)[]) =>
  path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${key}` : key), '');

/** Sets a value at `path` (creating `payment` and `logistics` when the path goes through them); `[]` is the input. */
function withValueAt(input: Record<string, unknown>, path: readonly (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const copy = cloneInput(input);
  if (path[0] === 'payment' || path[0] === 'logistics') copy[path[0]] ??= {};
  replaceAt(copy, path, value, false);
  return copy;
}

/** Values whose reading throws: a getter, Proxy traps of every kind, a revoked Proxy. */
const hostileArb = fc.constantFrom('getter', 'get-trap', 'has-trap', 'revoked').map((kind) => {
  const fail = () => {
    throw new Error(SECRET);
  };
  return { kind, fail };
});

describe('parseRefund against hostile input', () => {
  it('reports a throwing getter at any field it reads as that field, never the caller’s error', () => {
    fc.assert(
      fc.property(validRefundInputArb, fc.constantFrom(...LEAF_PATHS, ...OBJECT_PATHS.slice(1)), (input, path) => {
        const copy = cloneInput(input);
        if (path[0] === 'payment' || path[0] === 'logistics') copy[path[0]] ??= {};
        let target = copy as Record<string | number, unknown>;
        for (const key of path.slice(0, -1)) target = target[key] as Record<string | number, unknown>;
        Object.defineProperty(target, path.at(-1)!, {
          get: () => {
            throw new Error(SECRET);
          },
        });
        expect(issuesOf(copy)).toContainEqual({
          path: pathText(path),
          message: 'could not be read (reading it threw an error)',
        });
      }),
      { numRuns: fuzzRuns(200) },
    );
  });

  it('reports a Proxy whose traps throw, or a revoked one, wherever an object or a value is read', () => {
    fc.assert(
      fc.property(validRefundInputArb, fc.constantFrom(...OBJECT_PATHS), hostileArb, (input, path, { kind, fail }) => {
        const original = path.length === 0 ? input : (withValueAt(input, path, {}) as Record<string, unknown>);
        let target: object = original;
        for (const key of path) target = (target as Record<string | number, object>)[key]!;
        let proxy: object;
        if (kind === 'revoked') {
          const revocable = Proxy.revocable(target, {});
          revocable.revoke();
          proxy = revocable.proxy;
        } else if (kind === 'has-trap') {
          proxy = new Proxy(target, { has: fail, getOwnPropertyDescriptor: fail, ownKeys: fail, get: fail });
        } else {
          proxy = new Proxy(target, { get: fail });
        }
        const issues = issuesOf(withValueAt(original, path, proxy));
        const prefix = pathText(path);
        expect(issues.length).toBeGreaterThan(0);
        for (const issue of issues) expect(issue.path.startsWith(prefix)).toBe(true);
        expect(issues.every((issue) => issue.message === 'could not be read (reading it threw an error)')).toBe(true);
      }),
      { numRuns: fuzzRuns(200) },
    );
  });

  it('refuses a forged Decimal at any amount or quantity, whatever it holds, naming the field', () => {
    const forgedArb = fc
      .tuple(fc.oneof(fc.bigInt(), fc.anything({ withBigInt: true })), fc.boolean(), scaledArb)
      .map(([scaled, proxy, real]) =>
        proxy
          ? new Proxy(decimalOf(real), { get: (t, key) => (key === 'scaled' ? scaled : Reflect.get(t, key)) })
          : Object.create(Decimal.prototype, { scaled: { value: scaled, enumerable: true } }),
      );
    fc.assert(
      fc.property(validRefundInputArb, fc.constantFrom(...DECIMAL_PATHS), forgedArb, (input, path, forged) => {
        expect(issuesOf(withValueAt(input, path, forged))).toContainEqual({
          path: pathText(path),
          message: 'must be a decimal string such as "12.34" or a number',
        });
      }),
      { numRuns: fuzzRuns(200) },
    );
  });

  it('takes any Date, to the ends of the Date range, only if the vendors’ date-time text can say it', () => {
    const timeArb = fc.oneof(
      fc.integer({ min: -8.64e15, max: 8.64e15 }),
      fc.constantFrom(8.64e15, -8.64e15, 8.64e15 - 1, Number.NaN, 253_402_300_799_999, -62_167_219_200_001),
    );
    fc.assert(
      fc.property(validRefundInputArb, fc.constantFrom('createdAt', 'completedAt'), timeArb, (input, key, time) => {
        const result = safeParseRefund({ ...input, [key]: new Date(time) });
        if (result.success) {
          const text = toShanghaiDateTime(result.output[key]!);
          expect(text).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
          expect(result.output[key]!.getTime()).toBe(time);
        } else {
          expect(result.issues).toEqual([
            {
              received: 'Date',
              path: key,
              message: Number.isNaN(time)
                ? 'is an invalid Date'
                : 'must fall in the years 0000–9999 (in UTC and in Asia/Shanghai)',
            },
          ]);
          expect(() => toShanghaiDateTime(new Date(time))).toThrow(RangeError);
        }
      }),
      { numRuns: fuzzRuns(300) },
    );
  });

  it('refuses every hole in the lines, naming its index, never dropping it', () => {
    fc.assert(
      fc.property(validRefundInputArb, fc.uniqueArray(fc.nat(5), { minLength: 1, maxLength: 4 }), (input, holes) => {
        const lines = input.lines as unknown[];
        const length = Math.max(lines.length, ...holes.map((hole) => hole + 1));
        const sparse: unknown[] = [];
        sparse.length = length;
        for (let index = 0; index < length; index++) {
          if (!holes.includes(index)) sparse[index] = lines[index % lines.length];
        }
        const issues = issuesOf({ ...input, lines: sparse });
        const holePaths = issues
          .filter((issue) => issue.message === 'is missing (the array has a hole here)')
          .map((issue) => issue.path);
        expect(holePaths).toEqual([...holes].sort((a, b) => a - b).map((hole) => `lines[${hole}]`));
      }),
      { numRuns: fuzzRuns(200) },
    );
  });

  it('refuses an array wherever an object is read, even one carrying every key of that object', () => {
    fc.assert(
      fc.property(validRefundInputArb, fc.constantFrom(...OBJECT_PATHS), (input, path) => {
        const original = withValueAt(input, path, path.length === 0 ? input : {}) as Record<string, unknown>;
        let target: object = original;
        for (const key of path) target = (target as Record<string | number, object>)[key]!;
        const disguised = Object.assign([], target);
        const issues = issuesOf(withValueAt(original, path, disguised));
        expect(issues).toHaveLength(1);
        expect(issues[0]?.path).toBe(pathText(path));
        expect(issues[0]?.message).toMatch(/must be an object/);
      }),
      { numRuns: fuzzRuns(200) },
    );
  });
});
