// Shared by this package's tests only; not exported from index.ts and not part of the build.
import type { KingdeeRefundSaveBody } from './endpoints/refund-save.js';

/** The request example of the vendor page (零售退款保存), nulls included. */
export const DOC_EXAMPLE: KingdeeRefundSaveBody = Object.freeze({
  channel_order_no: null,
  cmd: 'pay.refund.query',
  mch_id: 'M1001',
  order_no: '10029',
  refund_amount: '5000',
  refund_desc: '客户退货。发起部分退款。',
  refund_no: '10029',
  service_group_name: null,
  shop_id: 'S0002',
  sign_msg: '1',
  terminal_ip: '192.168.1.2',
  terminal_no: '0002',
});

/** The doc example under another refund number. */
export function docBody(refundNo: string, overrides: Partial<KingdeeRefundSaveBody> = {}): KingdeeRefundSaveBody {
  return { ...DOC_EXAMPLE, refund_no: refundNo, ...overrides };
}
