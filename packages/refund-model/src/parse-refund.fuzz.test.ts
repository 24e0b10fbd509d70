import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Decimal } from './decimal.js';
import { parseRefund, safeParseRefund } from './parse-refund.js';
import { InputValidationError } from './refundkit-errors.js';
import { fuzzRuns, validRefundInputArb } from './test-support.js';

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
