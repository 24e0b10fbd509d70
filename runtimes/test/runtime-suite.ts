// Test helper: the suite every runtime passes. The sandboxes run here, in Node, on 127.0.0.1; the runtime program
// (runtimes/src/) gets their URLs and credentials, runs once, and reports; each expectation is its own named test.
import {
  type KingdeeSandbox,
  startKingdeeSandbox,
  startWangdianSandbox,
  type WangdianSandbox,
} from '@refundkit/sandbox';
import type { WangdianRawRefundRow } from '@refundkit/wangdian-aftersales';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docBody } from '../../packages/kingdee-retail/src/test-support.ts';
import { SIGNING_WORKED_EXAMPLES, WANGDIAN_UPLOAD_BODY } from '../../test-support/signing-worked-examples.ts';
import type { RuntimeCheckInput, RuntimeReport } from '../src/runtime-checks.ts';

/** A started runtime: `run` runs the program once with an input and answers its report. */
export interface StartedRuntime {
  run(input: RuntimeCheckInput): Promise<RuntimeReport>;
  close?(): Promise<void>;
}

/** One runtime under test, and what must hold on it. */
export interface RuntimeSuite {
  /** The name tests are grouped under, e.g. `Bun`. */
  name: string;
  /** Starts the runtime, failing with a message that names it when it cannot start. */
  start(): Promise<StartedRuntime>;
  /** The file each package must resolve to (relative to packages/), where the runtime can tell. */
  resolves?: Record<string, string>;
  /** Whether the runtime has a `process` global. */
  hasProcess: boolean;
  /** Why the credential fallback finds nothing: no variable is set, or reading the environment is denied. */
  fallback: 'unset' | 'denied';
}

const SEARCH_METHOD = 'aftersales.refund.RawRefund.search';
/** Each suite has sandboxes of its own, so one refund number serves them all. */
const refundNo = 'runtime-check-1';
const [SHOP_NO, UPLOAD_ROWS] = JSON.parse(WANGDIAN_UPLOAD_BODY) as [string, WangdianRawRefundRow[]];

/** Registers the suite of one runtime. */
export function describeRuntime(suite: RuntimeSuite): void {
  describe(suite.name, () => {
    let kingdee: KingdeeSandbox;
    let wangdian: WangdianSandbox;
    let runtime: StartedRuntime | undefined;
    let report: RuntimeReport;
    const rows = UPLOAD_ROWS.map((row) => ({ ...row, refund_no: refundNo }));

    beforeAll(async () => {
      [kingdee, wangdian] = await Promise.all([startKingdeeSandbox(), startWangdianSandbox({ shops: [SHOP_NO] })]);
      runtime = await suite.start();
      report = await runtime.run({
        examples: SIGNING_WORKED_EXAMPLES,
        kingdee: { settings: { ...kingdee.credentials, baseUrl: kingdee.url }, body: docBody(refundNo) },
        wangdian: {
          settings: { ...wangdian.credentials, baseUrl: wangdian.url },
          shopNo: SHOP_NO,
          rows,
          search: { method: SEARCH_METHOD, filter: { refund_no: refundNo }, pageSize: 10 },
        },
        // Nothing listens on the discard port: a client that got that far would fail loudly.
        fallbackBaseUrl: 'http://127.0.0.1:9',
      });
    });

    afterAll(async () => {
      await Promise.all([kingdee?.close(), wangdian?.close(), runtime?.close?.()]);
    });

    const { resolves } = suite;
    if (resolves !== undefined) {
      it('resolves each package to the build its exports conditions name for this runtime', () => {
        const where = Object.fromEntries(
          Object.entries(report.resolved).map(([name, url]) => [name, url.replace(/^.*\/packages\//, '')]),
        );
        expect(where).toEqual(resolves);
      });
    }

    it(suite.hasProcess ? 'has a process global' : 'has no process global', () => {
      expect(report.hasProcess).toBe(suite.hasProcess);
    });

    for (const example of SIGNING_WORKED_EXAMPLES.kingdeeAppSignatures) {
      it(`signs ${example.id}: ${example.title}`, () => {
        expect(report.kingdeeAppSignatures[example.id]).toEqual({
          ok: true,
          value: { appSignature: example.appSignature },
        });
      });
    }
    for (const example of SIGNING_WORKED_EXAMPLES.kingdeeRequests) {
      it(`signs ${example.id}: ${example.title}`, () => {
        const outcome = report.kingdeeRequests[example.id];
        expect(outcome).toMatchObject({ ok: true, value: { signature: example.signature, verified: true } });
        const { stringToSign } = (outcome as { value: { stringToSign: string } }).value;
        if (example.stringToSign !== undefined) expect(stringToSign).toBe(example.stringToSign);
        if (example.canonicalQuery !== undefined) expect(stringToSign.split('\n')[2]).toBe(example.canonicalQuery);
      });
    }
    for (const example of SIGNING_WORKED_EXAMPLES.wangdianSigns) {
      it(`signs ${example.id}: ${example.title}`, () => {
        expect(report.wangdianSigns[example.id]).toEqual({
          ok: true,
          value: { sign: example.sign, verified: true, ...(example.url !== undefined && { urlVerified: true }) },
        });
      });
    }

    it('Kingdee: fetches an app-token and saves a refund', () => {
      const stored = kingdee.refunds.get(refundNo);
      expect(report.kingdeeRefundSave).toEqual({ ok: true, value: { outcome: 'succeeded', data: stored?.data } });
      expect(stored?.body.refund_no).toBe(refundNo);
      expect(kingdee.counters).toMatchObject({ tokensIssued: 1, saves: 1, newRefunds: 1 });
    });

    it('Wangdian: uploads a raw refund', () => {
      expect(report.wangdianUpload).toEqual({ ok: true, value: { newCount: 1, chgCount: 0 } });
      const [row] = rows;
      expect(wangdian.getRefund(refundNo, row?.oid ?? '')?.row).toEqual(row);
    });

    it('Wangdian: reads the refund back with one paged search', () => {
      expect(report.wangdianSearch).toMatchObject({
        ok: true,
        // The client's typed reading of the row: money and quantities exact decimal strings (through JSON), flags
        // as booleans.
        value: {
          total_count: 1,
          order: [
            {
              ...rows[0],
              shop_no: SHOP_NO,
              num: String(rows[0]?.num),
              refund_amount: String(rows[0]?.refund_amount),
              actual_refund_amount: String(rows[0]?.actual_refund_amount),
              is_aftersale: rows[0]?.is_aftersale === 1,
            },
          ],
        },
      });
      expect(wangdian.counters).toMatchObject({ uploads: 1, searches: 1 });
    });

    const why = suite.fallback === 'denied' ? 'reading the environment denied' : 'no credential set anywhere';
    it(`with ${why}, each client's fallback is a ConfigurationError naming the variable`, () => {
      expect(report.kingdeeFallback).toMatchObject({
        ok: false,
        error: { name: 'ConfigurationError', message: expect.stringContaining('KINGDEE_CLIENT_ID') },
      });
      expect(report.wangdianFallback).toMatchObject({
        ok: false,
        error: { name: 'ConfigurationError', message: expect.stringContaining('WANGDIAN_SID') },
      });
    });
  });
}
