import { describe, expect, it } from 'vitest';
import { constantTimeEqual } from './constant-time.js';

describe('constantTimeEqual', () => {
  it('is true only for identical strings', () => {
    expect(constantTimeEqual('', '')).toBe(true);
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abc', 'abd')).toBe(false);
    expect(constantTimeEqual('abc', 'Abc')).toBe(false);
  });

  it('is false for different lengths, including a prefix', () => {
    expect(constantTimeEqual('abc', 'ab')).toBe(false);
    expect(constantTimeEqual('', 'a')).toBe(false);
  });

  it('compares UTF-16 code units, so characters differing only in a high byte are unequal', () => {
    expect(constantTimeEqual('\u0161', '\u0061')).toBe(false);
    expect(constantTimeEqual('中', '中')).toBe(true);
  });
});
