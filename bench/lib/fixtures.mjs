// Deterministic inputs shared by the benchmarks: the same bytes for a subject and its baseline, every run.

const TITLES = [
  '纯棉短袖T恤 男款 白色',
  'Stainless steel water bottle 750 ml',
  '无线蓝牙耳机 降噪版',
  '儿童防晒帽 粉色',
];
const REASONS = ['尺码不合适', '七天无理由退货', 'Arrived damaged, box crushed', '商品与描述不符'];

/**
 * One Wangdian `RawRefund.upload` row (`order_list` entry) in the vendor's own field names, with every optional
 * field a real shop tends to fill, so 100 rows make a body of about 40 KB, the
 * size a full upload call carries.
 */
export function rawRefundRow(index, prefix = 'BENCH') {
  const id = String(index).padStart(6, '0');
  const price = 19.9 + (index % 7) * 10;
  const num = 1 + (index % 3);
  return {
    refund_no: `${prefix}-RF${id}`,
    num,
    tid: `${prefix}-T${id}`,
    oid: `${prefix}-O${id}-1`,
    type: 2,
    status: 2,
    refund_version: '1',
    refund_amount: Math.round(price * num * 100) / 100,
    actual_refund_amount: Math.round(price * num * 100) / 100,
    title: TITLES[index % TITLES.length],
    logistics_name: '顺丰速运',
    logistics_no: `SF10${id}88`,
    buyer_nick: `buyer_${id}`,
    refund_time: '2024-05-22 09:07:18',
    is_aftersale: 1,
    reason: REASONS[index % REASONS.length],
    price,
    pay_no: `PAY2024052200${id}`,
    goods_no: `GOODS-${id}`,
  };
}

/** `count` upload rows, each its own refund. */
export function rawRefundRows(count, prefix = 'BENCH') {
  return Array.from({ length: count }, (_, index) => rawRefundRow(index, prefix));
}

/**
 * A Kingdee `refundSave` body: the vendor doc's own example (its `null`s included) with a refund number of our own,
 * so every call of a run saves a distinct refund.
 */
export function kingdeeRefundSaveBody(refundNo) {
  return {
    channel_order_no: null,
    cmd: 'pay.refund.query',
    mch_id: 'M1001',
    order_no: refundNo,
    refund_amount: '5000',
    refund_desc: '客户退货。发起部分退款。',
    refund_no: refundNo,
    service_group_name: null,
    shop_id: 'S0002',
    sign_msg: '1',
    terminal_ip: '192.168.1.2',
    terminal_no: '0002',
  };
}

/**
 * One canonical refund as JSON input for `parseRefund` (amounts as decimal strings, times as ISO text): a return of
 * one or two lines with payment and logistics facts, consistent by refund-model's cross-field rules.
 */
export function refundInput(index, prefix = 'BENCH') {
  const id = String(index).padStart(6, '0');
  const lineCount = 1 + (index % 2);
  const lines = Array.from({ length: lineCount }, (_, line) => {
    const unitCents = 1990 + ((index + line) % 7) * 1000;
    const quantity = 1 + ((index + line) % 3);
    const total = ((unitCents * quantity) / 100).toFixed(2);
    return {
      subOrderId: `${prefix}-O${id}-${line + 1}`,
      title: TITLES[(index + line) % TITLES.length],
      quantity: String(quantity),
      unitPrice: (unitCents / 100).toFixed(2),
      lineTotal: total,
      requestedAmount: total,
      actualAmount: total,
      goodsNo: `GOODS-${id}-${line + 1}`,
    };
  });
  const cents = lines.reduce((sum, line) => sum + Math.round(Number(line.requestedAmount) * 100), 0);
  const amount = (cents / 100).toFixed(2);
  return {
    refundNo: `${prefix}-R${id}`,
    orderNo: `${prefix}-T${id}`,
    shopCode: 'LCJ',
    kind: 'return-and-refund',
    status: 'succeeded',
    version: '1',
    requestedAmount: amount,
    actualAmount: amount,
    reason: REASONS[index % REASONS.length],
    afterSale: true,
    buyer: { nick: `buyer_${id}` },
    payment: { payNo: `PAY${id}`, merchantId: 'M1001', terminalNo: '0002', terminalIp: '192.168.1.2' },
    logistics: { company: '顺丰速运', trackingNo: `SF10${id}88` },
    createdAt: '2024-05-22T09:07:18+08:00',
    lines,
  };
}
