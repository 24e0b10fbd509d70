import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { fuzzSeed } from './fuzz-seed.ts';

describe('fuzzSeed', () => {
  it('takes FUZZ_SEED as given, in CI or not', () => {
    expect(fuzzSeed({ FUZZ_SEED: '776419056' })).toBe(776419056);
    expect(fuzzSeed({ FUZZ_SEED: ' -12 ', CI: 'true' })).toBe(-12);
    expect(() => fuzzSeed({ FUZZ_SEED: 'abc' })).toThrow(/FUZZ_SEED must be an integer/);
    expect(() => fuzzSeed({ FUZZ_SEED: '1.5' })).toThrow(/FUZZ_SEED must be an integer/);
  });

  it('derives the seed from the commit under CI, and leaves it to fast-check elsewhere', () => {
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
    expect(fuzzSeed({ CI: 'true' })).toBe(Number.parseInt(head.slice(0, 8), 16) | 0);
    expect(fuzzSeed({})).toBeUndefined();
    expect(fuzzSeed({ FUZZ_SEED: '' })).toBeUndefined();
  });
});
