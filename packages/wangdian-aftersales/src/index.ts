export {
  ConfigurationError,
  type InputIssue,
  InputValidationError,
  isRefundkitError,
  type RateLimiter,
  RefundkitError,
  type RefundkitErrorCode,
  ResponseError,
  type RetryOptions,
  TransportError,
  type TransportErrorCode,
  type TransportHooks,
  VendorApiError,
} from '@refundkit/transport';
export { rawRefundSearch } from './endpoints/raw-refund-search.js';
export { rawRefundSearchHistory } from './endpoints/raw-refund-search-history.js';
export {
  rawRefundUpload,
  type ValidatedWangdianRawRefundRow,
  type WangdianRawRefundRow,
  type WangdianRefundStatus,
  type WangdianRefundType,
} from './endpoints/raw-refund-upload.js';
export { MODIFY_FLAGS, rawRefundUpload2, type WangdianRawRefundRow2 } from './endpoints/raw-refund-upload2.js';
export { REFUND_ORDER_STATUSES, REFUND_STOCKIN_STATUSES, refundSearch } from './endpoints/refund-search.js';
export { refundSearchHistory } from './endpoints/refund-search-history.js';
export { shopQueryShop } from './endpoints/shop-query-shop.js';
export { stockinRefundQueryHisWithDetail } from './endpoints/stockin-refund-query-his-with-detail.js';
export { STOCKIN_STATUSES, stockinRefundQueryWithDetail } from './endpoints/stockin-refund-query-with-detail.js';
export {
  createWangdianClient,
  type WangdianCallArgs,
  type WangdianCallData,
  type WangdianClient,
  type WangdianListedMethod,
  type WangdianMethodArgs,
  type WangdianMethodData,
  type WangdianMethodName,
  type WangdianOperationMethods,
  type WangdianPagesOptions,
  type WangdianPaging,
  type WangdianRequest,
  type WangdianRowOf,
  type WangdianUploadOptions,
} from './wangdian-client.js';
export { WANGDIAN_ENDPOINTS, WANGDIAN_ROW_KEYS } from './wangdian-endpoints.js';
export {
  RawRefundsRefusedError,
  UploadIncompleteError,
  WangdianApiError,
  type WangdianBatchOutcome,
  type WangdianErrorReason,
  type WangdianRefusedRefund,
  type WangdianUploadBatch,
  type WangdianUploadResult,
} from './wangdian-errors.js';
export { toWangdianJson } from './wangdian-json.js';
export { WANGDIAN_METHODS } from './wangdian-method-list.js';
export { checkWangdianRawRefundRow, validateWangdianRawRefunds } from './wangdian-raw-refund.js';
export {
  type ToWangdianRawRefundsOptions,
  toWangdianRawRefunds,
  WANGDIAN_REFUND_STATUSES,
  WANGDIAN_REFUND_TYPES,
} from './wangdian-raw-refund-mapping.js';
export type { WangdianDecimalInput } from './wangdian-schemas.js';
export {
  WANGDIAN_ENV,
  WANGDIAN_PRODUCTION_URL,
  type WangdianClientSettings,
} from './wangdian-settings.js';
