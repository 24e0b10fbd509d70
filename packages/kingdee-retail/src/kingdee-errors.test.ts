import { ResponseError, VendorApiError } from '@refundkit/transport';
import { describe, expect, it } from 'vitest';
import { kingdeeErrorCode, readKingdeeAnswer } from './kingdee-errors.js';

describe('kingdeeErrorCode', () => {
  it.each([
    [4006, 519, 'TIMESTAMP', false],
    [4008, 519, 'AUTHENTICATION', false],
    [4004, 519, 'AUTHENTICATION', false],
    [4005, 519, 'AUTHENTICATION', false],
    [4002, 519, 'AUTHENTICATION', false],
    [4003, 519, 'AUTHENTICATION', false],
    [4009, 519, 'TOKEN', false],
    [4010, 519, 'TOKEN', false],
    [4011, 519, 'TOKEN', false],
    [4012, 519, 'PERMISSION', false],
    [5003, 519, 'OVERLOADED', true],
    [5007, 519, 'OVERLOADED', true],
    [5006, 519, 'OVERLOADED', true],
    [5004, 519, 'OVERLOADED', true],
    [5000, 519, 'SERVER', true],
    [5001, 519, 'NOT_FOUND', false],
    [5099, 519, 'SERVER', true],
    [4099, 519, 'UNKNOWN', false],
    [2000002000, 200, 'SERVER', true],
    [1030002006, 200, 'AUTHENTICATION', false],
    [1001, 200, 'BUSINESS', false],
    [1001, 429, 'RATE_LIMITED', true],
  ] as const)('maps %i under HTTP %i to %s (retryable %s)', (vendorCode, status, code, retryable) => {
    expect(kingdeeErrorCode(vendorCode, status)).toEqual({ code, retryable });
  });

  it('reads a conflicting re-save (1002, 已存在) as a business error, never as already delivered', () => {
    expect(kingdeeErrorCode(1002, 200).code).toBe('BUSINESS');
  });
});

describe('readKingdeeAnswer', () => {
  const endpoint = 'POST /jdy/v2/ls/refundSave';

  it('answers data on errcode 0 and on code 0 or 200', () => {
    expect(readKingdeeAnswer(endpoint, { status: 200, json: { errcode: 0, description: 'success', data: 1 } })).toBe(1);
    expect(readKingdeeAnswer(endpoint, { status: 200, json: { code: 200, msg: 'ok', data: 2 } })).toBe(2);
    expect(readKingdeeAnswer(endpoint, { status: 200, json: { code: '0', msg: 'ok', data: 3 } })).toBe(3);
  });

  it('turns gateway and business answers into VendorApiErrors with the vendor facts', () => {
    const gateway = catchError(() =>
      readKingdeeAnswer(endpoint, {
        status: 519,
        json: { errcode: 4011, description: 'app-token has expired', descriptionCn: '过期' },
      }),
    );
    expect(gateway).toBeInstanceOf(VendorApiError);
    expect(gateway).toMatchObject({
      vendor: 'kingdee',
      vendorCode: '4011',
      vendorMessage: 'app-token has expired',
      status: 519,
      endpoint,
      code: 'TOKEN',
    });
    const business = catchError(() =>
      readKingdeeAnswer(endpoint, { status: 200, json: { code: 1001, msg: '参数错误' } }),
    );
    expect(business).toMatchObject({ vendorCode: '1001', vendorMessage: '参数错误', code: 'BUSINESS' });
  });

  it('reads answers without a code by their HTTP status', () => {
    expect(catchError(() => readKingdeeAnswer(endpoint, { status: 404, json: { message: 'No Route' } }))).toMatchObject(
      {
        code: 'NOT_FOUND',
        vendorCode: '404',
        vendorMessage: 'No Route',
      },
    );
    expect(catchError(() => readKingdeeAnswer(endpoint, { status: 200, json: { data: 1 } }))).toBeInstanceOf(
      ResponseError,
    );
    expect(catchError(() => readKingdeeAnswer(endpoint, { status: 502, json: [1] }))).toMatchObject({
      code: 'BAD_RESPONSE',
      retryable: true,
    });
  });
});

function catchError(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}
