import { parseRefund } from '@refundkit/refund-model';
import { InputValidationError } from '@refundkit/transport';
import { checkEndpointInput } from '@refundkit/transport/internal';
import { describe, expect, it } from 'vitest';
import { refundSave } from './endpoints/refund-save.js';
import { toKingdeeRefundSave } from './kingdee-refund-mapping.js';

const refundInput = {
  refundNo: '10029',
  orderNo: 'O-10029',
  shopCode: 'S0002',
  kind: 'refund-without-return',
  status: 'succeeded',
  requestedAmount: '60.00',
  actualAmount: '50.00',
  reason: '客户退货。发起部分退款。',
  afterSale: true,
  buyer: { nick: 'buyer-nick-private', payAccount: 'pay-account-private' },
  payment: { merchantId: 'M1001', terminalNo: '0002', terminalIp: '192.168.1.2', channelOrderNo: 'CH-1' },
  lines: [{ subOrderId: 'L1', title: 'cup', quantity: '1', requestedAmount: '60.00', actualAmount: '50.00' }],
};

describe('toKingdeeRefundSave', () => {
  it('maps a refund to a valid body with the amount in fen by default', () => {
    const body = toKingdeeRefundSave(parseRefund(refundInput), { cmd: 'pay.refund.query', signMsg: '1' });
    expect(body).toEqual({
      channel_order_no: 'CH-1',
      cmd: 'pay.refund.query',
      mch_id: 'M1001',
      refund_no: '10029',
      service_group_name: null,
      sign_msg: '1',
      terminal_ip: '192.168.1.2',
      terminal_no: '0002',
      order_no: 'O-10029',
      refund_amount: '5000',
      refund_desc: '客户退货。发起部分退款。',
      shop_id: 'S0002',
    });
    expect(checkEndpointInput(refundSave, body, 'refundSave body')).toEqual(body);
    expect(JSON.stringify(body)).not.toMatch(/private/);
  });

  it('writes yuan with two decimals, and the requested amount on request', () => {
    const refund = parseRefund(refundInput);
    const options = { cmd: 'c', signMsg: 's', amountUnit: 'yuan', amount: 'requested' } as const;
    expect(toKingdeeRefundSave(refund, options).refund_amount).toBe('60.00');
    const half = parseRefund({
      ...refundInput,
      actualAmount: '0.5',
      lines: [{ ...refundInput.lines[0], actualAmount: '0.5' }],
    });
    expect(toKingdeeRefundSave(half, { cmd: 'c', signMsg: 's', amountUnit: 'yuan' }).refund_amount).toBe('0.50');
  });

  it('refuses sub-fen amounts unless a rounding mode is given', () => {
    const refund = parseRefund({
      ...refundInput,
      actualAmount: '12.345',
      lines: [{ ...refundInput.lines[0], actualAmount: '12.345' }],
    });
    try {
      toKingdeeRefundSave(refund, { cmd: 'c', signMsg: 's' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InputValidationError);
      expect((error as InputValidationError).issues).toEqual([
        { path: 'actualAmount', message: 'is finer than a fen (分); pass options.rounding to round it' },
      ]);
    }
    expect(toKingdeeRefundSave(refund, { cmd: 'c', signMsg: 's', rounding: 'half-even' }).refund_amount).toBe('1234');
    expect(toKingdeeRefundSave(refund, { cmd: 'c', signMsg: 's', rounding: 'up' }).refund_amount).toBe('1235');
  });

  it('lets options override the payment fields and falls back to null for what neither gives', () => {
    const refund = parseRefund({ ...refundInput, payment: undefined, reason: '', remark: 'note' });
    const body = toKingdeeRefundSave(refund, {
      cmd: 'c',
      signMsg: 's',
      mchId: 'M9',
      serviceGroupName: 'G',
      shopId: 'S9',
    });
    expect(body).toMatchObject({
      mch_id: 'M9',
      service_group_name: 'G',
      shop_id: 'S9',
      channel_order_no: null,
      terminal_ip: null,
      terminal_no: null,
      refund_desc: 'note',
    });
    const plain = toKingdeeRefundSave(parseRefund({ ...refundInput, reason: '' }), { cmd: 'c', signMsg: 's' });
    expect('refund_desc' in plain).toBe(false);
  });

  it('answers malformed options with a TypeError naming the option', () => {
    const refund = parseRefund(refundInput);
    expect(() => toKingdeeRefundSave(refund, { signMsg: 's' } as never)).toThrow(/options.cmd/);
    expect(() => toKingdeeRefundSave(refund, { cmd: 'c', signMsg: '' })).toThrow(/options.signMsg/);
    expect(() => toKingdeeRefundSave(refund, { cmd: 'c', signMsg: 's', amountUnit: 'jiao' as never })).toThrow(
      /options.amountUnit/,
    );
    expect(() => toKingdeeRefundSave(refund, { cmd: 'c', signMsg: 's', rounding: 'nearest' as never })).toThrow(
      /options.rounding/,
    );
    expect(() => toKingdeeRefundSave(refund, { cmd: 'c', signMsg: 's', mchId: 5 as never })).toThrow(/options.mchId/);
  });
});
