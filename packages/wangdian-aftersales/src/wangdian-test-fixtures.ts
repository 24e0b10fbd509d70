import type { WangdianRawRefundRow } from './endpoints/raw-refund-upload.js';

/** The upload doc's request example row (the one the signing worked example in docs/ signs). */
export const DOC_EXAMPLE_ROW: WangdianRawRefundRow = {
  refund_no: 'lztest',
  num: 1,
  tid: 'TID6NAFAmwYMM',
  oid: 'deb718e2afe5',
  type: 1,
  status: 2,
  refund_version: '1',
  refund_amount: 1,
  actual_refund_amount: 1,
  title: 'test',
  logistics_name: '',
  logistics_no: '',
  buyer_nick: '123444',
  refund_time: '2020-05-22 09:07:18',
  is_aftersale: 0,
  reason: '',
};

/** The compact JSON body of the doc example, byte for byte as the vendor page gives it. */
export const DOC_EXAMPLE_BODY =
  '["LCJ",[{"refund_no":"lztest","num":1,"tid":"TID6NAFAmwYMM","oid":"deb718e2afe5","type":1,"status":2,"refund_version":"1","refund_amount":1,"actual_refund_amount":1,"title":"test","logistics_name":"","logistics_no":"","buyer_nick":"123444","refund_time":"2020-05-22 09:07:18","is_aftersale":0,"reason":""}]]';

/** A valid row for refund `refundNo`, line `line`, with fields overridden as given. */
export function makeRow(
  refundNo: string,
  line = 1,
  overrides: Partial<WangdianRawRefundRow> = {},
): WangdianRawRefundRow {
  return {
    ...DOC_EXAMPLE_ROW,
    refund_no: refundNo,
    tid: `T-${refundNo}`,
    oid: `O-${refundNo}-${line}`,
    refund_amount: '12.34',
    actual_refund_amount: '12.34',
    buyer_nick: '买家昵称',
    ...overrides,
  };
}
