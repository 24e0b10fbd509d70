import { requireSecret } from './argument-checks.js';

/** The two halves of a Wangdian app secret. */
export interface WangdianAppSecret {
  /** Used only to compute `sign`; never sent. */
  secret: string;
  /** Sent as the `salt` query parameter. */
  salt: string;
}

/**
 * Splits a Wangdian app secret, issued as `secret:salt`, at its first `:` (the salt may itself contain `:`). Throws a
 * `TypeError` for a non-string and a `RangeError` naming `appSecret` when there is no `:` or either half is empty;
 * the value never appears in the message.
 *
 * @example
 * parseWangdianAppSecret('testsecret:testsalt'); // { secret: 'testsecret', salt: 'testsalt' }
 */
export function parseWangdianAppSecret(appSecret: string): WangdianAppSecret {
  const text = requireSecret(appSecret, 'appSecret');
  const parts = splitWangdianAppSecret(text);
  if (parts) return parts;
  throw new RangeError(
    !text.includes(':')
      ? "appSecret must have the form 'secret:salt' (no ':' found)"
      : text.startsWith(':')
        ? "appSecret has an empty secret before the ':'"
        : "appSecret has an empty salt after the ':'",
  );
}

/**
 * @internal `parseWangdianAppSecret` without its argument check and its messages, for the Wangdian client, whose
 * settings reader has checked the text and words its own error: the two halves, or `undefined` when there is no `:`
 * or either half is empty.
 */
export function splitWangdianAppSecret(text: string): WangdianAppSecret | undefined {
  const colon = text.indexOf(':');
  const secret = text.slice(0, colon);
  const salt = text.slice(colon + 1);
  return colon > 0 && salt !== '' ? { secret, salt } : undefined;
}
