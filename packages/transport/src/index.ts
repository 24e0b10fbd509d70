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
} from '@refundkit/refund-model';
export type { ClientSettings, Environment } from './client-settings.js';
export {
  type AnySchema,
  defineEndpoint,
  type EndpointDefinition,
  type EndpointInput,
  type EndpointName,
  type EndpointOf,
  type EndpointOutput,
  type EndpointRegistry,
  type EndpointRequest,
  type EndpointsByName,
  type PageWalk,
  type PageWalkContext,
  type PagingRule,
  type WindowRule,
} from './endpoint.js';
export type { ConsoleLikeLogger, Logger, LoggerStyle, LogLevel, PinoLikeLogger } from './logger.js';
export { walkForward } from './paging.js';
export type { RateLimiter } from './rate-limiter.js';
export { REDACTED, redactText, redactUrl } from './redact.js';
export { backoffDelay, type RetryOptions, sleep } from './retry-policy.js';
export { createServerClock, type ServerClock } from './server-clock.js';
export type { RequestFacts, TransportHooks } from './transport.js';
export { parseVendorJson } from './vendor-json.js';
