import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatIssuePath } from './input-issues.js';
import { parseRefund, safeParseRefund } from './parse-refund.js';
import type { RefundInput } from './refund-schema.js';
import { InputValidationError, RefundkitError } from './refundkit-errors.js';
import { minimalRefundInput } from './test-support.js';

/** The complete example refund from the README, so the README can never show an invalid refund. */
function readmeExample(): Record<string, unknown> {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const json = /```json\n([\s\S]*?)```/.exec(readme)?.[1];
  if (!json) throw new Error('README has no JSON example');
  return JSON.parse(json);
}

const minimal = minimalRefundInput;

/** The issues of an invalid input, as path and message (the kind received is checked on its own below). */
function issuesOf(input: unknown) {
  const result = safeParseRefund(input);
  if (result.success) throw new Error('expected the input to fail');
  return result.issues.map(({ path, message }) => ({ path, message }));
}

/** Deep-sets a value at a dotted path with [i] indices, on a structured clone. */
function withValue(path: string, value: unknown, base = { ...minimal(), payment: {}, logistics: {} }) {
  const copy = structuredClone(base);
  const keys = path.replace(/\[(\d+)\]/g, '.$1').split('.');
  let target = copy as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) target = target[key] as Record<string, unknown>;
  const last = keys.at(-1)!;
  if (value === REMOVE) delete target[last];
  else target[last] = value;
  return copy;
}
const REMOVE = Symbol('remove');

describe('parseRefund: valid input', () => {
  it('parses the README example completely', () => {
    const refund = parseRefund(readmeExample());
    expect(refund.refundNo).toBe('RF20240301-0001');
    expect(refund.kind).toBe('return-and-refund');
    expect(refund.requestedAmount.toString()).toBe('268');
    expect(refund.actualAmount.toMinorUnits()).toBe(25800n);
    expect(refund.buyer).toEqual({ nick: '小明的店铺号', payAccount: '138****0000' });
    expect(refund.payment?.channelOrderNo).toBe('4200002024022812345678');
    expect(refund.logistics).toEqual({ company: '顺丰速运', trackingNo: 'SF1234567890123' });
    expect(refund.createdAt?.toISOString()).toBe('2024-03-01T02:30:00.000Z');
    expect(refund.completedAt?.toISOString()).toBe('2024-03-02T07:00:00.000Z');
    expect(refund.lines).toHaveLength(2);
    expect(refund.lines[0]?.lineTotal?.toString()).toBe('198');
    expect(refund.lines[1]?.quantity.toString()).toBe('1');
    expect(refund.lines[1]?.title).toBe('棉袜 三双装');
    expect(refund.lines[0]?.specId).toBe('100200300-3');
  });

  it('fills the defaults and leaves absent optional fields without a key', () => {
    const refund = parseRefund(minimal());
    expect(refund.version).toBe('1');
    expect(refund.reason).toBe('');
    expect(refund.lines[0]?.title).toBe('');
    for (const key of ['remark', 'payment', 'logistics', 'createdAt', 'completedAt'])
      expect(refund).not.toHaveProperty(key);
    expect(refund.buyer).not.toHaveProperty('payAccount');
    expect(refund.lines[0]).not.toHaveProperty('unitPrice');
  });

  it('treats null and undefined optional fields as absent', () => {
    const refund = parseRefund({
      ...minimal(),
      version: null,
      reason: null,
      remark: null,
      payment: { payNo: null, merchantId: 'M1' },
      logistics: null,
      createdAt: undefined,
      buyer: { nick: 'b', payAccount: null },
    });
    expect(refund.version).toBe('1');
    expect(refund.reason).toBe('');
    expect(refund).not.toHaveProperty('remark');
    expect(refund).not.toHaveProperty('logistics');
    expect(refund).not.toHaveProperty('createdAt');
    expect(refund.payment).toStrictEqual({ merchantId: 'M1' });
    expect(refund.buyer).toStrictEqual({ nick: 'b' });
  });

  it('accepts empty reason, title and optional text, and long text (lengths are vendor rules)', () => {
    const long = 'x'.repeat(10_000);
    const refund = parseRefund({ ...withValue('lines[0].title', ''), reason: '', remark: '', refundNo: long });
    expect(refund.reason).toBe('');
    expect(refund.remark).toBe('');
    expect(refund.refundNo).toBe(long);
  });

  it('ignores unknown keys and never pollutes a prototype through __proto__', () => {
    const text = JSON.stringify({ ...minimal(), extra: 1 }).replace(
      '{',
      '{"__proto__":{"polluted":true,"refundNo":"X"},"constructor":{"prototype":{"polluted":true}},',
    );
    const refund = parseRefund(JSON.parse(text));
    expect(refund).not.toHaveProperty('extra');
    expect(Object.keys(refund)).not.toContain('__proto__');
    expect(Object.getPrototypeOf(refund)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(refund.refundNo).toBe('R1');
  });

  it('accepts a Refund (Decimals and Dates) as input and copies its Dates', () => {
    const refund = parseRefund(readmeExample());
    const asInput: RefundInput = refund; // a Refund is a RefundInput, for the type checker too
    const again = parseRefund(asInput);
    expect(again).toStrictEqual(refund);
    expect(again.createdAt).not.toBe(refund.createdAt);
  });

  it('accepts a null-prototype input', () => {
    const input = Object.assign(Object.create(null), minimal());
    expect(parseRefund(input).refundNo).toBe('R1');
  });

  it('is lossless through JSON', () => {
    const refund = parseRefund(readmeExample());
    const json = JSON.stringify(refund);
    expect(JSON.parse(json).requestedAmount).toBe('268');
    expect(JSON.parse(json).createdAt).toBe('2024-03-01T02:30:00.000Z');
    expect(parseRefund(JSON.parse(json))).toStrictEqual(refund);
  });
});

describe('parseRefund: every rule reports its path', () => {
  it.each([
    ['refundNo', REMOVE, 'is required'],
    ['refundNo', '', 'must not be empty'],
    ['refundNo', '   ', 'must not be empty'],
    ['orderNo', 42, 'must be a string'],
    ['shopCode', null, 'must be a string'],
    ['version', '', 'must not be empty'],
    ['buyer.nick', '', 'must not be empty'],
    ['buyer.nick', REMOVE, 'is required'],
    ['buyer', 'nick', 'must be an object'],
    ['buyer.payAccount', 5, 'must be a string'],
    ['lines[0].subOrderId', ' ', 'must not be empty'],
    ['lines[0].title', 5, 'must be a string'],
    ['reason', false, 'must be a string'],
    ['kind', 'refund', 'must be one of cancel-order, refund-before-shipping'],
    ['kind', 2, 'must be one of'],
    ['status', 'done', 'must be one of cancelled, requested'],
    ['afterSale', 'false', 'must be true or false'],
    ['afterSale', REMOVE, 'is required'],
    ['requestedAmount', '1e3', 'must be a plain decimal'],
    ['requestedAmount', {}, 'must be a decimal string'],
    ['requestedAmount', '12.34567', 'more than 4 decimal places'],
    ['requestedAmount', '1234567890123456', 'more than 15 integer digits'],
    ['lines[0].quantity', 0.1 + 0.2, 'more than 4 decimal places'],
    ['lines[0].quantity', Number.NaN, 'finite'],
    ['lines[0].quantity', Number.POSITIVE_INFINITY, 'finite'],
    ['lines[0].quantity', 1e21, 'exponent'],
    ['lines[0].quantity', '0', 'must be greater than zero'],
    ['lines[0].quantity', '-1', 'must be greater than zero'],
    ['lines[0].unitPrice', '-0.01', 'must not be negative'],
    ['lines[0].lineTotal', '-1', 'must not be negative'],
    ['createdAt', '2024-02-30T10:00:00', 'not a real calendar date'],
    ['createdAt', '2024-03-01', 'must be an ISO 8601 date-time'],
    ['completedAt', 1709260200000, 'must be an ISO 8601 date-time'],
    ['completedAt', new Date(Number.NaN), 'invalid Date'],
    ['payment', 'x', 'must be an object'],
    ['payment.terminalIp', 1, 'must be a string'],
    ['logistics.trackingNo', [], 'must be a string'],
    ['lines', [], 'must contain at least one line'],
    ['lines', {}, 'must be an array of refund lines'],
    ['lines', REMOVE, 'is required'],
    ['lines[0]', 'line', 'must be an object (a refund line)'],
  ])('%s = %s: "%s"', (path, value, message) => {
    const issues = issuesOf(withValue(path, value));
    expect(issues).toContainEqual({ path, message: expect.stringContaining(message) });
  });

  it("names what was expected where valibot can say it, and leaves out a custom check's empty 'unknown'", () => {
    const result = safeParseRefund({ ...minimal(), kind: 'refund', afterSale: 'no', reason: 5, requestedAmount: {} });
    expect(result.success).toBe(false);
    const issues = result.success ? [] : result.issues;
    expect(issues).toContainEqual({
      path: 'kind',
      message:
        'must be one of cancel-order, refund-before-shipping, return-and-refund, exchange, refund-without-return',
      received: 'string',
    });
    expect(issues).toContainEqual({
      path: 'reason',
      message: 'must be a string',
      expected: 'string',
      received: 'number',
    });
    expect(issues).toContainEqual({ path: 'afterSale', message: 'must be true or false', received: 'string' });
    expect(issues.find((issue) => issue.path === 'requestedAmount')).not.toHaveProperty('expected');
  });

  it('refuses negative amounts on the refund and the line', () => {
    const input: Record<string, unknown> = { ...minimal(), requestedAmount: '-1', actualAmount: '-1' };
    (input.lines as Record<string, unknown>[])[0] = {
      subOrderId: 'L1',
      quantity: '1',
      requestedAmount: '-1',
      actualAmount: '-1',
    };
    const paths = issuesOf(input)
      .filter((issue) => issue.message === 'must not be negative')
      .map((issue) => issue.path);
    expect(paths).toEqual(['requestedAmount', 'actualAmount', 'lines[0].requestedAmount', 'lines[0].actualAmount']);
  });

  it('refuses actual above requested, on the refund and on a line', () => {
    const line = { subOrderId: 'L1', quantity: '1', requestedAmount: '10', actualAmount: '10.01' };
    const issues = issuesOf({ ...minimal(), actualAmount: '10.01', lines: [line] });
    expect(issues).toContainEqual({ path: 'lines[0].actualAmount', message: 'must not exceed requestedAmount' });
    expect(issues).toContainEqual({ path: 'actualAmount', message: 'must not exceed requestedAmount' });
  });

  it("refuses amounts that are not exactly the sum of the lines'", () => {
    const lines = [
      { subOrderId: 'a', quantity: 1, requestedAmount: '0.1', actualAmount: '0.1' },
      { subOrderId: 'b', quantity: 1, requestedAmount: 0.2, actualAmount: '0.1' },
    ];
    expect(safeParseRefund({ ...minimal(), requestedAmount: '0.3', actualAmount: '0.2', lines }).success).toBe(true);
    const issues = issuesOf({ ...minimal(), requestedAmount: '0.3001', actualAmount: '0.3', lines });
    expect(issues).toEqual([
      { path: 'requestedAmount', message: "must equal the sum of the lines' requestedAmount exactly" },
      { path: 'actualAmount', message: "must equal the sum of the lines' actualAmount exactly" },
    ]);
  });

  it('refuses a lineTotal that is not unitPrice × quantity exactly', () => {
    const line = { subOrderId: 'L1', quantity: '3', unitPrice: '3.3333', requestedAmount: '10', actualAmount: '10' };
    expect(safeParseRefund({ ...minimal(), lines: [{ ...line, lineTotal: '9.9999' }] }).success).toBe(true);
    expect(issuesOf({ ...minimal(), lines: [{ ...line, lineTotal: '10' }] })).toEqual([
      { path: 'lines[0].lineTotal', message: 'must equal unitPrice × quantity exactly' },
    ]);
    // A product with more than 4 places, or beyond Decimal(19,4), is simply unequal: an issue, not an exception.
    const tiny = { ...line, quantity: '0.0001', unitPrice: '0.0001', lineTotal: '0' };
    expect(issuesOf({ ...minimal(), lines: [tiny] })).toEqual([
      { path: 'lines[0].lineTotal', message: 'must equal unitPrice × quantity exactly' },
    ]);
    const huge = { ...line, quantity: '999999999999999', unitPrice: '999999999999999', lineTotal: '1' };
    expect(issuesOf({ ...minimal(), lines: [huge] })).toEqual([
      { path: 'lines[0].lineTotal', message: 'must equal unitPrice × quantity exactly' },
    ]);
  });

  it('sums lines beyond Decimal(19,4) without an exception', () => {
    const big = '999999999999999';
    const line = (id: string) => ({ subOrderId: id, quantity: 1, requestedAmount: big, actualAmount: big });
    const issues = issuesOf({ ...minimal(), requestedAmount: big, actualAmount: big, lines: [line('a'), line('b')] });
    expect(issues.map((issue) => issue.path)).toEqual(['requestedAmount', 'actualAmount']);
  });

  it('lists every issue at once, including cross-field ones next to field errors', () => {
    const input = {
      refundNo: '',
      kind: 'nope',
      status: 'requested',
      requestedAmount: '5',
      actualAmount: '6',
      afterSale: true,
      buyer: { nick: 'b' },
      createdAt: 'soon',
      lines: [
        { subOrderId: 'a', quantity: '1', requestedAmount: '1', actualAmount: '1' },
        null,
        { subOrderId: 'c', quantity: 'lots', requestedAmount: '3', actualAmount: '4' },
      ],
    };
    const paths = issuesOf(input).map((issue) => issue.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'refundNo',
        'orderNo',
        'shopCode',
        'kind',
        'createdAt',
        'lines[1]',
        'lines[2].quantity',
        'lines[2].actualAmount',
        'actualAmount',
      ]),
    );
    // The sums cannot be checked while a line is not an object: no guess is reported.
    expect(paths.filter((path) => path === 'requestedAmount')).toEqual([]);
  });

  it('reports a non-object input, an array among them, at the empty path', () => {
    for (const input of [undefined, null, 'refund', 42, true, [], [minimal()], () => minimal()]) {
      expect(issuesOf(input)).toEqual([
        { path: '', message: input === undefined ? 'is required' : 'the refund must be an object' },
      ]);
    }
  });
});

describe('the error parseRefund throws', () => {
  const caught = (() => {
    try {
      parseRefund({ ...minimal(), refundNo: '', buyer: { nick: 5, payAccount: 'acct-9912' } });
    } catch (error) {
      return error as InputValidationError;
    }
    throw new Error('expected parseRefund to throw');
  })();

  it('carries the refundkit error convention', () => {
    expect(caught).toBeInstanceOf(InputValidationError);
    expect(InputValidationError.isInstance(caught)).toBe(true);
    expect(RefundkitError.isInstance(caught)).toBe(true);
    expect(caught).toBeInstanceOf(Error);
    expect(caught.name).toBe('InputValidationError');
    expect(caught.subject).toBe('refund');
    expect(caught.code).toBe('VALIDATION');
    expect(caught.retryable).toBe(false);
    expect(caught.resendable).toBe(false);
    expect((caught as unknown as Record<symbol, unknown>)[Symbol.for('refundkit.error')]).toBe(true);
    expect(caught.issues).toEqual([
      { path: 'refundNo', message: 'must not be empty or only spaces', received: 'string' },
      { path: 'buyer.nick', message: 'must be a string', expected: 'string', received: 'number' },
    ]);
    expect(caught.message).toBe(
      'Invalid refund: refundNo: must not be empty or only spaces; buyer.nick: must be a string',
    );
  });

  it('serialises without the values sent', () => {
    const json = caught.toJSON();
    expect(json).toEqual({
      name: 'InputValidationError',
      code: 'VALIDATION',
      message: caught.message,
      retryable: false,
      resendable: false,
      subject: 'refund',
      issues: caught.issues,
    });
    expect(JSON.stringify(caught)).not.toContain('acct-9912');
  });

  it('shortens a long list in its message but keeps every issue', () => {
    const error = new InputValidationError(
      'refund',
      Array.from({ length: 8 }, (_, index) => ({ path: `lines[${index}].quantity`, message: 'is required' })),
    );
    expect(error.issues).toHaveLength(8);
    expect(error.message).toMatch(/^Invalid refund: lines\[0\]\.quantity: is required; .*; and 3 more$/);
  });

  it('never echoes personal data or other values in messages', () => {
    const secret = 'PII-nick-4471';
    const inputs = [
      { ...minimal(), buyer: { nick: [secret] } },
      { ...minimal(), buyer: { nick: ' ', payAccount: { secret } } },
      { ...minimal(), requestedAmount: secret, kind: secret, status: secret, createdAt: secret },
      { ...minimal(), lines: [{ subOrderId: secret, quantity: secret, requestedAmount: secret, actualAmount: 1 }] },
    ];
    for (const input of inputs) {
      const result = safeParseRefund(input);
      if (result.success) throw new Error('expected the input to fail');
      expect(JSON.stringify(result.issues)).not.toContain(secret);
      expect(JSON.stringify(new InputValidationError('refund', result.issues))).not.toContain(secret);
    }
  });
});

describe('formatIssuePath arguments', () => {
  it('refuses a path that is not an array and a prefix that is not a string, naming them', () => {
    expect(() => formatIssuePath(5 as never)).toThrow('formatIssuePath: path must be an array of { key }');
    expect(() => formatIssuePath({ key: 'a' } as never)).toThrow(TypeError);
    expect(() => formatIssuePath([], 7 as never)).toThrow('formatIssuePath: prefix must be a string');
    expect(() => formatIssuePath([{ key: 'a' }, null] as never)).toThrow('formatIssuePath: path[1] must be an object');
  });
});

describe('formatIssuePath', () => {
  it('joins keys with dots and writes indexes in brackets, after an optional prefix', () => {
    expect(formatIssuePath([{ key: 'lines' }, { key: 2 }, { key: 'quantity' }])).toBe('lines[2].quantity');
    expect(formatIssuePath([{ key: 0 }, { key: 'refund_no' }])).toBe('[0].refund_no');
    expect(formatIssuePath([{ key: 'buyer_nick' }], 'rows[3]')).toBe('rows[3].buyer_nick');
    expect(formatIssuePath(undefined)).toBe('');
    expect(formatIssuePath([], 'row')).toBe('row');
  });
});
