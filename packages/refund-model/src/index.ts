export { Decimal, isRoundingMode, ROUNDING_MODES, type RoundingMode } from './decimal.js';
export { describeKind, formatIssuePath, toInputIssues } from './input-issues.js';
export { parseRefund, safeParseRefund } from './parse-refund.js';
export {
  REFUND_KINDS,
  REFUND_STATUSES,
  type Refund,
  type RefundKind,
  type RefundLine,
  type RefundStatus,
} from './refund.js';
export { refundInputJsonSchema } from './refund-json-schema.js';
export type { DecimalInput, InstantInput, RefundInput } from './refund-schema.js';
export {
  ConfigurationError,
  type InputIssue,
  InputValidationError,
  isRefundkitError,
  REFUNDKIT_ERROR_MARKER,
  RefundkitError,
  type RefundkitErrorCode,
  type RefundkitErrorOptions,
  ResponseError,
  type ResponseErrorOptions,
  TransportError,
  type TransportErrorCode,
  type TransportErrorOptions,
  type Vendor,
  VendorApiError,
  type VendorApiErrorInit,
} from './refundkit-errors.js';
export { toShanghaiDateTime } from './shanghai-time.js';
