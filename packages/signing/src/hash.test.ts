import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as node from './hash-node.js';
import * as portable from './hash-portable.js';
import { anyScalar, fuzzRuns } from './test-support.js';

describe.each([
  ['node:crypto', node],
  ['@noble/hashes', portable],
] as const)('hash primitives on %s', (_name, hash) => {
  it('md5Hex matches known digests', () => {
    expect(hash.md5Hex('')).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(hash.md5Hex('abc')).toBe('900150983cd24fb0d6963f7d28e17f72');
  });

  it('hmacSha256Hex matches a known MAC', () => {
    expect(hash.hmacSha256Hex('key', 'The quick brown fox jumps over the lazy dog')).toBe(
      'f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8',
    );
  });

  it('asciiToBase64 encodes hex text', () => {
    expect(hash.asciiToBase64('')).toBe('');
    expect(hash.asciiToBase64('0a')).toBe('MGE=');
    expect(hash.asciiToBase64('d9c1')).toBe('ZDljMQ==');
  });

  it('hashes a lone surrogate as U+FFFD', () => {
    expect(hash.md5Hex('\ud800')).toBe(hash.md5Hex('\ufffd'));
  });
});

describe('node:crypto and @noble/hashes paths', () => {
  it('agree on random unicode keys and messages', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: anyScalar, maxLength: 100 }),
        fc.string({ unit: anyScalar, maxLength: 300 }),
        (key, message) => {
          expect(portable.hmacSha256Hex(key, message)).toBe(node.hmacSha256Hex(key, message));
          expect(portable.md5Hex(message)).toBe(node.md5Hex(message));
        },
      ),
      { numRuns: fuzzRuns(300) },
    );
  });

  it('agree on keys longer than the HMAC block and on long messages', () => {
    const key = 'k'.repeat(65);
    const message = '退款'.repeat(20_000);
    expect(portable.hmacSha256Hex(key, message)).toBe(node.hmacSha256Hex(key, message));
    expect(portable.md5Hex(message)).toBe(node.md5Hex(message));
  });

  it('agree on Base64 of random hex text', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9a-f]{0,64}$/), (hex) => {
        expect(portable.asciiToBase64(hex)).toBe(node.asciiToBase64(hex));
      }),
      { numRuns: fuzzRuns(200) },
    );
  });

  it('only hash-node.ts imports a node: built-in among the modules that are built', () => {
    const dir = new URL('.', import.meta.url);
    const modules = readdirSync(dir).filter(
      (file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && file !== 'test-support.ts',
    );
    const importingNode = modules.filter((file) => /from\s+['"]node:/.test(readFileSync(new URL(file, dir), 'utf8')));
    expect(importingNode).toEqual(['hash-node.ts']);
    expect(readFileSync(new URL('hash-portable.ts', dir), 'utf8')).not.toMatch(/['"]node:|\bBuffer\b|process\./);
  });
});
