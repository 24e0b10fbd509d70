/**
 * The marker every refundkit error carries, so `isRefundkitError` (in `@refundkit/transport`) recognises this error
 * without this package importing anything of ours. `Symbol.for` makes it the same symbol in every copy.
 */
const REFUNDKIT_ERROR_MARKER = Symbol.for('refundkit.error');

/**
 * One problem with a refund input: where it is (`'lines[2].quantity'`; `''` for the input as a whole) and what is
 * wrong, described without repeating the value that was sent.
 */
export interface RefundIssue {
  path: string;
  message: string;
}

/**
 * Thrown by `parseRefund` when the input is not a valid refund. It lists every issue found, each with its path, and
 * follows the refundkit error convention: `code: 'VALIDATION'`, `retryable: false` and the
 * `Symbol.for('refundkit.error')` marker. Its message and `toJSON()` name the failing paths and rules but never the
 * values sent (buyer nick and pay account are personal data).
 *
 * @example
 * try { parseRefund(input); } catch (e) { if (e instanceof RefundValidationError) console.log(e.issues); }
 */
export class RefundValidationError extends Error {
  override readonly name = 'RefundValidationError';
  readonly code = 'VALIDATION' as const;
  readonly retryable = false as const;
  readonly issues: RefundIssue[];
  // Set in the constructor rather than as a field: a class field with a computed key keeps the class (and this
  // module's code) in every bundle, even one that never throws it.
  declare readonly [REFUNDKIT_ERROR_MARKER]: true;

  /** Builds the error from its issues (at least one); the message summarises them. */
  constructor(issues: readonly RefundIssue[]) {
    const list = issues.map((issue) => ({ path: issue.path, message: issue.message }));
    const shown = list.slice(0, 5).map((issue) => `${issue.path || '(input)'}: ${issue.message}`);
    const more = list.length > 5 ? `; and ${list.length - 5} more` : '';
    super(`Invalid refund (${list.length} issue${list.length === 1 ? '' : 's'}): ${shown.join('; ')}${more}`);
    this.issues = list;
    (this as { [REFUNDKIT_ERROR_MARKER]: true })[REFUNDKIT_ERROR_MARKER] = true;
  }

  /** A plain, JSON-safe description: name, code, message, retryable and the issues. */
  toJSON(): { name: string; code: 'VALIDATION'; message: string; retryable: false; issues: RefundIssue[] } {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      issues: this.issues.map((issue) => ({ ...issue })),
    };
  }
}
