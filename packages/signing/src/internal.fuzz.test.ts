import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkedKingdeeAppSignature,
  checkedWangdianTimestamp,
  signCheckedKingdeeRequest,
  signCheckedWangdianRequest,
  splitWangdianAppSecret,
} from './internal.js';
import { kingdeeAppSignature, signKingdeeRequest } from './kingdee-sign.js';
import { fuzzRuns, text } from './test-support.js';
import { parseWangdianAppSecret } from './wangdian-app-secret.js';
import { wangdianSign } from './wangdian-sign.js';
import { wangdianTimestamp } from './wangdian-timestamp.js';

// The unchecked cores the vendor clients sign with must answer exactly what the public, checked functions answer
// for every input the clients can build: the public functions are the cores behind their checks.
describe('unchecked signing cores', () => {
  it('sign a Kingdee request and an app key as signKingdeeRequest and kingdeeAppSignature do', () => {
    const request = fc.record({
      clientSecret: text({ minLength: 1, maxLength: 60 }),
      method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'),
      path: text({ maxLength: 20 }).map((path) => `/${path}`),
      query: fc.array(fc.tuple(text({ minLength: 1, maxLength: 8 }), text()), { maxLength: 6 }),
      nonce: fc.stringMatching(/^[1-9]\d{9}$/),
      timestamp: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }).map(String),
    });
    fc.assert(
      fc.property(request, text({ minLength: 1, maxLength: 30 }), (parts, appKey) => {
        const { clientSecret, method, path, query, nonce, timestamp } = parts;
        expect(signCheckedKingdeeRequest(clientSecret, method, path, query, nonce, timestamp)).toBe(
          signKingdeeRequest(parts),
        );
        expect(checkedKingdeeAppSignature(appKey, clientSecret)).toBe(
          kingdeeAppSignature({ appKey, appSecret: clientSecret }),
        );
      }),
      { numRuns: fuzzRuns(200) },
    );
  });

  it('sign a Wangdian call as wangdianSign does, whatever the order of the pairs', () => {
    const key = text({ minLength: 1, maxLength: 10 }).filter((name) => name !== 'body' && name !== 'sign');
    const call = fc.record({
      secret: text({ minLength: 1, maxLength: 40 }),
      params: fc.uniqueArray(fc.tuple(key, text()), { selector: ([name]) => name, maxLength: 8 }),
      body: text({ maxLength: 200 }),
    });
    fc.assert(
      fc.property(call, ({ secret, params, body }) => {
        const expected = wangdianSign({ secret, params, body });
        expect(signCheckedWangdianRequest(secret, params, body)).toBe(expected);
        expect(signCheckedWangdianRequest(secret, [...params].reverse(), body)).toBe(expected);
      }),
      { numRuns: fuzzRuns(200) },
    );
  });

  it('split an app secret and count Wangdian seconds as the checked functions do', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.integer({ min: 1_325_347_201_000, max: 8.64e15 }), (text, ms) => {
        let parsed: unknown;
        try {
          parsed = parseWangdianAppSecret(text);
        } catch {
          parsed = undefined;
        }
        expect(splitWangdianAppSecret(text)).toEqual(parsed);
        expect(checkedWangdianTimestamp(ms)).toBe(wangdianTimestamp(ms));
      }),
      { numRuns: fuzzRuns(500) },
    );
    for (const value of ['a:b', 'a:b:c', ':b', 'a:', ':', 'ab', '']) {
      const parsed = (() => {
        try {
          return parseWangdianAppSecret(value);
        } catch {
          return undefined;
        }
      })();
      expect(splitWangdianAppSecret(value)).toEqual(parsed);
    }
  });
});
