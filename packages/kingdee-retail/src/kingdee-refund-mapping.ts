import { type Decimal, isRoundingMode, type Refund, ROUNDING_MODES, type RoundingMode } from '@refundkit/refund-model';
import { InputValidationError } from '@refundkit/transport';
import type { KingdeeRefundSaveBody } from './endpoints/refund-save.js';

/** What {@link toKingdeeRefundSave} needs beyond the refund: the fields a canonical refund cannot supply. */
export interface KingdeeRefundSaveOptions {
  /** `cmd` — 请求指令 (required), e.g. `pay.refund.query`. */
  cmd: string;
  /** `sign_msg` — 签名 (required): the payment channel's signature message. */
  signMsg: string;
  /** Unit of `refund_amount`: `'fen'` (分, the default; the vendor example reads so) or `'yuan'` (two decimals). */
  amountUnit?: 'fen' | 'yuan' | undefined;
  /** How to round an amount finer than a fen; without it such an amount is an error, never rounded silently. */
  rounding?: RoundingMode | undefined;
  /** Which amount to send: `'actual'` (actualAmount, the default) or `'requested'` (requestedAmount). */
  amount?: 'actual' | 'requested' | undefined;
  /** `mch_id` — 商户号; default `refund.payment.merchantId`, else null. */
  mchId?: string | undefined;
  /** `terminal_no` — 终端编号; default `refund.payment.terminalNo`, else null. */
  terminalNo?: string | undefined;
  /** `terminal_ip` — 终端IP; default `refund.payment.terminalIp`, else null. */
  terminalIp?: string | undefined;
  /** `service_group_name` — 服务组名; default `refund.payment.serviceGroup`, else null. */
  serviceGroupName?: string | undefined;
  /** `channel_order_no` — 渠道订单号; default `refund.payment.channelOrderNo`, else null. */
  channelOrderNo?: string | undefined;
  /** `shop_id` — 门店号; default `refund.shopCode`. */
  shopId?: string | undefined;
  /** `refund_desc` — 退款描述; default the refund's reason, else its remark, else left out. */
  refundDesc?: string | undefined;
}

function optionalString(options: KingdeeRefundSaveOptions, name: keyof KingdeeRefundSaveOptions): string | undefined {
  const value = options[name];
  if (value !== undefined && typeof value !== 'string') {
    throw new TypeError(`toKingdeeRefundSave: options.${name} must be a string when given`);
  }
  return value;
}

/**
 * Maps a canonical `Refund` (from `@refundkit/refund-model`) to the body of 零售退款保存. `refund_no`, `order_no`
 * and `shop_id` come from the refund; `refund_amount` is its actual amount (or `amount: 'requested'`) in fen by
 * default, or in yuan with two decimals; an amount finer than a fen throws an `InputValidationError` unless
 * `rounding` is given. `cmd` and `sign_msg` come from the options, and the payment fields from the options or else
 * the refund's `payment`. No buyer data is mapped. Throws a `TypeError` naming the option for malformed options.
 *
 * @example
 * const body = toKingdeeRefundSave(refund, { cmd: 'pay.refund.query', signMsg: '1', terminalIp: '192.168.1.2' });
 * // { refund_no: 'R1', refund_amount: '5000', order_no: '10029', shop_id: 'S0002', cmd: 'pay.refund.query', ... }
 */
export function toKingdeeRefundSave(refund: Refund, options: KingdeeRefundSaveOptions): KingdeeRefundSaveBody {
  if (typeof refund !== 'object' || refund === null)
    throw new TypeError('toKingdeeRefundSave: refund must be a Refund');
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('toKingdeeRefundSave: options must be an object with cmd and signMsg');
  }
  if (typeof options.cmd !== 'string' || options.cmd === '') {
    throw new TypeError('toKingdeeRefundSave: options.cmd must be a non-empty string');
  }
  if (typeof options.signMsg !== 'string' || options.signMsg === '') {
    throw new TypeError('toKingdeeRefundSave: options.signMsg must be a non-empty string');
  }
  const unit = options.amountUnit ?? 'fen';
  if (unit !== 'fen' && unit !== 'yuan')
    throw new TypeError('toKingdeeRefundSave: options.amountUnit must be "fen" or "yuan"');
  if (options.rounding !== undefined && !isRoundingMode(options.rounding)) {
    throw new TypeError(`toKingdeeRefundSave: options.rounding must be one of ${ROUNDING_MODES.join(', ')}`);
  }
  const which = options.amount ?? 'actual';
  if (which !== 'actual' && which !== 'requested') {
    throw new TypeError('toKingdeeRefundSave: options.amount must be "actual" or "requested"');
  }

  const issues: Array<{ path: string; message: string }> = [];
  const amountField = which === 'actual' ? 'actualAmount' : 'requestedAmount';
  const amount: Decimal | undefined = refund[amountField];
  let refundAmount: string | undefined;
  if (typeof refund.refundNo !== 'string' || refund.refundNo === '') {
    issues.push({ path: 'refundNo', message: 'is required for refund_no' });
  }
  if (amount === undefined || typeof amount.toMinorUnits !== 'function') {
    issues.push({ path: amountField, message: 'must be a Decimal' });
  } else if (amount.isNegative()) {
    issues.push({ path: amountField, message: 'must not be negative' });
  } else {
    try {
      const fen = amount.toMinorUnits({ digits: 2, rounding: options.rounding ?? 'unnecessary' });
      refundAmount = unit === 'fen' ? `${fen}` : `${fen / 100n}.${`${fen % 100n}`.padStart(2, '0')}`;
    } catch {
      issues.push({
        path: amountField,
        message: 'is finer than a fen (分); pass options.rounding to round it',
      });
    }
  }
  if (issues.length > 0) throw new InputValidationError('refund for Kingdee refundSave', issues);

  const payment = refund.payment ?? {};
  const description = optionalString(options, 'refundDesc') ?? (refund.reason || refund.remark || undefined);
  const body: KingdeeRefundSaveBody = {
    channel_order_no: optionalString(options, 'channelOrderNo') ?? payment.channelOrderNo ?? null,
    cmd: options.cmd,
    mch_id: optionalString(options, 'mchId') ?? payment.merchantId ?? null,
    refund_no: refund.refundNo,
    service_group_name: optionalString(options, 'serviceGroupName') ?? payment.serviceGroup ?? null,
    sign_msg: options.signMsg,
    terminal_ip: optionalString(options, 'terminalIp') ?? payment.terminalIp ?? null,
    terminal_no: optionalString(options, 'terminalNo') ?? payment.terminalNo ?? null,
    order_no: refund.orderNo,
    shop_id: optionalString(options, 'shopId') ?? refund.shopCode,
  };
  if (refundAmount !== undefined) body.refund_amount = refundAmount;
  if (description !== undefined) body.refund_desc = description;
  return body;
}
