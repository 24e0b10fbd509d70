// Fuzzing of the client's request validation: whatever a caller passes to uploadRawRefunds, the outcome
// is a result or a typed refundkit error, and input that fails validation never reaches the wire.
import { startWangdianSandbox, type WangdianSandbox } from '@refundkit/sandbox';
import { isRefundkitError, type RefundkitError } from '@refundkit/transport';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { damaged, fuzzRuns, hostileString, hostileValue } from '../../../test-support/fuzz.js';
import type { WangdianRawRefundRow } from './endpoints/raw-refund-upload.js';
import { createWangdianClient } from './wangdian-client.js';
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
