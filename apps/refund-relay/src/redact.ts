import type { Refund } from '@refundkit/refund-model';
import { redactText } from '@refundkit/transport';

/** Longest error message the relay stores. */
const MAX_MESSAGE = 500;

/**
 * A scrubber for text about to be stored or printed: it hides every configured secret (client secret, app secret,
 * tokens; values shorter than 4 characters are ignored) and the buyer data of the refunds concerned (nick, pay
 * account) with transport's `redactText`, collapses whitespace and cuts the text at 500 characters. Refundkit errors
 * are secret-free already; this is the second line of defence for vendor texts and unexpected errors.
 *
 * @example
 * const redact = createRedactor(['s3cr3t-value']);
 * redact('bad sign for s3cr3t-value', []); // 'bad sign for [redacted]'
 */
export function createRedactor(
  secrets: Iterable<string | undefined>,
): (text: string, refunds?: readonly Refund[]) => string {
  const hidden = [...secrets].filter((s): s is string => typeof s === 'string' && s.length >= 4);
  return (text, refunds = []) => {
    const buyers = refunds.flatMap((refund) => [refund.buyer.nick, refund.buyer.payAccount]);
    const out = redactText(text, [...hidden, ...buyers])
      .replace(/\s+/g, ' ')
      .trim();
    return out.length > MAX_MESSAGE ? `${out.slice(0, MAX_MESSAGE - 1)}…` : out;
  };
}
