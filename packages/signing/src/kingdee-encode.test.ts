import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formEncode, gwEncode, kingdeeCanonicalQuery } from './kingdee-encode.js';
import { anyScalar, fuzzRuns } from './test-support.js';

const ALPHANUMERIC = /^[A-Za-z0-9]$/;

/** The encoders' rule for one ASCII character, written out independently of the implementation. */
function expectedAscii(char: string, keep: string): string {
  if (ALPHANUMERIC.test(char) || keep.includes(char)) return char;
  if (char === ' ') return '+';
  return `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
}

/** A second formulation on encodeURIComponent (UTF-8, upper-case hex), for well-formed strings. */
function viaEncodeURIComponent(text: string, alsoEscape: RegExp): string {
  return encodeURIComponent(text)
    .replace(alsoEscape, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

describe('gwEncode and formEncode', () => {
  it('encode every ASCII character by their tables', () => {
    for (let code = 0; code < 128; code++) {
      const char = String.fromCharCode(code);
      expect(gwEncode(char), `gwEncode of ${code}`).toBe(expectedAscii(char, '-_.~'));
      expect(formEncode(char), `formEncode of ${code}`).toBe(expectedAscii(char, '.-*_'));
    }
  });

  it('differ exactly on * and ~', () => {
    expect(gwEncode('*~')).toBe('%2A~');
    expect(formEncode('*~')).toBe('*%7E');
  });

  it('write UTF-8 bytes as upper-case %HH, including 2-, 3- and 4-byte characters', () => {
    expect(gwEncode('é中😀')).toBe('%C3%A9%E4%B8%AD%F0%9F%98%80');
    expect(formEncode('é中😀')).toBe('%C3%A9%E4%B8%AD%F0%9F%98%80');
    expect(gwEncode('\u00a0\u07ff\u0800\uffff')).toBe('%C2%A0%DF%BF%E0%A0%80%EF%BF%BF');
  });

  it('encode a lone surrogate as U+FFFD, as TextEncoder and URLSearchParams do', () => {
    expect(gwEncode('a\ud800b')).toBe('a%EF%BF%BDb');
    expect(gwEncode('\udc00')).toBe('%EF%BF%BD');
    expect(formEncode('x\ud83d')).toBe('x%EF%BF%BD');
  });

  it('return safe text unchanged and the empty string as is', () => {
    expect(gwEncode('')).toBe('');
    expect(gwEncode('Abc-_.~09')).toBe('Abc-_.~09');
  });

  it('agree with an encodeURIComponent formulation on random well-formed strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: anyScalar, maxLength: 40 }), (text) => {
        expect(gwEncode(text)).toBe(viaEncodeURIComponent(text, /[!'()*]/g));
        expect(formEncode(text)).toBe(viaEncodeURIComponent(text, /[!'()~]/g));
      }),
      { numRuns: fuzzRuns(500) },
    );
  });
});

describe('kingdeeCanonicalQuery', () => {
  it('is empty without parameters', () => {
    expect(kingdeeCanonicalQuery([])).toBe('');
  });

  it('sorts whole k=v strings, so a-b=x comes before a=y', () => {
    expect(
      kingdeeCanonicalQuery([
        ['a', 'y'],
        ['a-b', 'x'],
      ]),
    ).toBe('a-b=x&a=y');
  });

  it('keeps repeated keys as separate pairs, sorted by value', () => {
    expect(
      kingdeeCanonicalQuery([
        ['id', '2'],
        ['id', '10'],
        ['id', '1'],
      ]),
    ).toBe('id=1&id=10&id=2');
  });

  it('skips a pair whose key is empty, but keeps empty values', () => {
    expect(
      kingdeeCanonicalQuery([
        ['', 'x'],
        ['k', ''],
      ]),
    ).toBe('k=');
  });

  it('encodes keys twice with gwEncode and values with formEncode then gwEncode', () => {
    expect(kingdeeCanonicalQuery([['a/b', 'abc==']])).toBe('a%252Fb=abc%253D%253D');
    expect(kingdeeCanonicalQuery([['a b', 'a b']])).toBe('a%2Bb=a%2Bb');
    expect(kingdeeCanonicalQuery([['k', 'x y*~']])).toBe('k=x%2By%2A%257E');
  });
});
