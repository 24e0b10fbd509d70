import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signKingdeeRequest, verifyKingdeeSignature } from './kingdee-sign.js';
import { ASCII_PUNCTUATION, fuzzRuns, replaceAt, text, textUnit } from './test-support.js';
import { verifyWangdianSign, wangdianSign } from './wangdian-sign.js';

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'] as const;

const kingdeeRequest = fc.record({
  clientSecret: text({ minLength: 1, maxLength: 80 }),
  method: fc.constantFrom(...METHODS, 'get', 'Patch'),
  path: text({ maxLength: 20 }).map((path) => `/${path}`),
  query: fc.array(fc.tuple(text({ minLength: 1, maxLength: 8 }), text()), { maxLength: 6 }),
  nonce: fc.stringMatching(/^\d{1,12}$/),
  timestamp: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
});

const wangdianKey = text({ minLength: 1, maxLength: 10 }).filter((key) => key !== 'body' && key !== 'sign');
const wangdianCall = fc.record({
  secret: text({ minLength: 1, maxLength: 40 }),
  params: fc.dictionary(wangdianKey, text(), { maxKeys: 8 }),
  body: text({ maxLength: 200 }),
});

/** Replaces one code unit of `value` by a text unit, keeping only results that differ from `value`. */
const mutation = fc.record({ index: fc.nat(), unit: textUnit });
function mutate(value: string, change: { index: number; unit: string }): string {
  const mutated = replaceAt(value, change.index, change.unit);
  fc.pre(mutated !== value);
  return mutated;
}

describe('Kingdee signature properties', () => {
  it('verify(sign(x)) holds, in every query form, for random unicode, emoji, punctuation and empty values', () => {
    fc.assert(
      fc.property(kingdeeRequest, (request) => {
        const signature = signKingdeeRequest(request);
        expect(signature).toMatch(/^[A-Za-z0-9+/]{86}==$/);
        expect(verifyKingdeeSignature({ ...request, signature })).toBe(true);
        expect(signKingdeeRequest({ ...request, query: new URLSearchParams(request.query) })).toBe(signature);
        if (new Set(request.query.map(([key]) => key)).size === request.query.length) {
          expect(signKingdeeRequest({ ...request, query: Object.fromEntries(request.query) })).toBe(signature);
        }
      }),
      { numRuns: fuzzRuns(500) },
    );
  });

  it('holds with every ASCII punctuation character as a key and as a value', () => {
    const query = [...ASCII_PUNCTUATION].map((char) => [`k${char}`, `${char}v${char}`] as [string, string]);
    query.push([ASCII_PUNCTUATION, ASCII_PUNCTUATION]);
    const request = {
      clientSecret: ASCII_PUNCTUATION,
      method: 'GET',
      path: `/${ASCII_PUNCTUATION}`,
      nonce: 1,
      timestamp: 2,
    };
    const signature = signKingdeeRequest({ ...request, query });
    expect(verifyKingdeeSignature({ ...request, query: [...query].reverse(), signature })).toBe(true);
    expect(verifyKingdeeSignature({ ...request, query: query.slice(1), signature })).toBe(false);
  });

  it('fails when the secret changes', () => {
    fc.assert(
      fc.property(kingdeeRequest, mutation, (request, change) => {
        const signature = signKingdeeRequest(request);
        const clientSecret = mutate(request.clientSecret, change);
        expect(verifyKingdeeSignature({ ...request, clientSecret, signature })).toBe(false);
      }),
      { numRuns: fuzzRuns(300) },
    );
  });

  it('fails when the nonce changes', () => {
    fc.assert(
      fc.property(kingdeeRequest, fc.nat(), fc.integer({ min: 1, max: 9 }), (request, index, shift) => {
        const signature = signKingdeeRequest(request);
        const at = index % request.nonce.length;
        const digit = String((Number(request.nonce[at]) + shift) % 10);
        const nonce = request.nonce.slice(0, at) + digit + request.nonce.slice(at + 1);
        expect(verifyKingdeeSignature({ ...request, nonce, signature })).toBe(false);
      }),
      { numRuns: fuzzRuns(300) },
    );
  });

  it('fails when the timestamp changes', () => {
    fc.assert(
      fc.property(kingdeeRequest, fc.integer({ min: -1_000_000, max: 1_000_000 }), (request, delta) => {
        const timestamp = request.timestamp + delta;
        fc.pre(delta !== 0 && timestamp >= 1 && Number.isSafeInteger(timestamp));
        const signature = signKingdeeRequest(request);
        expect(verifyKingdeeSignature({ ...request, timestamp, signature })).toBe(false);
      }),
      { numRuns: fuzzRuns(300) },
    );
  });

  it('fails when any query value, key, the method or the path changes, or a parameter is added', () => {
    fc.assert(
      fc.property(kingdeeRequest, fc.nat(), mutation, fc.constantFrom(...METHODS), (request, pick, change, method) => {
        const signature = signKingdeeRequest(request);
        const verify = (override: Partial<typeof request>) =>
          verifyKingdeeSignature({ ...request, ...override, signature });
        if (request.query.length > 0) {
          const at = pick % request.query.length;
          const [key, value] = request.query[at]!;
          const changedValue = replaceAt(`${value}x`, change.index, change.unit);
          if (changedValue !== value) {
            expect(verify({ query: request.query.map((pair, i) => (i === at ? [key, changedValue] : pair)) })).toBe(
              false,
            );
          }
          const changedKey = replaceAt(key, change.index, change.unit);
          if (changedKey !== key) {
            expect(verify({ query: request.query.map((pair, i) => (i === at ? [changedKey, value] : pair)) })).toBe(
              false,
            );
          }
        }
        if (method !== request.method.toUpperCase()) expect(verify({ method })).toBe(false);
        const path = replaceAt(request.path, change.index, change.unit);
        if (path.startsWith('/') && path !== request.path) expect(verify({ path })).toBe(false);
        expect(verify({ query: [...request.query, ['extra', '']] })).toBe(false);
      }),
      { numRuns: fuzzRuns(300) },
    );
  });
});

describe('Wangdian sign properties', () => {
  it('verify(sign(x)) holds, in every params form, for random unicode, emoji, punctuation and empty values', () => {
    fc.assert(
      fc.property(wangdianCall, (call) => {
        const sign = wangdianSign(call);
        expect(sign).toMatch(/^[0-9a-f]{32}$/);
        expect(verifyWangdianSign({ ...call, sign })).toBe(true);
        const entries = Object.entries(call.params).reverse();
        expect(wangdianSign({ ...call, params: new URLSearchParams(entries) })).toBe(sign);
        expect(wangdianSign({ ...call, params: entries })).toBe(sign);
      }),
      { numRuns: fuzzRuns(500) },
    );
  });

  it('holds with every ASCII punctuation character as a key and as a value', () => {
    const params = Object.fromEntries([...ASCII_PUNCTUATION].map((char) => [`k${char}`, `${char}v${char}`]));
    const call = { secret: ASCII_PUNCTUATION, params, body: `["${ASCII_PUNCTUATION}"]` };
    const sign = wangdianSign(call);
    expect(verifyWangdianSign({ ...call, params: Object.entries(params).reverse(), sign })).toBe(true);
    expect(verifyWangdianSign({ ...call, params: { ...params, 'k!': '!v' }, sign })).toBe(false);
  });

  it('fails when any single character of the body changes', () => {
    fc.assert(
      fc.property(wangdianCall, mutation, (call, change) => {
        fc.pre(call.body.length > 0);
        const sign = wangdianSign(call);
        expect(verifyWangdianSign({ ...call, body: mutate(call.body, change), sign })).toBe(false);
      }),
      { numRuns: fuzzRuns(300) },
    );
  });

  it('fails when any single byte of a compact JSON body changes', () => {
    fc.assert(
      fc.property(fc.json({ maxDepth: 3 }), fc.nat(), fc.integer({ min: 1, max: 126 }), (json, index, shift) => {
        const body = JSON.stringify(JSON.parse(json));
        const at = index % body.length;
        const code = body.charCodeAt(at);
        fc.pre(code < 0x80);
        const changed = body.slice(0, at) + String.fromCharCode((code + shift) % 0x80) + body.slice(at + 1);
        const call = { secret: 'testsecret', params: { sid: 'wdtapi3', v: '1.0' }, body };
        expect(verifyWangdianSign({ ...call, body: changed, sign: wangdianSign(call) })).toBe(false);
      }),
      { numRuns: fuzzRuns(300) },
    );
  });

  it('fails when any parameter value, the timestamp or the secret changes', () => {
    fc.assert(
      fc.property(
        wangdianCall,
        fc.nat(),
        mutation,
        fc.integer({ min: 1, max: 2_000_000_000 }),
        fc.integer({ min: 1, max: 1000 }),
        (call, pick, change, timestamp, delta) => {
          const params: Record<string, string | number> = { ...call.params, timestamp };
          const sign = wangdianSign({ ...call, params });
          const verify = (override: Partial<Parameters<typeof wangdianSign>[0]>) =>
            verifyWangdianSign({ ...call, params, ...override, sign });
          expect(verify({})).toBe(true);
          expect(verify({ params: { ...params, timestamp: timestamp + delta } })).toBe(false);
          const keys = Object.keys(params);
          const key = keys[pick % keys.length]!;
          const value = String(params[key]);
          const changed = replaceAt(`${value}x`, change.index, change.unit);
          if (changed !== value) expect(verify({ params: { ...params, [key]: changed } })).toBe(false);
          const secret = replaceAt(call.secret, change.index, change.unit);
          if (secret !== call.secret) expect(verify({ secret })).toBe(false);
        },
      ),
      { numRuns: fuzzRuns(300) },
    );
  });
});
