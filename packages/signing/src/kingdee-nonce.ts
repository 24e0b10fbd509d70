/**
 * Returns a fresh `X-Api-Nonce`: 10 decimal digits drawn from `crypto.getRandomValues` by rejection sampling (so every
 * digit is uniform), the first one 1–9 so the nonce is always a 10-digit positive integer. Works wherever the Web
 * Crypto global exists (Node ≥ 20, Deno, Bun, workers, browsers).
 *
 * @example
 * kingdeeNonce(); // e.g. '4427456950'
 */
export function kingdeeNonce(): string {
  const bytes = new Uint8Array(16);
  let nonce = '';
  while (nonce.length < 10) {
    globalThis.crypto.getRandomValues(bytes);
    for (const byte of bytes) {
      if (nonce.length === 10) break;
      if (nonce.length === 0) {
        if (byte < 252) nonce += String(1 + (byte % 9));
      } else if (byte < 250) {
        nonce += String(byte % 10);
      }
    }
  }
  return nonce;
}
