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
export { type KingdeeRefundSaveBody, type KingdeeRefundSaveData, refundSave } from './endpoints/refund-save.js';
export {
  createKingdeeRetailClient,
  type KingdeeCallOptions,
  type KingdeeClientMembers,
  type KingdeeCoreEndpoints,
  type KingdeeEndpointsOf,
  type KingdeeMethod,
  type KingdeeOperationInput,
  type KingdeeOperationMethods,
  type KingdeeOperationName,
  type KingdeeOperationOutput,
  type KingdeePagedOperationName,
  type KingdeePagedRow,
  type KingdeePagesOptions,
  type KingdeeQueryInput,
  type KingdeeQueryValue,
  type KingdeeRequest,
  type KingdeeRetailClient,
} from './kingdee-client.js';
export { type KingdeeRefundSaveOptions, toKingdeeRefundSave } from './kingdee-refund-mapping.js';
export {
  type KingdeeRefundOutcome,
  KingdeeRefundRefusedError,
  type KingdeeRefundSaveResult,
  readKingdeeRefundOutcome,
} from './kingdee-refund-outcome.js';
export {
  KINGDEE_ENV,
  KINGDEE_PRODUCTION_URL,
  type KingdeeAppCredentials,
  type KingdeeRetailSettings,
} from './kingdee-settings.js';
export { createMemoryTokenStore, type KingdeeAppToken, type KingdeeTokenStore } from './kingdee-token-store.js';
export { USER_AGENT, VERSION } from './version.js';
