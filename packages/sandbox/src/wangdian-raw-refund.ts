/**
 * The rows of `aftersales.refund.RawRefund.upload` (原始退款单推送) and `upload2` (原始退款单推送2) as the Wangdian
 * sandbox checks and compares them, following the vendor pages' `order_list` tables.
 */
import { numberText, readExactDecimal } from './wangdian-json.js';
import { readShanghaiDateTime } from './wangdian-query-rules.js';

type FieldRule =
  | { kind: 'string'; required: boolean; max: number; nonEmpty?: boolean; dateTime?: boolean }
  | { kind: 'decimal'; required: boolean }
  | { kind: 'int'; required: boolean; allowed: readonly number[] };

/** The upload page's order_list table: type, length, required. */
const FIELDS: Record<string, FieldRule> = {
  refund_no: { kind: 'string', required: true, max: 40, nonEmpty: true },
  num: { kind: 'decimal', required: true },
  tid: { kind: 'string', required: true, max: 40, nonEmpty: true },
  oid: { kind: 'string', required: true, max: 40, nonEmpty: true },
  type: { kind: 'int', required: true, allowed: [0, 1, 2, 3, 4] },
  status: { kind: 'int', required: true, allowed: [1, 2, 3, 4, 5] },
  refund_version: { kind: 'string', required: true, max: 40, nonEmpty: true },
  refund_amount: { kind: 'decimal', required: true },
  actual_refund_amount: { kind: 'decimal', required: true },
  title: { kind: 'string', required: true, max: 255 },
  logistics_name: { kind: 'string', required: false, max: 40 },
  logistics_no: { kind: 'string', required: false, max: 40 },
  buyer_nick: { kind: 'string', required: true, max: 100, nonEmpty: true },
  refund_time: { kind: 'string', required: false, max: 40, dateTime: true },
  current_phase_timeout: { kind: 'string', required: false, max: 40, dateTime: true },
  is_aftersale: { kind: 'int', required: true, allowed: [0, 1] },
  reason: { kind: 'string', required: true, max: 255 },
  price: { kind: 'decimal', required: false },
  pay_account: { kind: 'string', required: false, max: 128 },
  pay_no: { kind: 'string', required: false, max: 60 },
  remark: { kind: 'string', required: false, max: 255 },
  total_amount: { kind: 'decimal', required: false },
  spec_no: { kind: 'string', required: false, max: 40 },
  spec_id: { kind: 'string', required: false, max: 40 },
  goods_no: { kind: 'string', required: false, max: 40 },
  goods_id: { kind: 'string', required: false, max: 40 },
};

/**
 * upload2's table: upload's fields plus `modify_flag`, a mask of 1 (new order), 2 (status changed) and 4 (amount
 * changed), so any combination 0–7.
 */
const UPLOAD2_FIELDS: Record<string, FieldRule> = {
  ...FIELDS,
  modify_flag: { kind: 'int', required: false, allowed: [0, 1, 2, 3, 4, 5, 6, 7] },
};

/** Which push method a row came with. */
export type RawRefundPush = 'upload' | 'upload2';

/** One uploaded row (the vendor's field names; values as sent). */
export type WangdianRawRefundRow = Record<string, unknown> & { refund_no: string; oid: string; tid: string };

function decimalProblem(value: unknown): string | undefined {
  const text = typeof value === 'string' ? value : numberText(value);
  if (text === undefined) return 'must be a number or a decimal string';
  if (!/^-?\d+(\.\d+)?$/.test(text)) return 'must be a Decimal(19,4)';
  const decimal = readExactDecimal(text);
  if (decimal === undefined) return 'must be a Decimal(19,4) (at most 4 fraction digits, 15 integer digits)';
  if (decimal.isNegative()) return 'must not be negative';
  return undefined;
}

/**
 * The first field of an order_list row that the push method's table does not list (the gateway answers it with
 * status 2 and the field's name), or `undefined`.
 */
export function unknownRawRefundField(row: unknown, push: RawRefundPush): string | undefined {
  if (typeof row !== 'object' || row === null || Array.isArray(row)) return undefined;
  const fields = push === 'upload2' ? UPLOAD2_FIELDS : FIELDS;
  return Object.keys(row).find((key) => !(key in fields));
}

/**
 * Checks one order_list row against the vendor table; returns the problems as `order_list[i].field ...` texts
 * (field names only, never values, so no buyer data ends up in an answer or a log).
 */
export function checkRawRefundRow(row: unknown, index: number, push: RawRefundPush = 'upload'): string[] {
  const at = `order_list[${index}]`;
  if (typeof row !== 'object' || row === null || Array.isArray(row)) return [`${at} must be an object`];
  const source = row as Record<string, unknown>;
  const problems: string[] = [];
  for (const [field, rule] of Object.entries(push === 'upload2' ? UPLOAD2_FIELDS : FIELDS)) {
    const value = source[field];
    const name = `${at}.${field}`;
    if (value === undefined || value === null) {
      if (rule.required) problems.push(`${name} is required`);
      continue;
    }
    if (rule.kind === 'string') {
      if (typeof value !== 'string') problems.push(`${name} must be a string`);
      else if ([...value].length > rule.max) problems.push(`${name} is longer than ${rule.max} characters`);
      else if (rule.nonEmpty && value === '') problems.push(`${name} must not be empty`);
      else if (rule.dateTime && value !== '' && readShanghaiDateTime(value) === undefined) {
        problems.push(`${name} must be 'YYYY-MM-DD HH:mm:ss', a real date and time`);
      }
    } else if (rule.kind === 'int') {
      if (typeof value !== 'number' || !Number.isInteger(value)) problems.push(`${name} must be an integer`);
      else if (!rule.allowed.includes(value)) problems.push(`${name} must be one of ${rule.allowed.join(', ')}`);
    } else {
      const problem = decimalProblem(value);
      if (problem) problems.push(`${name} ${problem}`);
    }
  }
  return problems;
}

/**
 * The comparable form of a checked row: keys sorted, decimals canonical (`1`, `1.0` and `"1.0000"` are equal),
 * `null` optional fields dropped. Two uploads of a refund_no + oid with the same form are identical.
 */
export function canonicalRawRefundRow(row: WangdianRawRefundRow): string {
  const out: [string, unknown][] = [];
  for (const key of Object.keys(row).sort()) {
    const value = row[key];
    if (value === null || value === undefined) continue;
    out.push([
      key,
      FIELDS[key]?.kind === 'decimal' ? readExactDecimal(value)?.toString() : (numberText(value) ?? value),
    ]);
  }
  return JSON.stringify(out);
}
