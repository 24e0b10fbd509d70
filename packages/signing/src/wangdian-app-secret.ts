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
  const colon = text.indexOf(':');
  if (colon === -1) throw new RangeError("appSecret must have the form 'secret:salt' (no ':' found)");
  const secret = text.slice(0, colon);
  const salt = text.slice(colon + 1);
  if (secret.length === 0) throw new RangeError("appSecret has an empty secret before the ':'");
  if (salt.length === 0) throw new RangeError("appSecret has an empty salt after the ':'");
  return { secret, salt };
}
