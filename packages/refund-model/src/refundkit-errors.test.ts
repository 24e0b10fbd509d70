import { describe, expect, it } from 'vitest';
import {
  ConfigurationError,
  InputValidationError,
  isRefundkitError,
  REFUNDKIT_ERROR_MARKER,
  RefundkitError,
  ResponseError,
  TransportError,
  VendorApiError,
} from './refundkit-errors.js';

describe('refundkit errors', () => {
  it('mark every kind with Symbol.for("refundkit.error") and recognise foreign marked errors', () => {
    expect(REFUNDKIT_ERROR_MARKER).toBe(Symbol.for('refundkit.error'));
    const kinds = [
      new RefundkitError('x', { code: 'UNKNOWN' }),
      new VendorApiError({
        vendor: 'kingdee',
        vendorCode: 4008,
        vendorMessage: 'signature invalid',
        status: 519,
        endpoint: 'POST /jdy/v2/ls/refundSave',
        code: 'AUTHENTICATION',
      }),
      new TransportError('t', { code: 'NETWORK', endpoint: 'GET /x' }),
      new ResponseError('r', { status: 200, endpoint: 'GET /x' }),
      new InputValidationError('body', [{ path: 'a', message: 'required' }]),
      new ConfigurationError('c', { setting: 'clientId' }),
    ];
    for (const error of kinds) {
      expect(isRefundkitError(error)).toBe(true);
      expect(error).toBeInstanceOf(Error);
    }
    const foreign = Object.assign(new Error('from another copy'), { [Symbol.for('refundkit.error')]: true });
    expect(isRefundkitError(foreign)).toBe(true);
    expect(isRefundkitError(new Error('plain'))).toBe(false);
    expect(isRefundkitError(null)).toBe(false);
    expect(isRefundkitError({ code: 'VALIDATION' })).toBe(false);
  });

  it('serialise their facts but never their cause', () => {
    const error = new VendorApiError({
      vendor: 'kingdee',
      vendorCode: 5007,
      vendorMessage: 'overloaded',
      status: 519,
      endpoint: 'POST /jdy/v2/ls/refundSave',
      code: 'OVERLOADED',
      retryable: true,
      retryAfterMs: 1000,
      cause: new Error('app-token=SECRET'),
    });
    expect(error.toJSON()).toEqual({
      name: 'VendorApiError',
      code: 'OVERLOADED',
      message: 'kingdee POST /jdy/v2/ls/refundSave failed with 5007: overloaded (HTTP 519)',
      retryable: true,
      resendable: true,
      retryAfterMs: 1000,
      vendor: 'kingdee',
      vendorCode: '5007',
      vendorMessage: 'overloaded',
      status: 519,
      endpoint: 'POST /jdy/v2/ls/refundSave',
    });
    expect(JSON.stringify(error)).not.toContain('SECRET');
  });

  it('serialise a refundkit cause the same way, and only the fields a class set', () => {
    const cause = new TransportError('kingdee GET /x timed out after 5 ms', { code: 'TIMEOUT', endpoint: 'GET /x' });
    const wrapped = new RefundkitError('stopped', { code: 'TIMEOUT', cause });
    expect(wrapped.toJSON()).toEqual({
      name: 'RefundkitError',
      message: 'stopped',
      code: 'TIMEOUT',
      retryable: false,
      resendable: false,
      cause: cause.toJSON(),
    });
    expect(cause.toJSON()).toEqual({
      name: 'TransportError',
      message: 'kingdee GET /x timed out after 5 ms',
      code: 'TIMEOUT',
      retryable: true,
      resendable: true,
      endpoint: 'GET /x',
    });
    // Markers are not enumerable, so neither spreads nor JSON carry them.
    expect(Object.getOwnPropertySymbols(wrapped.toJSON())).toEqual([]);

    // The cause is described one level deep, so a loop of causes ends; a foreign marked cause without a toJSON()
    // is left out instead of throwing.
    const first = new RefundkitError('first', { code: 'UNKNOWN' });
    const second = new RefundkitError('second', { code: 'UNKNOWN', cause: first });
    Object.defineProperty(first, 'cause', { value: second });
    expect(first.toJSON()).toMatchObject({ message: 'first', cause: { message: 'second' } });
    expect(first.toJSON().cause).not.toHaveProperty('cause');
    const foreign = Object.assign(Object.create(null), { [Symbol.for('refundkit.error')]: true });
    expect(new RefundkitError('outer', { code: 'UNKNOWN', cause: foreign }).toJSON()).not.toHaveProperty('cause');
  });

  it('default retryable by kind: transport failures except ABORTED, nothing else', () => {
    expect(new TransportError('t', { code: 'TIMEOUT', endpoint: 'e' }).retryable).toBe(true);
    expect(new TransportError('t', { code: 'NETWORK', endpoint: 'e' }).retryable).toBe(true);
    expect(new TransportError('t', { code: 'ABORTED', endpoint: 'e' }).retryable).toBe(false);
    expect(new ResponseError('r', { status: 200, endpoint: 'e' }).retryable).toBe(false);
    expect(new RefundkitError('x', { code: 'SERVER' }).retryable).toBe(false);
    expect(new RefundkitError('x', { code: 'SERVER' }).retryAfterMs).toBeUndefined();
  });

  it('list every issue of an InputValidationError by path in its message and JSON', () => {
    const error = new InputValidationError('Kingdee refundSave body', [
      { path: 'refund_no', message: 'is required' },
      { path: 'cmd', message: 'must be a string' },
      { path: '', message: 'must be an object' },
    ]);
    expect(error.code).toBe('VALIDATION');
    expect(error.message).toBe(
      'Invalid Kingdee refundSave body: refund_no: is required; cmd: must be a string; (input): must be an object',
    );
    expect(error.toJSON().issues).toHaveLength(3);
    expect(Object.isFrozen(error.issues)).toBe(true);
  });

  it('name the setting of a ConfigurationError', () => {
    const error = new ConfigurationError('clientId is missing', { setting: 'clientId' });
    expect(error.toJSON()).toMatchObject({ code: 'CONFIGURATION', setting: 'clientId', retryable: false });
  });

  it('each class answers isInstance by its own marker, also for an instance from a second copy of the module', async () => {
    // A second evaluation of the same file stands for a second installed copy: other classes, the same markers.
    const secondCopy = new URL('./refundkit-errors.ts?second-copy', import.meta.url).href;
    const copy = (await import(/* @vite-ignore */ secondCopy)) as typeof import('./refundkit-errors.js');
    expect(copy.VendorApiError).not.toBe(VendorApiError);
    const foreign = new copy.VendorApiError({
      vendor: 'wangdian',
      vendorCode: 100,
      vendorMessage: 'busy',
      status: 200,
      endpoint: 'POST /openapi x',
      code: 'RATE_LIMITED',
      retryable: true,
    });
    expect(foreign).not.toBeInstanceOf(VendorApiError);
    expect(VendorApiError.isInstance(foreign)).toBe(true);
    expect(RefundkitError.isInstance(foreign)).toBe(true);
    expect(isRefundkitError(foreign)).toBe(true);
    expect(ResponseError.isInstance(foreign)).toBe(false);
    expect(InputValidationError.isInstance(new copy.InputValidationError('x', []))).toBe(true);
    expect(ConfigurationError.isInstance(new copy.ConfigurationError('c', { setting: 's' }))).toBe(true);
    expect(TransportError.isInstance(new copy.TransportError('t', { code: 'NETWORK', endpoint: 'e' }))).toBe(true);
    expect(ResponseError.isInstance(new copy.ResponseError('r', { status: 200, endpoint: 'e' }))).toBe(true);
    for (const value of [null, undefined, 'VendorApiError', { vendor: 'kingdee' }, new Error('plain')]) {
      expect(VendorApiError.isInstance(value)).toBe(false);
      expect(RefundkitError.isInstance(value)).toBe(false);
    }
    // The markers stay out of spreads and JSON.
    expect(Object.keys(foreign)).not.toContain(Symbol.for('refundkit.error.VendorApiError'));
    expect(JSON.stringify(foreign)).not.toContain('refundkit.error');
  });

  it('says whether a later re-send can help: by default when a retry can, or as given', () => {
    expect(new RefundkitError('x', { code: 'TIMESTAMP' }).resendable).toBe(false);
    expect(new RefundkitError('x', { code: 'TIMESTAMP', resendable: true }).resendable).toBe(true);
    expect(new RefundkitError('x', { code: 'SERVER', retryable: true }).resendable).toBe(true);
    expect(new TransportError('t', { code: 'NETWORK', endpoint: 'e', retryable: false }).retryable).toBe(false);
    expect(new ResponseError('r', { status: 200, endpoint: 'e', path: 'data.x' }).toJSON()).toMatchObject({
      path: 'data.x',
      resendable: false,
    });
  });
});
