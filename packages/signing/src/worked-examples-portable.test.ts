import { expect, it, vi } from 'vitest';
import * as hash from './hash.js';
import * as portable from './hash-portable.js';
import * as signing from './index.js';
import { describeWorkedExamples } from './test-support.js';

// The portable build resolves './hash.js' to './hash-portable.js' (see tsup.config.ts); do the same here, so the
// whole public API runs on @noble/hashes against the same worked examples.
vi.mock('./hash.js', () => import('./hash-portable.js'));

it('runs the public API on the portable hashing module', () => {
  expect(hash.hmacSha256Hex).toBe(portable.hmacSha256Hex);
  expect(hash.md5Hex).toBe(portable.md5Hex);
  expect(hash.asciiToBase64).toBe(portable.asciiToBase64);
});

describeWorkedExamples('portable @noble/hashes path', signing);
