/**
 * Test helpers shared by this package's test files (never exported from index.ts, never built): the worked signing
 * examples (test-support/signing-worked-examples.ts, shown in docs/protocols-kingdee.md and
 * docs/protocols-wangdian.md), run as named tests against whichever implementation a test file hands in.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SIGNING_WORKED_EXAMPLES } from '../../../test-support/signing-worked-examples.js';
import type * as Signing from './index.js';

export { fuzzRuns } from '../../../test-support/fuzz.js';
export {
  KINGDEE_EXAMPLE_SECRET,
  KINGDEE_HOSTILE_QUERY,
  KINGDEE_TOKEN_NONCE,
  WANGDIAN_UPLOAD_BODY,
  WANGDIAN_UPLOAD_PARAMS,
} from '../../../test-support/signing-worked-examples.js';

type Api = Pick<
  typeof Signing,
  | 'kingdeeAppSignature'
  | 'signKingdeeRequest'
  | 'verifyKingdeeSignature'
  | 'kingdeeStringToSign'
  | 'wangdianSign'
  | 'verifyWangdianSign'
  | 'parseWangdianAppSecret'
>;

/** Registers every worked signing example as its own named test against `api`. */
export function describeWorkedExamples(label: string, api: Api): void {
  const { kingdeeAppSignatures, kingdeeRequests, wangdianSigns } = SIGNING_WORKED_EXAMPLES;

  describe(`Kingdee worked examples (${label})`, () => {
    for (const example of kingdeeAppSignatures) {
      it(`${example.id}: ${example.title}`, () => {
        const { appKey, appSecret } = example;
        expect(api.kingdeeAppSignature({ appKey, appSecret })).toBe(example.appSignature);
      });
    }

    for (const example of kingdeeRequests) {
      const { clientSecret, method, path, query, nonce, timestamp } = example;
      const request = { method, path, query, nonce, timestamp };
      it(`${example.id}: ${example.title}`, () => {
        expect(api.signKingdeeRequest({ clientSecret, ...request })).toBe(example.signature);
        expect(api.verifyKingdeeSignature({ clientSecret, ...request, signature: example.signature })).toBe(true);
        // The order the parameters are given in does not matter.
        expect(api.signKingdeeRequest({ clientSecret, ...request, query: [...query].reverse() })).toBe(
          example.signature,
        );
      });
      const { stringToSign, canonicalQuery } = example;
      if (stringToSign !== undefined) {
        it(`${example.id}: string to sign`, () => {
          expect(api.kingdeeStringToSign(request)).toBe(stringToSign);
        });
      }
      if (canonicalQuery !== undefined) {
        it(`${example.id}: canonical query`, () => {
          expect(api.kingdeeStringToSign(request).split('\n')[2]).toBe(canonicalQuery);
        });
      }
    }
  });

  describe(`Wangdian worked examples (${label})`, () => {
    for (const example of wangdianSigns) {
      it(`${example.id}: ${example.title}`, () => {
        const { secret, salt } = api.parseWangdianAppSecret(example.appSecret);
        const signed = { secret, params: { ...example.params, salt }, body: example.body };
        expect(api.wangdianSign(signed)).toBe(example.sign);
        expect(api.verifyWangdianSign({ ...signed, sign: example.sign })).toBe(true);
      });
      const { url } = example;
      if (url !== undefined) {
        it(`${example.id}: the request URL carries the same sign`, () => {
          const { secret } = api.parseWangdianAppSecret(example.appSecret);
          const { searchParams } = new URL(url);
          expect(searchParams.get('sign')).toBe(example.sign);
          expect(
            api.verifyWangdianSign({
              secret,
              params: searchParams,
              body: example.body,
              sign: searchParams.get('sign'),
            }),
          ).toBe(true);
        });
      }
    }
  });
}

/** Every printable ASCII punctuation character, and the space. */
export const ASCII_PUNCTUATION = ' !"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

/** Any Unicode scalar value (no lone surrogates) as a one- or two-unit string. */
export const anyScalar: fc.Arbitrary<string> = fc
  .integer({ min: 0, max: 0x10ffff - 0x800 })
  .map((n) => String.fromCodePoint(n < 0xd800 ? n : n + 0x800));

/** One unit of test text: ASCII letters, every punctuation character, CJK, emoji (with joiners), any scalar. */
export const textUnit: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...'aZ09'),
  fc.constantFrom(...ASCII_PUNCTUATION),
  fc.constantFrom('中', '文', '退款', 'é', '\u00a0', '\ufffd', '\u0000', '\n'),
  fc.constantFrom('😀', '👨‍👩‍👧', '🇨🇳', '🧧'),
  anyScalar,
);

/** Test text, possibly empty. */
export function text(options: { minLength?: number; maxLength?: number } = {}): fc.Arbitrary<string> {
  return fc.string({ unit: textUnit, minLength: options.minLength ?? 0, maxLength: options.maxLength ?? 12 });
}

/** Replaces the unit at `index % length` with `replacement`; the caller makes sure the result differs. */
export function replaceAt(value: string, index: number, replacement: string): string {
  const at = index % value.length;
  return value.slice(0, at) + replacement + value.slice(at + 1);
}
