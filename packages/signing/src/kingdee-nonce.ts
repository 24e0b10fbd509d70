/**
 * Returns a fresh `X-Api-Nonce`: 10 decimal digits drawn from `crypto.getRandomValues` by rejection sampling (so every
 * digit is uniform), the first one 1–9 so the nonce is always a 10-digit positive integer. Works wherever the Web
 * Crypto global exists (Node ≥ 20, Deno, Bun, workers, browsers).
 *
 * @example
 * kingdeeNonce(); // e.g. '4427456950'
 */
export function kingdeeNonce(): string {
  let nonce = '';
  while (nonce.length < 10) {
    const byte = randomByte();
    if (nonce.length === 0) {
      if (byte < 252) nonce += String(1 + (byte % 9));
    } else if (byte < 250) {
      nonce += String(byte % 10);
    }
  }
  return nonce;
}

/** Random bytes drawn a few kilobytes at a time: one `getRandomValues` call serves hundreds of nonces. */
let pool: Uint8Array | undefined;
let next = 0;

function randomByte(): number {
  if (pool === undefined || next === pool.length) {
    pool ??= new Uint8Array(4096);
    globalThis.crypto.getRandomValues(pool);
    next = 0;
  }
  return pool[next++] as number;
}
