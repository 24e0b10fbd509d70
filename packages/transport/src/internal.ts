// What the vendor packages share and their users do not need: `@refundkit/transport/internal`. Not covered by
// semver; the vendor packages pin this package's version.
export {
  type CheckedClientSettings,
  checkClientSettings,
  createSettingsReader,
  type OriginOptions,
  type SettingsReader,
  type TextRule,
  type TextSetting,
} from './client-settings.js';
export {
  type AnswerFacts,
  checkEndpointInput,
  checkInput,
  clientEndpoints,
  notGivenIssue,
  readEndpointOutput,
  readInput,
  signalOptionIssues,
} from './endpoint.js';
export { createLogSink, isPinoLikeLogger, type LogSink } from './logger.js';
export {
  type PageRequest,
  pagingIssues,
  pagingQuery,
  sliceTimeRange,
  type TimeSlice,
  type WalkPagesOptions,
  walkPages,
} from './paging.js';
export { parseRetryAfter, type RetryPolicy, resolveRetryPolicy, retryDelay } from './retry-policy.js';
export {
  createTransport,
  isRetryableStatus,
  type PreparedAttempt,
  type Transport,
  type TransportOptions,
  type TransportRequest,
  type TransportResponse,
} from './transport.js';
