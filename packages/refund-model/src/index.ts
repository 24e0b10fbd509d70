export { Decimal, isRoundingMode, ROUNDING_MODES, type RoundingMode } from './decimal.js';
export { formatIssuePath, parseRefund, safeParseRefund } from './parse-refund.js';
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
export { type RefundIssue, RefundValidationError } from './refund-validation-error.js';
export { MAX_INPUT_ITEMS, type PathIssue, safeParseInput } from './safe-parse-input.js';
export { toShanghaiDateTime } from './shanghai-time.js';
