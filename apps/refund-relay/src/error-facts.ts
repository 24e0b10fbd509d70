import { isRefundkitError } from '@refundkit/transport';

/** What the relay needs to know about an error to decide what to do next. */
export interface ErrorFacts {
  code: string;
  /** Whether sending the refund again later can help: the error's own `resendable`. */
  retryable: boolean;
  retryAfterMs?: number;
  message: string;
}

/**
 * Reads the code, whether a later re-send can help, the retry hint and the message of an error. Refundkit errors
 * (recognised by their marker) say it themselves (`resendable`: a timestamp or token refusal that survived the
 * client's own correction, an answer that could not be read for a call safe to re-send, a transient failure), and
 * their messages are written to be secret-free; anything else (a bug, a `TypeError`) is `UNKNOWN` and not retried,
 * its message still passed through `redact` by the caller.
 */
export function errorFacts(error: unknown): ErrorFacts {
  if (isRefundkitError(error)) {
    return {
      code: error.code,
      retryable: error.resendable,
      ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
      message: error.message,
    };
  }
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { code: 'UNKNOWN', retryable: false, message };
}
