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
} from './errors.js';
export {
  type ConsoleLikeLogger,
  createLogSink,
  isPinoLikeLogger,
  type Logger,
  type LoggerStyle,
  type LogLevel,
  type LogSink,
  type PinoLikeLogger,
} from './logger.js';
export type { RateLimiter } from './rate-limiter.js';
export { REDACTED, redactUrl } from './redact-url.js';
export {
  parseRetryAfter,
  type RetryOptions,
  type RetryPolicy,
  resolveRetryPolicy,
  retryDelay,
} from './retry-policy.js';
export { createServerClock, type ServerClock } from './server-clock.js';
export {
  createTransport,
  isRetryableStatus,
  type PreparedAttempt,
  type RequestFacts,
  type Transport,
  type TransportHooks,
  type TransportOptions,
  type TransportRequest,
  type TransportResponse,
} from './transport.js';
