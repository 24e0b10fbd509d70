import { describe, expect, it } from 'vitest';
import { findLeaks } from './leak-patterns.ts';

describe('leak patterns', () => {
  it('finds a Kingdee signature (the kingdee-refund-save example) but not other Base64 of the same length', () => {
    const signature = 'ZjBmMjdmN2JkM2NiNDk1Mjc5NTQ3ZjY3MDU4OTBkOTgyZWIwYTUyZTkxZDM4MWVmMmZkNmZhMDEzNGQxOTAyMA==';
    expect(findLeaks(`X-Api-Signature: ${signature}`)).toEqual(['Kingdee signature']);
    const notHex = Buffer.from('z'.repeat(64)).toString('base64');
    expect(findLeaks(notHex)).toEqual([]);
  });

  it('finds a Wangdian sign in a URL or JSON, and the configured secrets and salts', () => {
    expect(findLeaks('/openapi?sid=wdtapi3&sign=4f94282fa2189bbe76c5a6e134cbec2b')).toEqual(['Wangdian sign']);
    expect(findLeaks('{"sign":"4f94282fa2189bbe76c5a6e134cbec2b"}')).toEqual(['Wangdian sign']);
    expect(findLeaks('appSecret testsecret:testsalt')).toEqual(['Wangdian sandbox secret', 'Wangdian sandbox salt']);
    expect(findLeaks('buyer 可用库存')).toEqual(['buyer name']);
  });

  it('finds 48-hex app-tokens but not longer hashes or redacted URLs', () => {
    expect(findLeaks(`app-token ${'ab'.repeat(24)}`)).toEqual(['app-token']);
    expect(findLeaks(`sha256 ${'ab'.repeat(32)}`)).toEqual([]);
    expect(findLeaks('/openapi?sid=wdtapi3&sign=[redacted]&salt=[redacted]')).toEqual([]);
  });
});
