/**
 * The one place signing code takes its hashing primitives from. In the source, in tests and in the `node` build this
 * is the `node:crypto` implementation; the portable build (`dist/portable/`, see tsup.config.ts) resolves this
 * module to `hash-portable.ts` instead, so nothing else differs between the two builds.
 */
export { asciiToBase64, hmacSha256Hex, md5Hex } from './hash-node.js';
