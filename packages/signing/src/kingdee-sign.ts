import {
  requireMethod,
  requireNonce,
  requireOptions,
  requirePath,
  requireSecret,
  requireString,
  requireTimestamp,
} from './argument-checks.js';
import { constantTimeEqual } from './constant-time.js';
import { asciiToBase64, hmacSha256Hex } from './hash.js';
import { gwEncode, kingdeeCanonicalQuery } from './kingdee-encode.js';
import { type ParamsInput, toParamPairs } from './query-pairs.js';

/**
 * Query parameters of a Kingdee request: a plain object, a `URLSearchParams`, or an iterable of `[key, value]` pairs.
 * Values are strings or numbers (`String(n)`); a repeated key (several pairs, or an array of values in a plain
 * object) is signed as separate pairs.
 */
export type KingdeeQuery = ParamsInput;

/** The parts of a Kingdee request that take part in its signature. */
export interface KingdeeRequestParts {
  /** `GET`, `POST`, `PUT`, `DELETE` or `PATCH`, in any letter case (signed upper-case). */
  method: string;
  /** The request path alone, starting with `/`: no host, no query string. */
  path: string;
  /** The query parameters actually sent, if any (`undefined` or `null`: none). */
  query?: KingdeeQuery | null | undefined;
  /** The `X-Api-Nonce` header value. */
  nonce: string | number;
  /** The `X-Api-TimeStamp` header value, in milliseconds. */
  timestamp: string | number;
}

/** A Kingdee request to sign with the app's client secret. */
export interface KingdeeSignInput extends KingdeeRequestParts {
  clientSecret: string;
}

/** A Kingdee request and the `X-Api-Signature` it arrived with. */
export interface KingdeeVerifyInput extends KingdeeSignInput {
  /** The received `X-Api-Signature`; anything that is not the right signature (including `null`) verifies `false`. */
  signature: string | null | undefined;
}

/** The inputs of the `app_signature` query parameter of the app-token call. */
export interface KingdeeAppSignatureInput {
  appKey: string;
  appSecret: string;
}

function stringToSign(parts: KingdeeRequestParts): string {
  return canonicalRequest(
    requireMethod(parts.method),
    requirePath(parts.path),
    parts.query == null ? [] : toParamPairs(parts.query, 'query'),
    requireNonce(parts.nonce),
    requireTimestamp(parts.timestamp),
  );
}

/** The text a Kingdee signature covers, from parts already checked (see {@link stringToSign}). */
function canonicalRequest(
  method: string,
  path: string,
  query: ReadonlyArray<readonly [string, string]>,
  nonce: string,
  timestamp: string,
): string {
  return `${method}\n${gwEncode(path)}\n${kingdeeCanonicalQuery(query)}\nx-api-nonce:${nonce}\nx-api-timestamp:${timestamp}\n`;
}

function base64HexHmac(secret: string, message: string): string {
  return asciiToBase64(hmacSha256Hex(secret, message));
}

/**
 * Builds the exact text a Kingdee request signature is computed over: the upper-case method, the gwEncoded path, the
 * canonical query (empty when there is none), then the `x-api-nonce:` and `x-api-timestamp:` lines, each line ending
 * in `\n`. Useful to compare with a gateway's 4008 "signature invalid" diagnostics; to sign, call
 * `signKingdeeRequest`. Throws a `TypeError` or `RangeError` naming the argument for a bad method, a path not
 * starting with `/`, a malformed query, nonce or timestamp.
 *
 * @example
 * kingdeeStringToSign({ method: 'POST', path: '/jdy/v2/ls/refundSave', nonce: '1234567890', timestamp: 1700000000000 });
 * // 'POST\n%2Fjdy%2Fv2%2Fls%2FrefundSave\n\nx-api-nonce:1234567890\nx-api-timestamp:1700000000000\n'
 */
export function kingdeeStringToSign(request: KingdeeRequestParts): string {
  return stringToSign(requireOptions(request, 'kingdeeStringToSign'));
}

/**
 * Computes the `X-Api-Signature` header of a Kingdee open-API request: Base64 of the lower-case hex HMAC-SHA256 of
 * the string to sign, keyed by the client secret (88 characters ending in `==`). Sign the query exactly as it is sent
 * and send the same nonce and timestamp in `X-Api-Nonce` and `X-Api-TimeStamp`; the body is not signed. Throws a
 * `TypeError` or `RangeError` naming the argument for a missing or empty secret or a malformed request part.
 *
 * @example
 * const nonce = kingdeeNonce();
 * const timestamp = Date.now();
 * const signature = signKingdeeRequest({ clientSecret, method: 'GET', path: '/jdy/v2/bd/customer',
 *   query: { page: 1, page_size: 100 }, nonce, timestamp });
 */
export function signKingdeeRequest(input: KingdeeSignInput): string {
  requireOptions(input, 'signKingdeeRequest');
  const secret = requireSecret(input.clientSecret, 'clientSecret');
  return base64HexHmac(secret, stringToSign(input));
}

/**
 * Checks a received Kingdee `X-Api-Signature` against the request it came with, comparing in constant time. Returns
 * `false` for a wrong signature and for any malformed one (`null`, not a string, wrong length); it never throws for
 * the signature. A bad secret or request part is a programmer error and throws as in `signKingdeeRequest`. It does
 * not judge the timestamp's age: the caller enforces the 5-minute window.
 *
 * @example
 * const ok = verifyKingdeeSignature({ clientSecret, method: req.method, path: url.pathname, query: url.searchParams,
 *   nonce: headers.get('x-api-nonce') ?? '', timestamp: headers.get('x-api-timestamp') ?? '',
 *   signature: headers.get('x-api-signature') });
 */
export function verifyKingdeeSignature(input: KingdeeVerifyInput): boolean {
  const expected = signKingdeeRequest(requireOptions(input, 'verifyKingdeeSignature'));
  const { signature } = input;
  return typeof signature === 'string' && constantTimeEqual(expected, signature);
}

/**
 * Computes the `app_signature` query parameter of `GET /jdyconnector/app_management/kingdee_auth_token`: Base64 of
 * the lower-case hex HMAC-SHA256 of the app key, keyed by the app secret. The call itself is then signed with
 * `signKingdeeRequest`, with `app_key` and `app_signature` in its query. Throws a `TypeError` or `RangeError` naming
 * the argument for a non-string app key or a non-string or empty app secret.
 *
 * @example
 * kingdeeAppSignature({ appKey: 'abc', appSecret: 'abc123' });
 * // 'ZDljMTI3NGIyNTE1MTRkYzlkNjc1MDNhYjUzMzgzNWMyY2M4YTdjMzdmNmM3YTVlNDkxMTkzNjdiOTFjNzUyZQ=='
 */
export function kingdeeAppSignature(input: KingdeeAppSignatureInput): string {
  requireOptions(input, 'kingdeeAppSignature');
  const appSecret = requireSecret(input.appSecret, 'appSecret');
  return checkedKingdeeAppSignature(requireString(input.appKey, 'appKey'), appSecret);
}

/**
 * @internal `signKingdeeRequest` without its argument checks, for the Kingdee client, which checks its settings once
 * at creation and builds every other part itself: `method` in upper case, `path` starting with `/`, `query` as text
 * pairs, `nonce` and `timestamp` as text (the parameters of `canonicalRequest`). Signs exactly as `signKingdeeRequest` does for the same parts.
 */
export function signCheckedKingdeeRequest(clientSecret: string, ...parts: Parameters<typeof canonicalRequest>): string {
  return base64HexHmac(clientSecret, canonicalRequest(...parts));
}

/** @internal `kingdeeAppSignature` without its argument checks, for the Kingdee client (see above). */
export function checkedKingdeeAppSignature(appKey: string, appSecret: string): string {
  return base64HexHmac(appSecret, appKey);
}
