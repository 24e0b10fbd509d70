import { RefundkitError } from '@refundkit/transport';
import { describe, expect, it } from 'vitest';
import { errorFacts } from './error-facts.js';

describe('errorFacts', () => {
  it('retries TIMESTAMP, TOKEN and BAD_RESPONSE although the client calls them final', () => {
    for (const code of ['TIMESTAMP', 'TOKEN', 'BAD_RESPONSE'] as const) {
      expect(errorFacts(new RefundkitError('x', { code, retryable: false })).retryable).toBe(true);
    }
    expect(errorFacts(new RefundkitError('x', { code: 'BUSINESS', retryable: false })).retryable).toBe(false);
    expect(errorFacts(new TypeError('bug'))).toMatchObject({ code: 'UNKNOWN', retryable: false });
  });
});
