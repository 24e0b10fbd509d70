import { createHash, createHmac } from 'node:crypto';

/**
 * The hashing primitives on `node:crypto` (OpenSSL): the fast path, used by the source and by the package's `node`
 * export condition. Strings are hashed as UTF-8.
 */

/** Lower-case hex of HMAC-SHA256, keyed by the UTF-8 bytes of `key`, over the UTF-8 bytes of `message`. */
export function hmacSha256Hex(key: string, message: string): string {
  return createHmac('sha256', key).update(message, 'utf8').digest('hex');
}

/** Lower-case hex of MD5 over the UTF-8 bytes of `message`. */
export function md5Hex(message: string): string {
  return createHash('md5').update(message, 'utf8').digest('hex');
}

/** Base64 of an ASCII string (such as hex text). */
export function asciiToBase64(text: string): string {
  return Buffer.from(text, 'latin1').toString('base64');
}
