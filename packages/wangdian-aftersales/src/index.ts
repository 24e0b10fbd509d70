export { batchWangdianRows, type WangdianRowBatch } from './wangdian-batches.js';
export {
  createWangdianClient,
  RAW_REFUND_UPLOAD_METHOD,
  type WangdianClient,
  type WangdianPagesOptions,
  type WangdianPaging,
  type WangdianRequest,
  type WangdianUploadOptions,
} from './wangdian-client.js';
export {
  classifyWangdianError,
  UploadIncompleteError,
  WangdianApiError,
  type WangdianApiErrorInit,
  type WangdianBatchOutcome,
  type WangdianErrorMeaning,
  type WangdianErrorReason,
  type WangdianUploadBatch,
  type WangdianUploadResult,
} from './wangdian-errors.js';
export { toWangdianJson } from './wangdian-json.js';
export {
  checkWangdianRawRefundRow,
  type ValidatedWangdianRawRefundRow,
  validateWangdianRawRefunds,
  type WangdianDecimalInput,
  type WangdianRawRefundRow,
  type WangdianRefundStatus,
  type WangdianRefundType,
  type WangdianRowIssue,
} from './wangdian-raw-refund.js';
export {
  type ToWangdianRawRefundsOptions,
  toWangdianRawRefunds,
  WANGDIAN_REFUND_STATUSES,
  WANGDIAN_REFUND_TYPES,
} from './wangdian-raw-refund-mapping.js';
export { WANGDIAN_PRODUCTION_URL, type WangdianClientSettings } from './wangdian-settings.js';
