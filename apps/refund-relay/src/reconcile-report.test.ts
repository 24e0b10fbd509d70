import { describe, expect, it } from 'vitest';
import type { LifecycleRecord } from './lifecycle.js';
import type { DeliveryRecord } from './outbox-store.js';
import {
  describeEntry,
  formatDuration,
  formatReconcileReport,
  type ReconcileReport,
  reconcileEntries,
  reconcileOutcome,
  reconcileTotals,
} from './reconcile-report.js';

const HOUR = 3_600_000;
const NOW = 1_700_000_000_000;

function delivery(refundNo: string, vendor: 'kingdee' | 'wangdian', more: Partial<DeliveryRecord> = {}) {
  const { body: _body, ...record }: DeliveryRecord = {
    refundNo,
    versionNo: 1,
    vendor,
    state: 'delivered',
    attempts: 1,
    alreadyThere: false,
    errorCode: null,
    errorMessage: null,
    body: '{}',
    ...more,
  };
  return record;
}

function lifecycle(refundNo: string, vendor: 'kingdee' | 'wangdian', more: Partial<LifecycleRecord> = {}) {
  const record: LifecycleRecord = {
    refundNo,
    versionNo: 1,
    vendor,
    state: 'done',
    stage: null,
    vendorStatus: null,
    reason: null,
    differences: [],
    detail: {},
    deliveredAt: NOW - 10 * HOUR,
    stateSince: NOW - 5 * HOUR,
    seenAt: NOW - 2 * HOUR,
    ...more,
  };
  return record;
}

const options = { now: NOW, stuckAfterMs: 24 * HOUR };

describe('reconcileEntries', () => {
  it('takes the newest version sent to each vendor and its lifecycle, ordered by refund then vendor', () => {
    const entries = reconcileEntries(
      [
        delivery('B', 'wangdian'),
        delivery('A', 'wangdian', { versionNo: 2 }),
        delivery('A', 'wangdian'),
        delivery('A', 'kingdee'),
      ],
      [
        lifecycle('A', 'wangdian', {
          versionNo: 2,
          state: 'in_progress',
          stage: 'refund_order',
          vendorStatus: '20 待审核',
        }),
        lifecycle('A', 'kingdee'),
        lifecycle('B', 'wangdian', { state: 'awaiting' }),
      ],
      options,
    );
    expect(entries.map((e) => [e.refundNo, e.vendor, e.versionNo, e.verdict, e.state, e.forMs])).toEqual([
      ['A', 'kingdee', 1, 'done', 'done', 2 * HOUR],
      ['A', 'wangdian', 2, 'in_progress', '退换单 20 待审核', 2 * HOUR],
      ['B', 'wangdian', 1, 'in_progress', 'awaiting the vendor', 2 * HOUR],
    ]);
  });

  it('calls a refund unchanged at the vendor past the threshold stuck, and one changed since not', () => {
    const held = { state: 'in_progress' as const, stage: 'refund_order' as const, vendorStatus: '20 待审核' };
    const [stuck, moving] = reconcileEntries(
      [delivery('A', 'wangdian'), delivery('B', 'wangdian')],
      [
        lifecycle('A', 'wangdian', { ...held, stateSince: NOW - 30 * HOUR, seenAt: NOW - 25 * HOUR }),
        lifecycle('B', 'wangdian', { ...held, stateSince: NOW - 30 * HOUR, seenAt: NOW - 23 * HOUR }),
      ],
      options,
    );
    expect(stuck).toMatchObject({ verdict: 'stuck', since: NOW - 25 * HOUR, forMs: 25 * HOUR });
    expect(moving).toMatchObject({ verdict: 'in_progress', forMs: 23 * HOUR });
    expect(describeEntry(stuck!, options.stuckAfterMs)).toBe('stuck: 退换单 20 待审核 for 1d 1h (longer than 1d)');
  });

  it('reports refusals with the vendor’s reason, the lifecycle’s first, else the delivery’s error', () => {
    const entries = reconcileEntries(
      [
        delivery('A', 'kingdee', { state: 'failed', errorCode: 'BUSINESS', errorMessage: 'refused by the channel' }),
        delivery('B', 'kingdee', { state: 'failed', versionNo: 2, errorCode: 'BUSINESS', errorMessage: 'keeps v1' }),
      ],
      [
        lifecycle('A', 'kingdee', { state: 'refused', stage: 'refund', reason: '支付失败，签名异常' }),
        lifecycle('B', 'kingdee'),
      ],
      options,
    );
    expect(entries.map((e) => [e.verdict, e.reason, e.versionNo])).toEqual([
      ['refused', '支付失败，签名异常', 1],
      ['refused', 'BUSINESS keeps v1', 2],
    ]);
  });

  it('reports pending deliveries in progress, dead ones missing, and keeps the differences as they came', () => {
    const differences = [{ field: 'actual_refund_amount', ours: '12.5', theirs: '8.00' }];
    const entries = reconcileEntries(
      [
        delivery('A', 'wangdian', { state: 'pending' }),
        delivery('B', 'wangdian', { state: 'dead', attempts: 8, errorCode: 'HTTP_503', errorMessage: 'unavailable' }),
        delivery('C', 'wangdian'),
        delivery('D', 'wangdian'),
      ],
      [
        lifecycle('C', 'wangdian', { state: 'different', differences }),
        lifecycle('D', 'wangdian', { state: 'missing', reason: 'not found 6h after delivery' }),
      ],
      options,
    );
    expect(entries.map((e) => [e.refundNo, e.verdict, e.state])).toEqual([
      ['A', 'in_progress', 'delivery pending'],
      ['B', 'missing', 'not delivered (dead after 8 attempts)'],
      ['C', 'different', 'different'],
      ['D', 'missing', 'not visible since delivery'],
    ]);
    expect(entries[1]!.reason).toBe('HTTP_503 unavailable');
    expect(entries[2]!.differences).toEqual(differences);
    expect(entries[3]!.forMs).toBe(10 * HOUR);
    expect(describeEntry(entries[2]!, HOUR)).toBe('different: actual_refund_amount ours 12.5, theirs 8.00');
  });

  it('with since, leaves out refunds delivered before it but keeps those without a lifecycle', () => {
    const entries = reconcileEntries(
      [delivery('A', 'kingdee'), delivery('B', 'kingdee'), delivery('C', 'kingdee', { state: 'pending' })],
      [
        lifecycle('A', 'kingdee', { deliveredAt: NOW - HOUR }),
        lifecycle('B', 'kingdee', { deliveredAt: NOW - 3 * HOUR }),
      ],
      { ...options, since: NOW - 2 * HOUR },
    );
    expect(entries.map((e) => e.refundNo)).toEqual(['A', 'C']);
  });
});

describe('reconcileOutcome', () => {
  it('puts what needs a person before what is in progress, and nothing at all is all done', () => {
    const entries = reconcileEntries(
      [delivery('A', 'kingdee'), delivery('B', 'kingdee', { state: 'pending' }), delivery('C', 'kingdee')],
      [lifecycle('A', 'kingdee'), lifecycle('C', 'kingdee', { state: 'refused', reason: 'no' })],
      options,
    );
    expect(reconcileOutcome(entries)).toBe('needs-person');
    expect(reconcileOutcome(entries.slice(0, 2))).toBe('in-progress');
    expect(reconcileOutcome(entries.slice(0, 1))).toBe('all-done');
    expect(reconcileOutcome([])).toBe('all-done');
    expect(reconcileTotals(entries).kingdee).toEqual({
      done: 1,
      in_progress: 1,
      stuck: 0,
      refused: 1,
      missing: 0,
      different: 0,
    });
  });
});

describe('formatReconcileReport', () => {
  it('shows the table, what needs a person, what is in progress and the exit code', () => {
    const entries = reconcileEntries(
      [delivery('A', 'kingdee'), delivery('B', 'wangdian', { state: 'pending' }), delivery('C', 'wangdian')],
      [lifecycle('A', 'kingdee'), lifecycle('C', 'wangdian', { state: 'refused', reason: '订单不存在' })],
      options,
    );
    const report: ReconcileReport = {
      command: 'reconcile',
      db: '/tmp/outbox.db',
      at: NOW,
      since: null,
      stuckAfterMs: options.stuckAfterMs,
      totals: reconcileTotals(entries),
      entries,
      outcome: reconcileOutcome(entries),
    };
    expect(formatReconcileReport(report)).toBe(
      [
        'reconcile outbox /tmp/outbox.db at 2023-11-14T22:13:20.000Z: 3 refund deliveries',
        '',
        '          done  in progress  stuck  refused  missing  different',
        'Kingdee      1            0      0        0        0          0',
        'Wangdian     0            1      0        1        0          0',
        '',
        'needs a person (1):',
        '  Wangdian  C v1  refused: 订单不存在',
        '',
        'still in progress (1):',
        '  Wangdian  B v1  in progress: delivery pending',
        '',
        'reconcile: something needs a person (exit 2)',
      ].join('\n'),
    );
  });
});

describe('formatDuration', () => {
  it('shows the two largest units', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(999)).toBe('0s');
    expect(formatDuration(45_000)).toBe('45s');
    expect(formatDuration(12 * 60_000 + 5_000)).toBe('12m 5s');
    expect(formatDuration(3 * HOUR)).toBe('3h');
    expect(formatDuration(2 * 24 * HOUR + 4 * HOUR + 59_000)).toBe('2d 4h');
    expect(formatDuration(-5)).toBe('0s');
  });
});
