import { hmac } from '@noble/hashes/hmac.js';
import { md5 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/**
 * The hashing primitives in plain JavaScript (`@noble/hashes`) for runtimes without `node:` built-ins; the package's
 * `default` export condition is built with these. Same signatures and results as `hash-node.ts`.
 */

/** Lower-case hex of HMAC-SHA256, keyed by the UTF-8 bytes of `key`, over the UTF-8 bytes of `message`. */
export function hmacSha256Hex(key: string, message: string): string {
  return bytesToHex(hmac(sha256, utf8ToBytes(key), utf8ToBytes(message)));
}

/** Lower-case hex of MD5 over the UTF-8 bytes of `message`. */
export function md5Hex(message: string): string {
  return bytesToHex(md5(utf8ToBytes(message)));
}

/** Base64 of an ASCII string (such as hex text). */
export function asciiToBase64(text: string): string {
  return btoa(text);
}
