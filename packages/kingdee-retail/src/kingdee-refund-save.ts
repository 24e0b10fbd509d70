import { formatIssuePath } from '@refundkit/refund-model';
import { type InputIssue, InputValidationError } from '@refundkit/transport';
import * as v from 'valibot';

/**
 * The body of 零售退款保存 (`POST /jdy/v2/ls/refundSave`), in the vendor's own field names. The eight fields the
 * vendor marks required must be present; the vendor's own request example sends `null` for two of them, so `null`
 * is accepted for every field except `refund_no`, which identifies the refund (and makes a re-send idempotent).
 */
export interface KingdeeRefundSaveBody {
  /** 渠道订单号 — channel order number (required; may be null). */
  channel_order_no: string | null;
  /** 请求指令 — request command, e.g. `pay.refund.query` (required). */
  cmd: string | null;
  /** 商户号 — merchant number (required). */
  mch_id: string | null;
  /** 退款订单号 — refund order number (required, non-empty). */
  refund_no: string;
  /** 服务组名 — service group name (required; may be null). */
  service_group_name: string | null;
  /** 签名 — signature message of the payment channel (required). */
  sign_msg: string | null;
  /** 终端IP — terminal IP (required). */
  terminal_ip: string | null;
  /** 终端编号 — terminal number (required). */
  terminal_no: string | null;
  /** 订单号 — order number. */
  order_no?: string | null | undefined;
  /** 退款金额 — refund amount, a non-negative decimal text; fen (分) by the vendor example (`"5000"`). */
  refund_amount?: string | null | undefined;
  /** 退款描述 — refund description. */
  refund_desc?: string | null | undefined;
  /** 门店号 — shop number. */
  shop_id?: string | null | undefined;
}

/** `data` of a refundSave answer, as the vendor documents it; undocumented fields pass through untouched. */
export interface KingdeeRefundSaveData {
  /** 渠道退款订单号 */
  channel_refund_no?: string | null;
  /** 返回码 */
  err?: string | null;
  /** 退款完成时间 */
  finish_time?: string | null;
  /** 内部退款订单号 */
  in_refund_no?: string | null;
  /** 商户号 */
  mch_id?: string | null;
  /** 返回信息 */
  msg?: string | null;
  /** 退款金额 */
  refund_amount?: string | null;
  /** 微信/支付宝退款订单号 */
  refund_no?: string | null;
  /** 退款状态 */
  refund_status?: string | null;
  /** 门店号 */
  shop_id?: string | null;
  /** 微信/支付宝退款单号 */
  trans_no?: string | null;
  [field: string]: unknown;
}

const REQUIRED_TEXT = 'must be a string or null';
const OPTIONAL_TEXT = 'must be a string or null when given';

/** Messages for object-level issues: name the field's problem, never the value. */
const objectMessage = (issue: v.BaseIssue<unknown>): string => {
  if (issue.expected === 'never') return 'is not a refundSave field (the vendor page spells fields in snake_case)';
  if (issue.expected === 'Object') return 'must be an object';
  return 'is required (null is accepted)';
};

const requiredText = v.nullable(v.string(REQUIRED_TEXT));
const optionalText = v.optional(v.nullable(v.string(OPTIONAL_TEXT)));

/** The valibot schema of the refundSave body (strict: unknown fields are reported, most often they are typos). */
export const kingdeeRefundSaveBodySchema = v.strictObject(
  {
    channel_order_no: requiredText,
    cmd: requiredText,
    mch_id: requiredText,
    refund_no: v.pipe(v.string('is required and must be a non-empty string'), v.nonEmpty('must not be empty')),
    service_group_name: requiredText,
    sign_msg: requiredText,
    terminal_ip: requiredText,
    terminal_no: requiredText,
    order_no: optionalText,
    refund_amount: v.optional(
      v.nullable(
        v.pipe(
          v.string(OPTIONAL_TEXT),
          v.regex(/^\d{1,15}(\.\d{1,4})?$/, 'must be a non-negative decimal text such as "5000" (at most 4 decimals)'),
        ),
      ),
    ),
    refund_desc: optionalText,
    shop_id: optionalText,
  },
  objectMessage,
);

const responseText = v.optional(v.nullable(v.string()));

/** The valibot schema of refundSave's `data`: loose, every documented field an optional string. */
export const kingdeeRefundSaveDataSchema = v.looseObject({
  channel_refund_no: responseText,
  err: responseText,
  finish_time: responseText,
  in_refund_no: responseText,
  mch_id: responseText,
  msg: responseText,
  refund_amount: responseText,
  refund_no: responseText,
  refund_status: responseText,
  shop_id: responseText,
  trans_no: responseText,
});

/** Turns valibot issues into refundkit input issues: a dotted/indexed path and a message without the value. */
export function toInputIssues(issues: ReadonlyArray<v.BaseIssue<unknown>>): InputIssue[] {
  return issues.map((issue) => ({
    path: formatIssuePath(issue.path),
    message: issue.message,
  }));
}

/**
 * Checks a refundSave body against the vendor's field table without sending anything, and answers every problem
 * at once. Use it to validate bodies early (in a form, a queue consumer); `client.refundSave` calls it itself.
 *
 * @example
 * const result = safeParseKingdeeRefundSaveBody({ cmd: 'pay.refund.query' });
 * if (!result.success) console.log(result.issues.map((i) => i.path)); // ['channel_order_no', 'mch_id', 'refund_no', ...]
 */
export function safeParseKingdeeRefundSaveBody(
  input: unknown,
): { success: true; output: KingdeeRefundSaveBody } | { success: false; issues: InputIssue[] } {
  if (Array.isArray(input)) return { success: false, issues: [{ path: '', message: 'must be an object' }] };
  const result = v.safeParse(kingdeeRefundSaveBodySchema, input, { abortEarly: false });
  if (result.success) return { success: true, output: result.output };
  return { success: false, issues: toInputIssues(result.issues) };
}

/**
 * Checks a refundSave body and returns it typed, or throws an `InputValidationError` (code `VALIDATION`) whose
 * `issues` name every failing field by path (`refund_no`, `refund_amount`, ...), never its value.
 */
export function parseKingdeeRefundSaveBody(input: unknown): KingdeeRefundSaveBody {
  const result = safeParseKingdeeRefundSaveBody(input);
  if (!result.success) throw new InputValidationError('Kingdee refundSave body', result.issues);
  return result.output;
}
