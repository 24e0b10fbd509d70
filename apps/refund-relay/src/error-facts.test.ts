import { RefundkitError, ResponseError, VendorApiError } from '@refundkit/transport';
import { describe, expect, it } from 'vitest';
import { errorFacts } from './error-facts.js';

describe('errorFacts', () => {
  it('retries later exactly what the error calls resendable', () => {
    const timestamp = new VendorApiError({
      vendor: 'wangdian',
      vendorCode: 7,
      vendorMessage: 'timestamp',
      status: 200,
      endpoint: 'POST /openapi x',
      code: 'TIMESTAMP',
    });
    expect(errorFacts(timestamp)).toMatchObject({ code: 'TIMESTAMP', retryable: true });
    const unreadable = new ResponseError('x', { status: 200, endpoint: 'e', resendable: true });
    expect(errorFacts(unreadable).retryable).toBe(true);
    expect(errorFacts(new RefundkitError('x', { code: 'SERVER', retryable: true, retryAfterMs: 5 }))).toMatchObject({
      retryable: true,
      retryAfterMs: 5,
    });
    expect(errorFacts(new RefundkitError('x', { code: 'BUSINESS' })).retryable).toBe(false);
    expect(errorFacts(new TypeError('bug'))).toMatchObject({ code: 'UNKNOWN', retryable: false });
  });
});
