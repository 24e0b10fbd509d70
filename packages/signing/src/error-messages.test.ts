import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  kingdeeAppSignature,
  kingdeeStringToSign,
  parseWangdianAppSecret,
  signKingdeeRequest,
  verifyKingdeeSignature,
  verifyWangdianSign,
  wangdianSign,
  wangdianTimestamp,
} from './index.js';
import { fuzzRuns, text } from './test-support.js';

/** Runs `call`, which must throw, and returns everything the error would show: message, stack, JSON, String(). */
function shown(call: () => unknown): string {
  try {
    call();
  } catch (error) {
    const e = error as Error;
    expect(e).toBeInstanceOf(Error);
    expect(e instanceof TypeError || e instanceof RangeError).toBe(true);
    return [e.message, String(e), e.stack ?? '', JSON.stringify(e), JSON.stringify(Object.entries(e))].join('\n');
  }
  throw new Error('expected the call to throw');
}

/** Every rejected call we can make while holding `secret`: in its own slot, and passed in the wrong slot. */
function rejectedCalls(secret: string): Array<() => unknown> {
  const request = { method: 'GET', path: '/jdy/v2/bd/customer', nonce: '1', timestamp: '1' };
  const wrapped = { toString: () => secret, valueOf: () => secret };
  return [
    () => signKingdeeRequest({ ...request, clientSecret: secret, method: 'FETCH' }),
    () => signKingdeeRequest({ ...request, clientSecret: secret, path: 'no-slash' }),
    () => signKingdeeRequest({ ...request, clientSecret: secret, timestamp: -1 }),
    () => signKingdeeRequest({ ...request, clientSecret: secret, nonce: '1\n2' }),
    () => signKingdeeRequest({ ...request, clientSecret: secret, query: { a: {} as never } }),
    () => signKingdeeRequest({ ...request, clientSecret: wrapped as never }),
    () => signKingdeeRequest({ ...request, clientSecret: [secret] as never }),
    () => signKingdeeRequest({ ...request, clientSecret: '', method: secret }),
    () => kingdeeStringToSign({ ...request, method: secret }),
    () => kingdeeStringToSign({ ...request, path: `x${secret}` }),
    () => kingdeeStringToSign({ ...request, timestamp: `x${secret}` }),
    () => kingdeeStringToSign({ ...request, nonce: `${secret}\n` }),
    () => kingdeeStringToSign({ ...request, query: secret as never }),
    () => kingdeeStringToSign({ ...request, query: [[secret]] as never }),
    () => verifyKingdeeSignature({ ...request, clientSecret: secret, method: 'x', signature: secret }),
    () => kingdeeAppSignature({ appKey: 1 as never, appSecret: secret }),
    () => kingdeeAppSignature({ appKey: secret, appSecret: wrapped as never }),
    () => wangdianSign({ secret, params: { body: secret }, body: secret }),
    () =>
      wangdianSign({
        secret,
        params: [
          ['sid', secret],
          ['sid', secret],
        ],
        body: '',
      }),
    () => wangdianSign({ secret, params: { sid: [secret, secret] }, body: '' }),
    () => wangdianSign({ secret, params: { sid: [{ secret }] as never }, body: '' }),
    () => wangdianSign({ secret, params: secret as never, body: '' }),
    () => wangdianSign({ secret, params: {}, body: wrapped as never }),
    () => wangdianSign({ secret: wrapped as never, params: {}, body: secret }),
    () => verifyWangdianSign({ secret: '', params: {}, body: secret, sign: secret }),
    () => parseWangdianAppSecret(secret.replaceAll(':', '')),
    () => parseWangdianAppSecret(`:${secret}`),
    () => parseWangdianAppSecret(`${secret.replaceAll(':', '')}:`),
    () => parseWangdianAppSecret(wrapped as never),
    () => wangdianTimestamp(secret as never),
  ];
}

describe('error messages', () => {
  it('never contain a secret, whether it is in its own slot or passed in the wrong one', () => {
    const secret = 'SECRET-9f86d081884c7d65-秘密-😀';
    for (const call of rejectedCalls(secret)) {
      const output = shown(call);
      expect(output).not.toContain(secret);
      expect(output).not.toContain('9f86d081');
      expect(output).not.toContain('秘密');
    }
  });

  it('never contain a random secret (property)', () => {
    fc.assert(
      fc.property(text({ minLength: 1, maxLength: 30 }), (random) => {
        const secret = `\u{1f511}${random}`;
        for (const call of rejectedCalls(secret)) expect(shown(call)).not.toContain(secret);
      }),
      { numRuns: fuzzRuns(100) },
    );
  });

  it('name the argument at fault', () => {
    expect(() => signKingdeeRequest({ clientSecret: '', method: 'GET', path: '/', nonce: 1, timestamp: 1 })).toThrow(
      'clientSecret must not be empty',
    );
    expect(() => parseWangdianAppSecret('abc')).toThrow("appSecret must have the form 'secret:salt'");
    expect(() => wangdianSign({ secret: 's', params: {}, body: 1 as never })).toThrow('body must be a string');
  });
});
