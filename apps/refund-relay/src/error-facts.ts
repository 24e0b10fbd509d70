import { isRefundkitError } from '@refundkit/transport';

/** What the relay needs to know about an error to decide what to do next. */
export interface ErrorFacts {
  code: string;
  retryable: boolean;
  retryAfterMs?: number;
  message: string;
}

/**
 * Reads the code, retryability, retry hint and message of an error. Refundkit errors (recognised by their marker)
 * give their own, whose messages are written to be secret-free; anything else (a bug, a `TypeError`) is `UNKNOWN`
 * and not retryable, its message still passed through `redact` by the caller.
 */
export function errorFacts(error: unknown): ErrorFacts {
  if (isRefundkitError(error)) {
    return {
      code: error.code,
      retryable: error.retryable,
      ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
      message: error.message,
    };
  }
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { code: 'UNKNOWN', retryable: false, message };
}
