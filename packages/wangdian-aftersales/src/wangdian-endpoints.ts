import { rawRefundUpload } from './endpoints/raw-refund-upload.js';

/**
 * Every Wangdian operation the client types, by the client method it becomes: `client.rawRefundUpload(shopNo, rows)`
 * and `client.call('aftersales.refund.RawRefund.upload', shopNo, rows)` both come from `rawRefundUpload` here.
 * Adding an operation is a file in `endpoints/` and a line here.
 */
export const WANGDIAN_ENDPOINTS = { rawRefundUpload } as const;
