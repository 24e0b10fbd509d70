import { describe, expect, it } from 'vitest';
import { redactUrl } from './redact.js';

describe('redactUrl', () => {
  it('hides the values of the named parameters, whatever their case, and keeps the rest as it was', () => {
    expect(
      redactUrl('https://api.kingdee.com/x?app_key=k&App_Signature=abc%3D%3D&page=1', ['app_signature', 'sign']),
    ).toBe('https://api.kingdee.com/x?app_key=k&App_Signature=[redacted]&page=1');
  });

  it('removes user name and password, and leaves URLs without a query alone', () => {
    expect(redactUrl(new URL('http://me:pw@127.0.0.1:8080/path'), ['sign'])).toBe('http://127.0.0.1:8080/path');
  });

  it('handles parameters without a value, encoded names and fragments', () => {
    expect(redactUrl('http://h/p?sign&s%69gn=1&x=2#frag', ['sign'])).toBe(
      'http://h/p?sign=[redacted]&s%69gn=[redacted]&x=2#frag',
    );
  });
});
