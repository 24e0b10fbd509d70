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
export {
  rawRefundUpload,
  type ValidatedWangdianRawRefundRow,
  type WangdianRawRefundRow,
  type WangdianRefundStatus,
  type WangdianRefundType,
} from './endpoints/raw-refund-upload.js';
export {
  createWangdianClient,
  type WangdianCallArgs,
  type WangdianCallableMethod,
  type WangdianCallData,
  type WangdianClient,
  type WangdianClientMembers,
  type WangdianCoreEndpoints,
  type WangdianEndpointsOf,
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
export { toWangdianJson, UnwritableValueError } from './wangdian-json.js';
export { WANGDIAN_METHODS } from './wangdian-method-list.js';
export { type WangdianWalkOptions, walkWangdianPages } from './wangdian-pages.js';
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
