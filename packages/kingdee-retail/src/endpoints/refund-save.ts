import { defineEndpoint } from '@refundkit/transport';
import * as v from 'valibot';
import { kingdeeText } from '../kingdee-schemas.js';

/*
 * 零售退款保存 (`POST /jdy/v2/ls/refundSave`): saves a retail refund. The body is a JSON object in the vendor's own
 * field names. The page marks eight fields required, and its own request example sends `null` for two of them, so
 * `null` is accepted for every field except `refund_no`, which identifies the refund. Saving a refund number again
 * with the same content answers the stored result, so a re-send after an unknown outcome is safe.
 */

const REQUIRED_TEXT = 'must be a string or null';
const OPTIONAL_TEXT = 'must be a string or null when given';

/** Messages for object-level issues: name the field's problem, never the value. */
const objectMessage = (issue: v.BaseIssue<unknown>): string => {
  if (issue.expected === 'never') return 'is not a refundSave field (the vendor page spells fields in snake_case)';
  if (issue.expected === 'Object') return 'must be an object';
  return 'is required (null is accepted)';
};

const requiredText = v.nullable(v.string(REQUIRED_TEXT));
const optionalText = v.nullish(v.string(OPTIONAL_TEXT));

/** The body of refundSave (strict: an unknown field is reported, since it is most often a typo). */
const request = v.strictObject(
  {
    /** 渠道订单号 — channel order number (required; may be null). */
    channel_order_no: requiredText,
    /** 请求指令 — request command, e.g. `pay.refund.query` (required). */
    cmd: requiredText,
    /** 商户号 — merchant number (required). */
    mch_id: requiredText,
    /** 退款订单号 — refund order number (required, non-empty): the key that makes a re-send idempotent. */
    refund_no: v.pipe(v.string('is required and must be a non-empty string'), v.minLength(1, 'must not be empty')),
    /** 服务组名 — service group name (required; may be null). */
    service_group_name: requiredText,
    /** 签名 — signature message of the payment channel (required). */
    sign_msg: requiredText,
    /** 终端IP — terminal IP (required). */
    terminal_ip: requiredText,
    /** 终端编号 — terminal number (required). */
    terminal_no: requiredText,
    /** 订单号 — order number. */
    order_no: optionalText,
    /** 退款金额 — refund amount, a non-negative decimal text; fen (分) by the vendor example (`"5000"`). */
    refund_amount: v.nullish(
      v.pipe(
        v.string(OPTIONAL_TEXT),
        v.regex(/^\d{1,15}(\.\d{1,4})?$/, 'must be a non-negative decimal text such as "5000" (at most 4 decimals)'),
      ),
    ),
    /** 退款描述 — refund description. */
    refund_desc: optionalText,
    /** 门店号 — shop number. */
    shop_id: optionalText,
  },
  objectMessage,
);

const answerText = v.nullish(kingdeeText);

/**
 * `data` of a refundSave answer: loose (undocumented fields pass through), every documented field an optional text.
 * A number where the page documents text (an id such as `1420169116878110000`) arrives as its exact digits.
 */
const response = v.looseObject({
  /** 渠道退款订单号 */
  channel_refund_no: answerText,
  /** 返回码 of the payment channel */
  err: answerText,
  /** 退款完成时间 */
  finish_time: answerText,
  /** 内部退款订单号 */
  in_refund_no: answerText,
  /** 商户号 */
  mch_id: answerText,
  /** 返回信息 of the payment channel */
  msg: answerText,
  /** 退款金额 */
  refund_amount: answerText,
  /** 微信/支付宝退款订单号 */
  refund_no: answerText,
  /** 退款状态 */
  refund_status: answerText,
  /** 门店号 */
  shop_id: answerText,
  /** 微信/支付宝退款单号 */
  trans_no: answerText,
});

/** 零售退款保存: `POST /jdy/v2/ls/refundSave`. */
export const refundSave = defineEndpoint({
  name: 'POST /jdy/v2/ls/refundSave',
  title: '零售退款保存',
  request,
  response,
  resendSafe: true,
});

/** The body of refundSave, as a caller writes it. */
export type KingdeeRefundSaveBody = v.InferInput<typeof request>;
/** `data` of a refundSave answer, documented fields typed, the others kept. */
export type KingdeeRefundSaveData = v.InferOutput<typeof response>;
