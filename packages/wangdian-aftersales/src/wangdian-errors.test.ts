import { isRefundkitError, TransportError, VendorApiError } from '@refundkit/transport';
import { describe, expect, it } from 'vitest';
import { classifyWangdianError, UploadIncompleteError, WangdianApiError } from './wangdian-errors.js';

describe('classifyWangdianError', () => {
  it.each([
    [1, 'sid is not exists', 'AUTHENTICATION', 'sid-not-found', false],
    [1, 'sid not exists', 'AUTHENTICATION', 'sid-not-found', false],
    [1, '卖家账号不存在', 'AUTHENTICATION', 'sid-not-found', false],
    [1, '验证失败', 'AUTHENTICATION', 'signature', false],
    [1, '验证失败: sign error', 'AUTHENTICATION', 'signature', false],
    [1, '参数错误: order_list must not be empty', 'INVALID_ARGUMENT', 'argument', false],
    [1, '参数个数错误', 'INVALID_ARGUMENT', 'argument', false],
    [2, '未知参数: foo', 'INVALID_ARGUMENT', 'unknown-parameter', false],
    [3, '需要动态密码', 'AUTHENTICATION', 'dynamic-password', false],
    [4, '数据库错误', 'SERVER', 'database', false],
    [5, '数据库错误', 'SERVER', 'database', false],
    [6, 'IP受限', 'PERMISSION', 'ip-restricted', false],
    [7, '时间戳错误', 'TIMESTAMP', 'timestamp', false],
    [8, '版本号错误', 'INVALID_ARGUMENT', 'version', false],
    [99, '其他错误', 'UNKNOWN', 'other', false],
    [100, '超过每分钟最大调用频率限制', 'RATE_LIMITED', 'rate-limit', true],
    [100, '超过每分钟最大调用频率限制,请稍后重试', 'RATE_LIMITED', 'rate-limit', true],
    [100, '超过每分钟最大调用频率，限制！', 'RATE_LIMITED', 'rate-limit', true],
    [100, '超过最大并发次数限制', 'RATE_LIMITED', 'rate-limit', true],
    [100, '超过最大并发次数 限制。', 'RATE_LIMITED', 'rate-limit', true],
    [100, '退换单已存在', 'ALREADY_EXISTS', 'already-exists', false],
    [100, '店铺编号不存在或已停用', 'BUSINESS', 'business', false],
    [100, '权限不足', 'BUSINESS', 'business', false],
    [42, 'whatever', 'UNKNOWN', 'unknown', false],
  ] as const)('status %i %s → %s', (status, message, code, reason, retryable) => {
    expect(classifyWangdianError(status, message)).toEqual({ code, reason, retryable });
  });
});

describe('WangdianApiError', () => {
  it('is a VendorApiError with a reason, marked, and serialises its facts', () => {
    const error = new WangdianApiError({
      vendorCode: 100,
      vendorMessage: '退换单已存在',
      status: 200,
      endpoint: 'POST /openapi aftersales.refund.RawRefund.upload',
      code: 'ALREADY_EXISTS',
      reason: 'already-exists',
    });
    expect(error).toBeInstanceOf(VendorApiError);
    expect(isRefundkitError(error)).toBe(true);
    expect(error.toJSON()).toMatchObject({
      name: 'WangdianApiError',
      code: 'ALREADY_EXISTS',
      vendor: 'wangdian',
      vendorCode: '100',
      reason: 'already-exists',
      retryable: false,
    });
  });
});

describe('UploadIncompleteError', () => {
  it('reports uploaded, failed and skipped refund numbers and takes code and retryability from the cause', () => {
    const cause = new TransportError('wangdian timed out', { code: 'TIMEOUT', endpoint: 'POST /openapi x' });
    const error = new UploadIncompleteError(
      {
        newCount: 2,
        chgCount: 0,
        batches: [
          { index: 0, refundNos: ['A', 'B'], rowCount: 2, outcome: 'uploaded', newCount: 2, chgCount: 0 },
          { index: 1, refundNos: ['C'], rowCount: 1, outcome: 'failed', errorCode: 'TIMEOUT' },
          { index: 2, refundNos: ['D'], rowCount: 1, outcome: 'skipped' },
        ],
      },
      cause,
    );
    expect(error.code).toBe('TIMEOUT');
    expect(error.retryable).toBe(true);
    expect(error.uploadedRefundNos).toEqual(['A', 'B']);
    expect(error.failedRefundNos).toEqual(['C']);
    expect(error.notUploadedRefundNos).toEqual(['C', 'D']);
    expect(error.message).toContain('call 2 of 3');
    expect(error.cause).toBe(cause);
    const json = error.toJSON();
    expect(json).toMatchObject({ code: 'TIMEOUT', uploadedRefundNos: ['A', 'B'], notUploadedRefundNos: ['C', 'D'] });
    expect((json.cause as Record<string, unknown>).code).toBe('TIMEOUT');
  });
});
