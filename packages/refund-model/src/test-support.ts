// Shared by this package's tests only; not exported from index.ts and not part of the build.
import fc from 'fast-check';
import { Decimal } from './decimal.js';
import { REFUND_KINDS, REFUND_STATUSES } from './refund.js';

export { fuzzRuns } from '../../../test-support/fuzz.js';

/** The largest scaled magnitude of Decimal(19,4). */
export const MAX_SCALED = 10n ** 19n - 1n;

/** Any Decimal(19,4) value, given as its scaled bigint (value × 10⁴). */
export const scaledArb = fc.oneof(
  fc.bigInt({ min: -MAX_SCALED, max: MAX_SCALED }),
  fc.bigInt({ min: -1_000_000_000n, max: 1_000_000_000n }),
  fc.constantFrom(0n, 1n, -1n, MAX_SCALED, -MAX_SCALED, 10_000n, 5_000n, -5_000n),
);

/** Builds a decimal text from a scaled bigint, independently of `Decimal.toString` (fixed 4 places, sign, +). */
export function scaledToText(scaled: bigint, options: { plus?: boolean; trailingZeros?: number } = {}): string {
  const negative = scaled < 0n;
  const digits = (negative ? -scaled : scaled).toString().padStart(5, '0');
  const sign = negative ? '-' : options.plus ? '+' : '';
  return `${sign}${digits.slice(0, -4)}.${digits.slice(-4)}${'0'.repeat(options.trailingZeros ?? 0)}`;
}

/** A Decimal from its scaled value. */
export function decimalOf(scaled: bigint): Decimal {
  return Decimal.from(scaledToText(scaled));
}

/** A decimal as a producer might send it: canonical text, padded text, a plain number when exact, or a Decimal. */
function decimalInputArb(scaled: bigint): fc.Arbitrary<string | number | Decimal> {
  const text = decimalOf(scaled).toString();
  const options: fc.Arbitrary<string | number | Decimal>[] = [
    fc.constant(text),
    fc.constant(scaledToText(scaled, { trailingZeros: 2 })),
    fc.constant(decimalOf(scaled)),
  ];
  const asNumber = Number(text);
  if (String(asNumber) === text) options.push(fc.constant(asNumber));
  return fc.oneof(...options);
}

const nonBlankText = fc.string({ minLength: 1, maxLength: 20 }).filter((s) => /\S/.test(s));
const anyText = fc.string({ maxLength: 20, unit: 'binary' });

/** An instant as ISO text with Z, with an offset, without an offset (+08:00), or as a Date; and the expected time. */
const instantArb = fc
  .tuple(
    fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(2100, 0, 1) }),
    fc.constantFrom('Z', '+08:00', '-05:30', '', '+0000', 'date'),
  )
  .map(([time, zone]) => {
    if (zone === 'date') return { input: new Date(time) as string | Date, time };
    if (zone === 'Z') return { input: new Date(time).toISOString(), time };
    const offsetMinutes = zone === '' || zone === '+08:00' ? 480 : zone === '-05:30' ? -330 : 0;
    const local = new Date(time + offsetMinutes * 60_000).toISOString().slice(0, -1); // drop the Z
    return { input: `${local}${zone}`, time };
  });

const lineArb = fc
  .record({
    subOrderId: nonBlankText,
    title: fc.option(anyText, { nil: undefined }),
    quantityScaled: fc.oneof(fc.bigInt({ min: 1n, max: 10_000_000n }), fc.constantFrom(10_000n, 20_000n, 5_000n)),
    unitPriceScaled: fc.option(fc.bigInt({ min: 0n, max: 100_000_000n }), { nil: undefined }),
    requestedScaled: fc.bigInt({ min: 0n, max: 10_000_000_000n }),
    actualShare: fc.bigInt({ min: 0n, max: 100n }),
    goodsNo: fc.option(anyText, { nil: undefined }),
    specId: fc.option(anyText, { nil: undefined }),
  })
  .chain((line) => {
    const actualScaled = (line.requestedScaled * line.actualShare) / 100n;
    const product = line.unitPriceScaled === undefined ? undefined : line.unitPriceScaled * line.quantityScaled;
    const lineTotalScaled = product !== undefined && product % 10_000n === 0n ? product / 10_000n : undefined;
    return fc
      .record({
        quantity: decimalInputArb(line.quantityScaled),
        unitPrice: line.unitPriceScaled === undefined ? fc.constant(undefined) : decimalInputArb(line.unitPriceScaled),
        lineTotal: lineTotalScaled === undefined ? fc.constant(undefined) : decimalInputArb(lineTotalScaled),
        requestedAmount: decimalInputArb(line.requestedScaled),
        actualAmount: decimalInputArb(actualScaled),
      })
      .map((amounts) => ({
        input: compact({
          subOrderId: line.subOrderId,
          title: line.title,
          goodsNo: line.goodsNo,
          specId: line.specId,
          ...amounts,
        }),
        requestedScaled: line.requestedScaled,
        actualScaled,
      }));
  });

/** Drops undefined properties (so optional fields are absent, not undefined). */
function compact<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as T;
}

/** A valid refund input in every shape a producer may use. */
export const validRefundInputArb: fc.Arbitrary<Record<string, unknown>> = fc
  .record({
    refundNo: nonBlankText,
    orderNo: nonBlankText,
    shopCode: nonBlankText,
    kind: fc.constantFrom(...REFUND_KINDS),
    status: fc.constantFrom(...REFUND_STATUSES),
    version: fc.option(nonBlankText, { nil: undefined }),
    reason: fc.option(anyText, { nil: undefined }),
    remark: fc.option(anyText, { nil: undefined }),
    afterSale: fc.boolean(),
    nick: nonBlankText,
    payAccount: fc.option(anyText, { nil: undefined }),
    payNo: fc.option(anyText, { nil: undefined }),
    trackingNo: fc.option(anyText, { nil: undefined }),
    createdAt: fc.option(instantArb, { nil: undefined }),
    completedAt: fc.option(instantArb, { nil: undefined }),
    lines: fc.array(lineArb, { minLength: 1, maxLength: 4 }),
  })
  .chain((refund) => {
    const requested = refund.lines.reduce((total, line) => total + line.requestedScaled, 0n);
    const actual = refund.lines.reduce((total, line) => total + line.actualScaled, 0n);
    return fc
      .record({ requestedAmount: decimalInputArb(requested), actualAmount: decimalInputArb(actual) })
      .map((amounts) =>
        compact({
          refundNo: refund.refundNo,
          orderNo: refund.orderNo,
          shopCode: refund.shopCode,
          kind: refund.kind,
          status: refund.status,
          version: refund.version,
          reason: refund.reason,
          remark: refund.remark,
          afterSale: refund.afterSale,
          buyer: compact({ nick: refund.nick, payAccount: refund.payAccount }),
          payment: refund.payNo === undefined ? undefined : { payNo: refund.payNo },
          logistics: refund.trackingNo === undefined ? undefined : { trackingNo: refund.trackingNo, company: null },
          createdAt: refund.createdAt?.input,
          completedAt: refund.completedAt?.input,
          ...amounts,
          lines: refund.lines.map((line) => line.input),
        }),
      );
  });

/** The smallest valid refund input: one line, every required field, nothing optional. */
export function minimalRefundInput(): Record<string, unknown> {
  return {
    refundNo: 'R1',
    orderNo: 'O1',
    shopCode: 'S1',
    kind: 'refund-before-shipping',
    status: 'requested',
    requestedAmount: '10',
    actualAmount: '10',
    afterSale: false,
    buyer: { nick: 'buyer' },
    lines: [{ subOrderId: 'L1', quantity: '1', requestedAmount: '10', actualAmount: '10' }],
  };
}
