/**
 * Shared by the property ("fuzz") suites of every package; test code only, never built or published.
 */
import fc from 'fast-check';
import { expect } from 'vitest';

/**
 * Scales a property's run count by FUZZ_RUNS_MULTIPLIER (a positive number, default 1), so `pnpm fuzz` runs the
 * same properties a hundred times harder than the test command does.
 */
export function fuzzRuns(base: number): number {
  const raw = process.env.FUZZ_RUNS_MULTIPLIER;
  const multiplier = raw === undefined || raw.trim() === '' ? 1 : Number(raw);
  if (!Number.isFinite(multiplier) || multiplier <= 0) {
    throw new RangeError('FUZZ_RUNS_MULTIPLIER must be a positive number');
  }
  return Math.max(1, Math.round(base * multiplier));
}

/** Strings an attacker or a broken producer sends: lone surrogates, control characters, 1 MB, prototype keys. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom('\uD800', '\uDFFF', 'a\uD83D', '\u0000', '\u202E', '__proto__', 'constructor', ' ', '', '𠮷'),
  fc.constant('x'.repeat(1024 * 1024)),
);

/** Numbers that break naive code: NaN, ±Infinity, -0, huge and tiny values, unsafe integers. */
export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.double(),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 1e21, 2 ** 53 + 1, 5e-324),
  fc.integer(),
);

/** Any JSON-ish value with hostile leaves, `__proto__`/`constructor` keys and nesting up to a few hundred levels. */
export const hostileValue: fc.Arbitrary<unknown> = fc
  .letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      hostileString,
      hostileNumber,
      fc.boolean(),
      fc.constant(null),
      fc.constant(undefined),
      fc.bigInt(),
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(fc.oneof(hostileString, fc.constantFrom('__proto__', 'constructor', 'prototype')), tie('value'), {
        maxKeys: 4,
      }),
    ),
  }))
  .value.chain((leaf) =>
    fc.oneof(
      { weight: 9, arbitrary: fc.constant(leaf) },
      { weight: 1, arbitrary: fc.integer({ min: 1, max: 300 }).map((depth) => nest(leaf, depth)) },
    ),
  );

function nest(value: unknown, depth: number): unknown {
  let out = value;
  for (let i = 0; i < depth; i += 1) out = i % 2 === 0 ? [out] : { nested: out };
  return out;
}

/**
 * Takes a valid object and damages it: one field replaced by a hostile value, removed, or a `__proto__` key added
 * through JSON (so it is an own property, as it would be from a parsed request).
 */
export function damaged<T extends object>(valid: T): fc.Arbitrary<Record<string, unknown>> {
  const keys = Object.keys(valid);
  const base = valid as Record<string, unknown>;
  return fc.oneof(
    fc.tuple(fc.constantFrom(...keys), hostileValue).map(([key, value]) => ({ ...base, [key]: value })),
    fc.constantFrom(...keys).map((key) => {
      const copy: Record<string, unknown> = { ...base };
      delete copy[key];
      return copy;
    }),
    hostileValue.map((value) => ({ ...base, ...JSON.parse(`{"__proto__":${toJson(value)}}`) })),
  );
}

/** JSON text of a generated value: bigints as strings, anything JSON cannot hold as null. */
function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (typeof v === 'bigint' ? v.toString() : v)) ?? 'null';
}

/**
 * Runs one call of a client's escape hatch with hostile input and demands what every refundkit client promises: a
 * promise (never a synchronous throw), rejected with a refundkit `VALIDATION` error naming at least one field, and
 * nothing sent (`wire` counts the requests the client's fetch saw).
 */
export async function expectRefusedBeforeSending(
  call: () => Promise<unknown>,
  wire: { reset(): void; count(): number },
): Promise<void> {
  wire.reset();
  let promise: Promise<unknown>;
  try {
    promise = call();
  } catch (error) {
    throw new Error(`threw synchronously: ${String(error)}`);
  }
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  const marked =
    typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[Symbol.for('refundkit.error')];
  expect(marked).toBe(true);
  expect(error).toMatchObject({ code: 'VALIDATION' });
  expect((error as { issues: unknown[] }).issues.length).toBeGreaterThan(0);
  expect(wire.count()).toBe(0);
}
