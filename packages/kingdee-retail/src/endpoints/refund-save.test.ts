import { InputValidationError, isRefundkitError } from '@refundkit/transport';
import { checkEndpointInput } from '@refundkit/transport/internal';
import { describe, expect, it } from 'vitest';
import { DOC_EXAMPLE } from '../test-support.js';
import { refundSave } from './refund-save.js';

const parseKingdeeRefundSaveBody = (input: unknown) => checkEndpointInput(refundSave, input, 'refundSave body');

function safeParseKingdeeRefundSaveBody(input: unknown) {
  try {
    return { success: true as const, output: parseKingdeeRefundSaveBody(input) };
  } catch (error) {
    if (!InputValidationError.isInstance(error)) throw error;
    return { success: false as const, issues: error.issues };
  }
}

describe('the refundSave definition', () => {
  it("accepts the vendor page's own example, nulls included", () => {
    expect(parseKingdeeRefundSaveBody(DOC_EXAMPLE)).toEqual(DOC_EXAMPLE);
  });

  it('accepts the required fields alone, and null optional fields', () => {
    const { order_no, refund_amount, refund_desc, shop_id, ...required } = DOC_EXAMPLE;
    expect(safeParseKingdeeRefundSaveBody(required).success).toBe(true);
    expect(safeParseKingdeeRefundSaveBody({ ...required, shop_id: null, refund_amount: null }).success).toBe(true);
  });

  it('names every failing field, and never the values', () => {
    const result = safeParseKingdeeRefundSaveBody({
      cmd: 7,
      refund_no: '',
      refund_amount: '-5',
      shop_id: 3,
      refundNo: 'buyer-secret-value',
      terminal_ip: '10.0.0.1',
    });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.issues.map((issue) => issue.path).sort()).toEqual(
      [
        'channel_order_no',
        'cmd',
        'mch_id',
        'refund_no',
        'service_group_name',
        'sign_msg',
        'terminal_no',
        'refund_amount',
        'shop_id',
        'refundNo',
      ].sort(),
    );
    expect(JSON.stringify(result.issues)).not.toContain('buyer-secret-value');
    expect(JSON.stringify(result.issues)).not.toContain('10.0.0.1');
  });

  it('rejects non-objects at the root', () => {
    for (const input of [null, [], 'body', 5]) {
      const result = safeParseKingdeeRefundSaveBody(input);
      expect(result.success).toBe(false);
      if (!result.success) expect(result.issues).toMatchObject([{ path: '', message: 'must be an object' }]);
    }
  });

  it('throws an InputValidationError with code VALIDATION', () => {
    try {
      parseKingdeeRefundSaveBody({ ...DOC_EXAMPLE, refund_amount: '12.345678' });
      expect.unreachable();
    } catch (error) {
      expect(isRefundkitError(error)).toBe(true);
      expect(error).toMatchObject({ code: 'VALIDATION', retryable: false, issues: [{ path: 'refund_amount' }] });
    }
  });
});
