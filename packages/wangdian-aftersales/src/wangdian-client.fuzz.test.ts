// Fuzzing of the client's request validation: whatever a caller passes to uploadRawRefunds, the outcome
// is a result or a typed refundkit error, and input that fails validation never reaches the wire.
import { startWangdianSandbox, type WangdianSandbox } from '@refundkit/sandbox';
import { isRefundkitError, type RefundkitError } from '@refundkit/transport';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  damaged,
  expectRefusedBeforeSending,
  fuzzRuns,
  hostileNumber,
  hostileString,
  hostileValue,
} from '../../../test-support/fuzz.js';
import type { WangdianRawRefundRow } from './endpoints/raw-refund-upload.js';
import { createWangdianClient } from './wangdian-client.js';
import { WANGDIAN_ENDPOINTS } from './wangdian-endpoints.js';
import { DOC_EXAMPLE_ROW } from './wangdian-test-fixtures.js';

let wd: WangdianSandbox;
let sent = 0;

beforeAll(async () => {
  wd = await startWangdianSandbox();
});
afterAll(async () => {
  await wd.close();
});

const client = () =>
  createWangdianClient({
    ...wd.credentials,
    baseUrl: wd.url,
    endpoints: WANGDIAN_ENDPOINTS,
    // Retries as a user's client would (a reused connection can be reset); they never resend invalid input.
    retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 10 },
    fetch: (input, init) => {
      sent += 1;
      return globalThis.fetch(input, init);
    },
  });

async function outcome(shopNo: unknown, rows: unknown): Promise<'uploaded' | RefundkitError> {
  try {
    await client().uploadRawRefunds(shopNo as string, rows as WangdianRawRefundRow[]);
    return 'uploaded';
  } catch (error) {
    if (!isRefundkitError(error)) throw error;
    return error;
  }
}

describe('uploadRawRefunds under fuzzing', () => {
  it('answers any rows with a result or a typed error, and sends nothing that fails validation', async () => {
    const rows = fc.oneof(
      hostileValue,
      fc.array(fc.oneof(hostileValue, damaged(DOC_EXAMPLE_ROW)), { minLength: 1, maxLength: 3 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.constant('LCJ'), hostileString, hostileValue), rows, async (shopNo, input) => {
        sent = 0;
        const result = await outcome(shopNo, input);
        if (result === 'uploaded') {
          expect(sent).toBeGreaterThan(0);
        } else if (result.code === 'VALIDATION') {
          expect(sent).toBe(0);
          expect((result as RefundkitError & { issues: unknown[] }).issues.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: fuzzRuns(1500) },
    );
  });

  it('uploads every well-formed row with arbitrary text in its free-text fields', async () => {
    const text = (max: number) => fc.string({ unit: 'grapheme', maxLength: max });
    let uploaded = 0;
    await fc.assert(
      fc.asyncProperty(text(255), text(100), text(255), async (title, buyerNick, reason) => {
        uploaded += 1;
        const row = { ...DOC_EXAMPLE_ROW, refund_no: `FUZZ-${uploaded}`, title, buyer_nick: buyerNick || 'n', reason };
        expect(await outcome('LCJ', [row])).toBe('uploaded');
        expect(wd.getRefund(row.refund_no, row.oid)?.row).toMatchObject({ title, reason });
      }),
      { numRuns: fuzzRuns(300) },
    );
  });
});

/** A cycle, a NaN, an infinity, a throwing getter and a revoked Proxy: arguments nothing can write. Built on use,
 * since fast-check itself cannot look into a revoked Proxy. */
const UNWRITABLE: Record<string, () => unknown> = {
  cycle: () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    return cycle;
  },
  nan: () => Number.NaN,
  infinity: () => ({ amount: Number.POSITIVE_INFINITY }),
  getter: () =>
    Object.defineProperty({}, 'x', {
      enumerable: true,
      get() {
        throw new Error('getter');
      },
    }),
  revoked: () => {
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    return revoked.proxy;
  },
};
const unwritable = fc.constantFrom(...Object.keys(UNWRITABLE));
const make = (kind: string) => UNWRITABLE[kind]?.();
/** Method names the gateway could never know: empty, spaces, control characters, no dot, objects. */
const badMethod = fc.oneof(
  fc.constantFrom<unknown>('', ' ', 'noDot', 'a.b\u0000', 'a.b\n', 'a..b', '.a.b', 'a.b ', null, 5, {}, ['a.b']),
  hostileValue.filter((value) => typeof value !== 'string'),
);
const badSignal = fc.constantFrom<unknown>(null, 'signal', 5, {}, { aborted: true }, () => undefined);
const badOptions = fc.oneof(
  fc.constantFrom<unknown>(null, 5, 'options', true),
  badSignal.map((signal) => ({ signal })),
);
const badPaging = fc.oneof(
  fc.constantFrom<unknown>(null, 5, 'paging', {}, { pageSize: 0 }, { pageSize: Number.NaN }, { pageSize: 1.5 }),
  fc.constantFrom<unknown>({ pageSize: 10, pageNo: -1 }, { pageSize: 10_000 }, { pageSize: 10, calcTotal: 'yes' }),
  hostileNumber
    .map((pageSize) => ({ pageSize }))
    .filter(({ pageSize }) => !(Number.isSafeInteger(pageSize) && pageSize >= 1 && pageSize <= 1000)),
);

const refusedBeforeSending = (call: () => Promise<unknown>) =>
  expectRefusedBeforeSending(call, {
    reset: () => {
      sent = 0;
    },
    count: () => sent,
  });

describe('the escape hatches under hostile input', () => {
  const SEARCH = 'aftersales.refund.Refund.search';

  it('request(): bad methods, unwritable arguments, bad paging and signals are refused before sending', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          badMethod.map((method) => ({ method, args: [] })),
          unwritable.map((kind) => ({ method: SEARCH, args: [kind] as unknown[], make: true })),
          badPaging.map((paging) => ({ method: SEARCH, args: [{}], paging })),
          badSignal.map((signal) => ({ method: SEARCH, args: [{}], signal })),
          fc.constantFrom<unknown>(null, 'request', 5, { method: SEARCH, args: 'not an array' }),
        ),
        async (request) => {
          // Unwritable arguments are made here, where fast-check never looks at them.
          const built =
            typeof request === 'object' && request !== null && 'make' in request
              ? { method: SEARCH, args: [make(String((request as unknown as { args: unknown[] }).args[0]))] }
              : request;
          await refusedBeforeSending(() => client().request(built as never));
        },
      ),
      { numRuns: fuzzRuns(300) },
    );
  });

  it('call() and the derived method: the same, by position', async () => {
    const wdt = client();
    const untypedCall = wdt.call as (method: unknown, ...args: unknown[]) => Promise<unknown>;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          badMethod.map((method) => () => untypedCall(method)),
          fc.constant(() => untypedCall(SEARCH, {})),
          unwritable.map((kind) => () => untypedCall(SEARCH, make(kind))),
          hostileValue.map((rows) => () => wdt.rawRefundUpload('LCJ', rows as never)),
          badOptions.map((options) => () => wdt.uploadRawRefunds('LCJ', [DOC_EXAMPLE_ROW], options as never)),
        ),
        async (call) => refusedBeforeSending(call),
      ),
      { numRuns: fuzzRuns(300) },
    );
  });

  it('pages(): bad methods, paging options and rows pickers are refused, never sent more than once', async () => {
    const wdt = client();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          badMethod.map((method) => ({ method, options: {} })),
          badOptions.map((options) => ({ method: SEARCH, options })),
          hostileNumber
            .filter((size) => !(Number.isSafeInteger(size) && size >= 1 && size <= 1000))
            .map((pageSize) => ({ method: SEARCH, options: { pageSize } })),
          fc.constantFrom<unknown>(5, 'rows', {}).map((rows) => ({ method: SEARCH, options: { rows } })),
        ),
        async ({ method, options }) =>
          refusedBeforeSending(async () => {
            for await (const _ of wdt.pages(method as never, {}, options as never)) break;
          }),
      ),
      { numRuns: fuzzRuns(200) },
    );
    // A picker that throws or answers no array is named, after the one page it was handed.
    for (const rows of [
      () => 5,
      () => {
        throw new Error('picker');
      },
    ]) {
      sent = 0;
      const error = await (async () => {
        for await (const _ of wdt.pages(
          SEARCH,
          { modified_from: wangdianTimeOf(Date.now() - 3_600_000), modified_to: wangdianTimeOf(Date.now()) },
          { pageSize: 5, rows: rows as never },
        ))
          break;
      })().catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'VALIDATION', issues: [{ path: 'options.rows' }] });
      expect(sent).toBeLessThanOrEqual(1);
    }
  });

  it('withSignal(): anything but an AbortSignal is an InputValidationError naming it', () => {
    fc.assert(
      fc.property(fc.oneof(badSignal, hostileValue), (signal) => {
        expect(() => client().withSignal(signal as never)).toThrow(
          expect.objectContaining({ code: 'VALIDATION', issues: [expect.objectContaining({ path: 'signal' })] }),
        );
      }),
      { numRuns: fuzzRuns(100) },
    );
  });
});

/** A `yyyy-MM-dd HH:mm:ss` time in Asia/Shanghai (UTC+8, no daylight saving). */
function wangdianTimeOf(ms: number): string {
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}
