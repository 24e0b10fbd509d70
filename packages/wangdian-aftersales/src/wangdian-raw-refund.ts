import { Decimal, formatIssuePath, toShanghaiDateTime } from '@refundkit/refund-model';
import { InputValidationError } from '@refundkit/transport';
import * as v from 'valibot';
import { plainNumberText } from './wangdian-json.js';

/** A Decimal(19,4) value as a caller may give it: an exact number, a decimal string (`"12.34"`) or a `Decimal`. */
export type WangdianDecimalInput = number | string | Decimal;

/** `type` of a raw refund: 0 取消订单, 1 退款(未发货), 2 退货, 3 换货, 4 退款不退货. */
export type WangdianRefundType = 0 | 1 | 2 | 3 | 4;

/** `status` of a raw refund: 1 取消退款, 2 已申请退款, 3 等待退货, 4 等待收货, 5 退款成功. */
export type WangdianRefundStatus = 1 | 2 | 3 | 4 | 5;

/**
 * One `order_list` row of `aftersales.refund.RawRefund.upload` (原始退款单推送), in the vendor's own field names. A
 * refund with several goods lines is several rows with the same `refund_no`. Decimal(19,4) fields take an exact
 * number, a decimal string or a refund-model `Decimal`; the two time fields take `YYYY-MM-DD HH:mm:ss` (+08:00) text
 * or a `Date`. An optional field may be left out or set to `undefined` (both mean absent).
 */
export interface WangdianRawRefundRow {
  /** 原始退款单号, ≤ 40 characters. */
  refund_no: string;
  /** 货品数量, Decimal(19,4). */
  num: WangdianDecimalInput;
  /** 原始单号 (the platform order number), ≤ 40. */
  tid: string;
  /** 原始子单号 (the platform sub-order number), ≤ 40. */
  oid: string;
  /** 退款单类型 0–4; with 3 (换货) the ERP makes no return order. */
  type: WangdianRefundType;
  /** 平台状态 1–5. */
  status: WangdianRefundStatus;
  /** 退款版本, ≤ 40; "1" unless the refund changed on the platform. */
  refund_version: string;
  /** 申请退款金额, Decimal(19,4). */
  refund_amount: WangdianDecimalInput;
  /** 实际退款金额, Decimal(19,4). */
  actual_refund_amount: WangdianDecimalInput;
  /** 标题 (goods title), ≤ 255; `''` when there is none. */
  title: string;
  /** 物流公司名称, ≤ 40. */
  logistics_name?: string | undefined;
  /** 物流单号, ≤ 40. */
  logistics_no?: string | undefined;
  /** 客户网名, ≤ 100 (buyer personal data: never echoed in errors). */
  buyer_nick: string;
  /** 退款创建时间, `YYYY-MM-DD HH:mm:ss` in +08:00 or a `Date`. */
  refund_time?: string | Date | undefined;
  /** 退款成功时间, `YYYY-MM-DD HH:mm:ss` in +08:00 or a `Date`. */
  current_phase_timeout?: string | Date | undefined;
  /** 是否售后退款单: 1 after-sale, 0 not. */
  is_aftersale: 0 | 1;
  /** 退款原因, ≤ 255; `''` when there is none. */
  reason: string;
  /** 单价, Decimal(19,4). */
  price?: WangdianDecimalInput | undefined;
  /** 买家支付帐号, ≤ 128 (buyer personal data: never echoed in errors). */
  pay_account?: string | undefined;
  /** 支付订单号, ≤ 60. */
  pay_no?: string | undefined;
  /** 备注, ≤ 255. */
  remark?: string | undefined;
  /** 退款货品总价, Decimal(19,4). */
  total_amount?: WangdianDecimalInput | undefined;
  /** 平台规格编号, ≤ 40. */
  spec_no?: string | undefined;
  /** 平台规格id, ≤ 40. */
  spec_id?: string | undefined;
  /** 平台货品编号, ≤ 40. */
  goods_no?: string | undefined;
  /** 平台货品id, ≤ 40. */
  goods_id?: string | undefined;
}

/** A row after validation: decimals are `Decimal`, times are text, fields in the vendor page's order. */
export type ValidatedWangdianRawRefundRow = Omit<
  WangdianRawRefundRow,
  'num' | 'refund_amount' | 'actual_refund_amount' | 'price' | 'total_amount' | 'refund_time' | 'current_phase_timeout'
> & {
  num: Decimal;
  refund_amount: Decimal;
  actual_refund_amount: Decimal;
  price?: Decimal;
  total_amount?: Decimal;
  refund_time?: string;
  current_phase_timeout?: string;
};

/** One failing field: `path` like `rows[3].buyer_nick`, `message` saying what is wrong (never the value). */
export interface WangdianRowIssue {
  path: string;
  message: string;
}

type FieldKind =
  | { kind: 'text'; max: number; required: boolean; nonEmpty: boolean }
  | { kind: 'time' }
  | { kind: 'decimal'; required: boolean }
  | { kind: 'int'; values: readonly number[] };

const text = (max: number, required = false, nonEmpty = false): FieldKind => ({
  kind: 'text',
  max,
  required,
  nonEmpty,
});
const decimal = (required: boolean): FieldKind => ({ kind: 'decimal', required });

/** The fields of an `order_list` row, in the vendor page's order (also the order they are written in). */
const FIELDS = {
  refund_no: text(40, true, true),
  num: decimal(true),
  tid: text(40, true, true),
  oid: text(40, true, true),
  type: { kind: 'int', values: [0, 1, 2, 3, 4] },
  status: { kind: 'int', values: [1, 2, 3, 4, 5] },
  refund_version: text(40, true, true),
  refund_amount: decimal(true),
  actual_refund_amount: decimal(true),
  title: text(255, true),
  logistics_name: text(40),
  logistics_no: text(40),
  buyer_nick: text(100, true, true),
  refund_time: { kind: 'time' },
  current_phase_timeout: { kind: 'time' },
  is_aftersale: { kind: 'int', values: [0, 1] },
  reason: text(255, true),
  price: decimal(false),
  pay_account: text(128),
  pay_no: text(60),
  remark: text(255),
  total_amount: decimal(false),
  spec_no: text(40),
  spec_id: text(40),
  goods_no: text(40),
  goods_id: text(40),
} as const satisfies Record<keyof WangdianRawRefundRow, FieldKind>;

const FIELD_NAMES = Object.keys(FIELDS) as (keyof WangdianRawRefundRow)[];

/** Largest Decimal(19,4) magnitude: 15 integer digits. */
const MAX_INTEGER_DIGITS = 15;
const DECIMAL_TEXT = /^([+-]?)(\d+)(?:\.(\d+))?$/;
const DATE_TIME_TEXT = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

function decimalSchema() {
  return v.pipe(
    v.unknown(),
    v.rawTransform(({ dataset, addIssue, NEVER }) => {
      const problem = decimalProblem(dataset.value);
      if (typeof problem === 'string') {
        addIssue({ message: problem });
        return NEVER;
      }
      return problem;
    }),
  );
}

/** Returns the exact `Decimal` of a Decimal(19,4) input, or a message saying why it is not one (never the value). */
function decimalProblem(value: unknown): Decimal | string {
  let decimal: Decimal | undefined;
  if (Decimal.isDecimal(value)) decimal = value;
  else if (typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))) {
    try {
      decimal = Decimal.from(value);
    } catch {
      // Explained below, in our own words.
    }
  }
  if (decimal !== undefined) return decimal.isNegative() ? 'must not be negative' : decimal;
  return decimalMessage(value);
}

/** Why a value is not a Decimal(19,4) (the slow path, only for rejected values). */
function decimalMessage(value: unknown): string {
  let digits: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return 'must be a finite number';
    digits = plainNumberText(value);
  } else if (typeof value === 'string') digits = value;
  else return 'must be a number, a decimal string or a Decimal';
  const match = DECIMAL_TEXT.exec(digits);
  if (!match) return 'must be a plain decimal like 12.34 (no exponent, no spaces)';
  const [, sign = '', whole = '', fraction = ''] = match;
  if (fraction.replace(/0+$/, '').length > 4) return 'has more than 4 decimal places (Decimal(19,4))';
  if (whole.replace(/^0+/, '').length > MAX_INTEGER_DIGITS) {
    return `has more than ${MAX_INTEGER_DIGITS} integer digits (Decimal(19,4))`;
  }
  if (sign === '-') return 'must not be negative';
  return 'must be a Decimal(19,4)';
}

function textSchema(field: Extract<FieldKind, { kind: 'text' }>) {
  const base = v.pipe(
    v.string('must be a string'),
    v.maxCodePoints(field.max, `must be at most ${field.max} characters`),
  );
  return field.nonEmpty ? v.pipe(base, v.minLength(1, 'must not be empty')) : base;
}

function timeSchema() {
  return v.pipe(
    v.unknown(),
    v.rawTransform(({ dataset, addIssue, NEVER }) => {
      const value = dataset.value;
      if (value instanceof Date) {
        if (Number.isNaN(value.getTime())) {
          addIssue({ message: 'must be a valid Date' });
          return NEVER;
        }
        try {
          return toShanghaiDateTime(value);
        } catch {
          addIssue({ message: 'must be a Date in the years 0000–9999 (+08:00)' });
          return NEVER;
        }
      }
      if (typeof value !== 'string') {
        addIssue({ message: 'must be a "YYYY-MM-DD HH:mm:ss" string (+08:00) or a Date' });
        return NEVER;
      }
      if (value !== '' && !isDateTimeText(value)) {
        addIssue({ message: 'must be "YYYY-MM-DD HH:mm:ss" (+08:00), a real date and time' });
        return NEVER;
      }
      return value;
    }),
  );
}

function isDateTimeText(value: string): boolean {
  const match = DATE_TIME_TEXT.exec(value);
  if (!match) return false;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  return (
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second
  );
}

function intSchema(values: readonly number[]) {
  return v.picklist(values, `must be one of ${values.join(', ')}`);
}

function fieldSchema(name: keyof WangdianRawRefundRow) {
  const field: FieldKind = FIELDS[name];
  let schema: v.GenericSchema<unknown, unknown>;
  switch (field.kind) {
    case 'text':
      schema = textSchema(field);
      break;
    case 'time':
      schema = timeSchema();
      break;
    case 'decimal':
      schema = decimalSchema();
      break;
    case 'int':
      schema = intSchema(field.values);
      break;
  }
  const required = field.kind === 'int' || ((field.kind === 'text' || field.kind === 'decimal') && field.required);
  return required ? v.nonOptional(schema, 'is required') : v.optional(schema);
}

/**
 * The row schema. It is a plain `v.object`, and `firstUnknownField` adds the one check `v.strictObject` would: a
 * bundle that also parses refunds (refund-model uses `v.object`) then carries one object validator, not two.
 */
const ROW_SCHEMA = v.object(
  Object.fromEntries(FIELD_NAMES.map((name) => [name, fieldSchema(name)])),
  'must be an object of order_list fields',
);

/** The first key of an object row that is not an `order_list` field (what `v.strictObject` reports), if any. */
function firstUnknownField(row: unknown): string | undefined {
  if (!row || typeof row !== 'object') return undefined;
  for (const key in row) if (!Object.hasOwn(FIELDS, key)) return key;
  return undefined;
}

/** Said of a key that is not an `order_list` field. */
const NOT_A_FIELD = 'is not a field of order_list';

function issueMessage(issue: v.BaseIssue<unknown>): string {
  // The object schema's own issue with a path is a missing key; its message is meant for a row that is no object.
  if (issue.type === 'object' && issue.path?.length) return 'is required';
  return issue.message;
}

/**
 * Checks one `order_list` row against the vendor page (required fields, lengths, `type` 0–4, `status` 1–5,
 * `is_aftersale` 0/1, Decimal(19,4) values, time format, no unknown fields) and returns either the normalised row
 * (decimals as `Decimal`, times as text, fields in the page's order) or every issue found, each with its path under
 * `path` (default `row`). Messages never contain the value, so buyer data never reaches a log.
 */
export function checkWangdianRawRefundRow(
  row: unknown,
  path = 'row',
): { success: true; output: ValidatedWangdianRawRefundRow } | { success: false; issues: WangdianRowIssue[] } {
  const result = v.safeParse(ROW_SCHEMA, row);
  const unknownField = firstUnknownField(row);
  if (!result.success || unknownField !== undefined) {
    const issues = (result.issues ?? []).map((issue) => ({
      path: formatIssuePath(issue.path, path),
      message: issueMessage(issue),
    }));
    if (unknownField !== undefined) issues.push({ path: `${path}.${unknownField}`, message: NOT_A_FIELD });
    return { success: false, issues };
  }
  const parsed = result.output as Record<string, unknown>;
  const output: Record<string, unknown> = {};
  for (const name of FIELD_NAMES) {
    if (parsed[name] !== undefined) output[name] = parsed[name];
  }
  return { success: true, output: output as unknown as ValidatedWangdianRawRefundRow };
}

/**
 * Validates the arguments of an upload before anything is sent: `shopNo` must be a non-empty string and `rows` a
 * non-empty array of valid `order_list` rows. Returns the normalised rows or throws one `InputValidationError`
 * (code `VALIDATION`) listing every failing field by path (`rows[3].buyer_nick`), never the values.
 *
 * @example
 * const rows = validateWangdianRawRefunds('LCJ', [{ refund_no: 'R1', num: 1, ... }]);
 */
export function validateWangdianRawRefunds(shopNo: unknown, rows: unknown): ValidatedWangdianRawRefundRow[] {
  const issues: WangdianRowIssue[] = [];
  if (typeof shopNo !== 'string' || shopNo.length === 0) {
    issues.push({ path: 'shopNo', message: 'must be a non-empty string' });
  }
  const output: ValidatedWangdianRawRefundRow[] = [];
  if (!Array.isArray(rows)) {
    issues.push({ path: 'rows', message: 'must be an array of order_list rows' });
  } else if (rows.length === 0) {
    issues.push({ path: 'rows', message: 'must contain at least one row' });
  } else {
    rows.forEach((row, index) => {
      const checked = checkWangdianRawRefundRow(row, `rows[${index}]`);
      if (checked.success) output.push(checked.output);
      else issues.push(...checked.issues);
    });
  }
  if (issues.length > 0) throw new InputValidationError('aftersales.refund.RawRefund.upload', issues);
  return output;
}
