import { requireOptions, requireSecret, requireString } from './argument-checks.js';
import { constantTimeEqual } from './constant-time.js';
import { md5Hex } from './hash.js';
import { type ParamsInput, toParamPairs } from './query-pairs.js';

/**
 * The query parameters of a Wangdian call except `sign`: `sid`, `key`, `salt`, `method`, `timestamp`, `v`, and
 * `page_size`, `page_no`, `calc_total` when paging. A plain object, a `URLSearchParams` or an iterable of pairs; a
 * `sign` entry is ignored, so a received query can be passed as it is. Keys must be unique.
 */
export type WangdianParams = ParamsInput;

/** A Wangdian call to sign. */
export interface WangdianSignInput {
  /** The part of the app secret before the first `:` (see `parseWangdianAppSecret`). */
  secret: string;
  params: WangdianParams;
  /** The exact JSON text that is POSTed, byte for byte. */
  body: string;
}

/** A Wangdian call and the `sign` it arrived with. */
export interface WangdianVerifyInput extends WangdianSignInput {
  /** The received `sign`; anything that is not the right sign (including `null`) verifies `false`. */
  sign: string | null | undefined;
}

/** Orders strings as their UTF-8 bytes would: by code point, which differs from UTF-16 order above U+E000. */
function compareByCodePoint(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

/** Moves surrogates (U+D800–U+DFFF, which stand for code points above U+FFFF) after U+E000–U+FFFF. */
function codePointRank(unit: number): number {
  if (unit >= 0xe000) return unit - 0x800;
  if (unit >= 0xd800) return unit + 0x2000;
  return unit;
}

/**
 * Computes the `sign` query parameter of a Wangdian 旺店通 旗舰版 `/openapi` call: the lower-case hex MD5 of
 * `secret + key1 + value1 + key2 + value2 + … + secret` over UTF-8, where the pairs are `params` plus `body` (the
 * exact JSON text POSTed) sorted by key in byte order. Values are used as they are, not URL-encoded; numbers become
 * `String(n)`, so give `v` as the string `'1.0'`. Sign the very text you send: re-serialising the body changes the
 * sign. Throws a `TypeError` or `RangeError` naming the argument for a non-string or empty secret, malformed params,
 * a repeated key, a `body` key inside `params`, or a body that is not a string.
 *
 * @example
 * const { secret, salt } = parseWangdianAppSecret(appSecret);
 * const body = JSON.stringify(['LCJ', rows]);
 * const params = { sid, key: appKey, salt, method: 'aftersales.refund.RawRefund.upload',
 *   timestamp: wangdianTimestamp(), v: '1.0' };
 * const sign = wangdianSign({ secret, params, body });
 * // POST `${base}/openapi?${new URLSearchParams({ ...params, sign })}` with `body`
 */
export function wangdianSign(input: WangdianSignInput): string {
  requireOptions(input, 'wangdianSign');
  const secret = requireSecret(input.secret, 'secret');
  const body = requireString(input.body, 'body');
  const pairs = toParamPairs(input.params, 'params').filter(([key]) => key !== 'sign');
  const seen = new Set<string>();
  for (const [key] of pairs) {
    if (key === 'body') throw new RangeError("params must not contain 'body'; pass the JSON text as body");
    if (seen.has(key)) throw new RangeError(`params must not repeat the key ${JSON.stringify(key)}`);
    seen.add(key);
  }
  return signCheckedWangdianRequest(secret, pairs, body);
}

/**
 * @internal `wangdianSign` without its argument checks, for the Wangdian client, which builds its query pairs itself
 * (text values, no `sign` or `body` key, no key twice) and checks its secret once at creation. Signs exactly as
 * `wangdianSign` does for the same pairs and body.
 */
export function signCheckedWangdianRequest(
  secret: string,
  params: ReadonlyArray<readonly [string, string]>,
  body: string,
): string {
  const pairs = [...params, ['body', body] as const];
  pairs.sort((a, b) => compareByCodePoint(a[0], b[0]));
  let text = secret;
  for (const [key, value] of pairs) text += key + value;
  return md5Hex(text + secret);
}

/**
 * Checks a received Wangdian `sign` against the call it came with, comparing in constant time. Returns `false` for a
 * wrong sign and for any malformed one (`null`, not a string, upper-case or wrong-length hex); it never throws for
 * the sign. A bad secret, params or body is a programmer error and throws as in `wangdianSign`. It does not judge the
 * timestamp: the caller enforces the 120-second window (see `wangdianTimestamp`).
 *
 * @example
 * const params = new URL(request.url).searchParams;
 * const ok = verifyWangdianSign({ secret, params, body: rawBodyText, sign: params.get('sign') });
 */
export function verifyWangdianSign(input: WangdianVerifyInput): boolean {
  const expected = wangdianSign(requireOptions(input, 'verifyWangdianSign'));
  const { sign } = input;
  return typeof sign === 'string' && constantTimeEqual(expected, sign);
}
