// Fuzzing of the client's request validation: whatever a caller passes to refundSave, the outcome is a
// result or a typed refundkit error, and an input that fails validation never reaches the wire.
import { type KingdeeSandbox, startKingdeeSandbox } from '@refundkit/sandbox';
import { isRefundkitError, type RefundkitError } from '@refundkit/transport';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { damaged, fuzzRuns, hostileValue } from '../../../test-support/fuzz.js';
import type { KingdeeRefundSaveBody } from './endpoints/refund-save.js';
import { createKingdeeRetailClient } from './kingdee-client.js';
import { DOC_EXAMPLE } from './test-support.js';

let kd: KingdeeSandbox;
let sent = 0;

beforeAll(async () => {
  kd = await startKingdeeSandbox();
});
afterAll(async () => {
  await kd.close();
});

const client = () =>
  createKingdeeRetailClient({
    ...kd.credentials,
    baseUrl: kd.url,
    // Retries as a user's client would (a reused connection can be reset); they never resend invalid input.
    retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 10 },
    fetch: (input, init) => {
      sent += 1;
      return globalThis.fetch(input, init);
    },
  });

async function outcome(body: unknown): Promise<'saved' | RefundkitError> {
  const kingdee = client();
  try {
    await kingdee.refundSave(body as KingdeeRefundSaveBody);
    return 'saved';
  } catch (error) {
    if (!isRefundkitError(error)) throw error;
    return error;
  }
}

describe('refundSave under fuzzing', () => {
  it('answers any value with a result or a typed error, and sends nothing that fails validation', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(hostileValue, damaged(DOC_EXAMPLE)), async (body) => {
        sent = 0;
        const result = await outcome(body);
        if (result === 'saved') {
          expect(sent).toBeGreaterThan(0);
        } else if (result.code === 'VALIDATION') {
          expect(sent).toBe(0);
          expect((result as RefundkitError & { issues: unknown[] }).issues.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: fuzzRuns(1000) },
    );
  });

  it('saves every well-formed body with arbitrary text in its fields', async () => {
    const text = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 });
    let saved = 0;
    await fc.assert(
      fc.asyncProperty(text, text, async (desc, terminal) => {
        // A fresh refund number each run: the same number with other content is a conflict, not a save.
        saved += 1;
        const refundNo = `FUZZ-${saved}`;
        sent = 0;
        const result = await outcome({ ...DOC_EXAMPLE, refund_no: refundNo, refund_desc: desc, terminal_no: terminal });
        expect(result).toBe('saved');
        expect(kd.refunds.get(refundNo)?.body).toMatchObject({ refund_desc: desc, terminal_no: terminal });
      }),
      { numRuns: fuzzRuns(300) },
    );
  });
});
