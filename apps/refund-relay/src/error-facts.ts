import { isRefundkitError } from '@refundkit/transport';

/** What the relay needs to know about an error to decide what to do next. */
export interface ErrorFacts {
  code: string;
  retryable: boolean;
  retryAfterMs?: number;
  message: string;
}

/**
 * Codes the relay retries later although the client reports them as final for the call it made:
 * - `TIMESTAMP`: the vendor's clock disagreed with ours even after the client re-learnt its offset and re-sent once
 *   (gateway nodes whose clocks differ flip the learnt offset); a later call, with the offset learnt afresh, passes.
 * - `TOKEN`: the app-token was refused even after the client fetched a fresh one and re-sent once (a token shared by
 *   concurrent calls can be expired again under it); the next call fetches another. Wrong credentials fail at the
 *   token fetch with `AUTHENTICATION`, which stays final.
 * - `BAD_RESPONSE`: an answer the client could not read (an HTML page with HTTP 200, a body that does not match):
 *   whether the vendor stored the refund is unknown, and both vendor calls are idempotent on the refund number, so
 *   sending again is safe and is the only way to find out. A vendor that keeps answering so ends `dead` with the
 *   reason, not silently `failed` on one bad answer.
 */
const RETRIED_BY_RELAY: ReadonlySet<string> = new Set(['TIMESTAMP', 'TOKEN', 'BAD_RESPONSE']);

/**
 * Reads the code, retryability, retry hint and message of an error. Refundkit errors (recognised by their marker)
 * give their own, whose messages are written to be secret-free, and are retryable when the client says so or their
 * code is one the relay retries anyway (`TIMESTAMP`, `TOKEN`, `BAD_RESPONSE`, see above); anything else (a bug, a
 * `TypeError`) is `UNKNOWN` and not retryable, its message still passed through `redact` by the caller.
 */
export function errorFacts(error: unknown): ErrorFacts {
  if (isRefundkitError(error)) {
    return {
      code: error.code,
      retryable: error.retryable || RETRIED_BY_RELAY.has(error.code),
      ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
      message: error.message,
    };
  }
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { code: 'UNKNOWN', retryable: false, message };
}
