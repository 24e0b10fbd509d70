/**
 * A deterministic generator of realistic retail refunds (Chinese goods titles, reasons, couriers), in the refund
 * input shape, with a known sprinkling of invalid records, duplicates and changed versions. The bundled sample in
 * `samples/` was written by it (`refund-relay sample`); benchmarks use it for larger runs.
 */

/** The shops the sample refunds belong to; the demo's Wangdian sandbox knows exactly these. */
export const SAMPLE_SHOPS = ['LCJ', 'TM-HZ01', 'JD-SH02'] as const;

const TITLES = [
  '纯棉短袖T恤 男款 白色 XL',
  '无线蓝牙耳机 主动降噪版',
  '不锈钢保温杯 500ml 雾霾蓝',
  '儿童运动鞋 透气网面 32码',
  '明前龙井绿茶 250g 礼盒装',
  '真丝印花方巾 90cm',
  '家用空气炸锅 4.5L 大容量',
  '手机壳 透明防摔 适用 iPhone 15',
  '羊毛混纺针织开衫 女款 燕麦色',
  '声波电动牙刷 附替换刷头4支',
  '乳胶枕 护颈 成人款',
  '双肩背包 大容量 通勤款',
  '玻尿酸保湿面霜 50g',
  '每日坚果礼盒 1.2kg',
  '成猫全价猫粮 鸡肉味 2kg',
  '加厚瑜伽垫 10mm 防滑',
  '厨房刀具五件套 德国钢',
  '机械键盘 青轴 87键',
  '儿童绘本 经典童话 全10册',
  '男士商务皮带 自动扣',
  '四件套 全棉磨毛 1.8m床',
  '运动速干短裤 男款 黑色 L',
] as const;

const REASONS = [
  '七天无理由退换货',
  '尺码不合适',
  '质量问题',
  '商品与描述不符',
  '发错货',
  '不想要了',
  '少件/漏发',
  '快递一直未送达',
  '拍错了/多拍了',
  '',
] as const;

const COURIERS = [
  ['顺丰速运', 'SF'],
  ['中通快递', 'ZT'],
  ['圆通速递', 'YT'],
  ['韵达快递', 'YD'],
  ['京东物流', 'JD'],
] as const;

const NICK_STEMS = [
  '快乐的小鱼',
  '晴天娃娃',
  'tb_luna',
  '山川与海',
  'jd_阿杰',
  '一只橘猫',
  '风吹麦浪',
  'momo酱',
] as const;

const KINDS = [
  'return-and-refund',
  'return-and-refund',
  'return-and-refund',
  'refund-before-shipping',
  'refund-without-return',
  'cancel-order',
  'exchange',
] as const;

/** What `generateSampleRefunds` produces. */
export interface SampleRefunds {
  /** The first file: valid refunds with invalid records and duplicates mixed in. */
  records: Record<string, unknown>[];
  /** A later file: changed versions of some refunds, a duplicate and an invalid record. */
  updates: Record<string, unknown>[];
  /** How many of each the generator put in. */
  expected: {
    refunds: number;
    invalid: number;
    duplicates: number;
    changed: number;
    changedAmounts: number;
    updateInvalid: number;
    updateDuplicates: number;
  };
}

/** A small, seeded PRNG (mulberry32): the same seed always gives the same sample. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function yuan(cents: number): string {
  const whole = Math.floor(cents / 100);
  const fraction = cents % 100;
  return fraction === 0 ? String(whole) : `${whole}.${String(fraction).padStart(2, '0')}`;
}

function iso(epochMs: number): string {
  return new Date(epochMs + 8 * 3_600_000).toISOString().replace(/\.\d{3}Z$/, '+08:00');
}

/**
 * Generates `count` valid refunds (numbered `RF<batch><seq>`, batch default `20240601`) plus about 4% invalid records and 3% duplicates (some exact, some with the same
 * content spelt differently), and an update set of changed versions (status moves on; some amounts change, which
 * Kingdee will refuse). Deterministic for a given `seed`.
 *
 * @example
 * const { records, updates } = generateSampleRefunds({ count: 300, seed: 20240615 });
 */
export function generateSampleRefunds(options: { count: number; seed?: number; batch?: string }): SampleRefunds {
  const batch = options.batch ?? '20240601';
  const random = prng(options.seed ?? 20240615);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const start = Date.UTC(2024, 5, 1, 2, 0, 0);
  const refunds: Record<string, unknown>[] = [];

  for (let i = 0; i < options.count; i++) {
    const seq = String(i + 1).padStart(6, '0');
    const orderNo = `T2024${String(int(10_000_000, 99_999_999))}${String(i).padStart(4, '0')}`;
    const kind = pick(KINDS);
    const lineCount = random() < 0.7 ? 1 : random() < 0.7 ? 2 : 3;
    const partial = kind === 'refund-without-return' && random() < 0.5;
    const lines = Array.from({ length: lineCount }, (_, index) => {
      const quantity = random() < 0.8 ? 1 : int(2, 3);
      const unitCents = int(990, 59_900) - (random() < 0.5 ? 0 : int(0, 89));
      const totalCents = unitCents * quantity;
      const actualCents = partial ? Math.floor(totalCents * 0.5) : totalCents;
      return {
        subOrderId: `${orderNo}-${index + 1}`,
        title: pick(TITLES),
        quantity: String(quantity),
        unitPrice: yuan(unitCents),
        lineTotal: yuan(totalCents),
        requestedAmount: yuan(totalCents),
        actualAmount: yuan(actualCents),
        goodsNo: `G${int(1000, 9999)}`,
        specNo: `G${int(1000, 9999)}-${int(1, 6)}`,
      };
    });
    const requested = lines.reduce((sum, line) => sum + Math.round(Number(line.requestedAmount) * 100), 0);
    const actual = lines.reduce((sum, line) => sum + Math.round(Number(line.actualAmount) * 100), 0);
    const createdAt = start + i * 97_000 + int(0, 60_000);
    const status = random() < 0.75 ? 'succeeded' : pick(['requested', 'awaiting-return', 'awaiting-receipt'] as const);
    const courier = pick(COURIERS);
    const returns = kind === 'return-and-refund' || kind === 'exchange';
    refunds.push({
      refundNo: `RF${batch}${seq}`,
      orderNo,
      shopCode: pick(SAMPLE_SHOPS),
      kind,
      status,
      version: '1',
      requestedAmount: yuan(requested),
      actualAmount: yuan(actual),
      reason: pick(REASONS),
      ...(random() < 0.2 ? { remark: '客服已核实，同意退款' } : {}),
      afterSale: status === 'succeeded' || returns,
      buyer: { nick: `${pick(NICK_STEMS)}${int(10, 9999)}`, payAccount: `1${int(30, 89)}****${int(1000, 9999)}` },
      payment: {
        payNo: `4200${int(100_000_000, 999_999_999)}${seq}`,
        merchantId: `M${int(1001, 1009)}`,
        channelOrderNo: `C${orderNo.slice(1)}`,
        terminalNo: String(int(1, 40)).padStart(4, '0'),
        terminalIp: `192.168.${int(0, 9)}.${int(2, 250)}`,
        serviceGroup: pick(['华东零售', '华南零售', '线上旗舰店']),
      },
      ...(returns
        ? { logistics: { company: courier[0], trackingNo: `${courier[1]}${int(10_000_000, 99_999_999)}${seq}` } }
        : {}),
      createdAt: iso(createdAt),
      ...(status === 'succeeded' ? { completedAt: iso(createdAt + int(3_600_000, 3 * 86_400_000)) } : {}),
      lines,
    });
  }

  const invalidMakers: ((base: Record<string, unknown>) => Record<string, unknown>)[] = [
    ({ orderNo: _dropped, ...rest }) => rest,
    (base) => ({ ...base, kind: 'return' }),
    (base) => ({ ...base, actualAmount: '-12.00' }),
    (base) => ({ ...base, lines: [] }),
    (base) => ({ ...base, lines: (base.lines as object[]).map((line) => ({ ...line, quantity: '0' })) }),
    (base) => ({ ...base, requestedAmount: '12.345.6' }),
    (base) => ({ ...base, createdAt: '昨天下午' }),
    (base) => ({ ...base, refundNo: '' }),
    (base) => ({ ...base, buyer: { payAccount: '138****0000' } }),
    (base) => ({ ...base, afterSale: '是' }),
    (base) => ({ ...base, actualAmount: yuan(Math.round(Number(base.requestedAmount) * 100) + 100) }),
    (base) => ({
      ...base,
      lines: (base.lines as Record<string, unknown>[]).map(({ subOrderId: _dropped, ...line }) => line),
    }),
  ];
  const records: Record<string, unknown>[] = [];
  const invalidEvery = Math.max(2, Math.floor(options.count / Math.max(1, Math.round(options.count * 0.04))));
  const duplicateEvery = Math.max(3, Math.floor(options.count / Math.max(1, Math.round(options.count * 0.03))));
  let invalid = 0;
  let duplicates = 0;
  refunds.forEach((refund, index) => {
    records.push(refund);
    if (index % invalidEvery === invalidEvery - 1) {
      const maker = invalidMakers[invalid % invalidMakers.length]!;
      records.push(maker({ ...refund, refundNo: `RFX${String(refund.refundNo).slice(2)}` }));
      invalid++;
    }
    if (index % duplicateEvery === duplicateEvery - 2 && index > 0) {
      const earlier = refunds[index - 1]!;
      records.push(duplicates % 2 === 0 ? structuredClone(earlier) : respelled(earlier));
      duplicates++;
    }
  });

  const updates: Record<string, unknown>[] = [];
  const changeCount = Math.max(2, Math.round(options.count * 0.03));
  let changedAmounts = 0;
  for (let n = 0; n < changeCount; n++) {
    const original = refunds[Math.floor((n * refunds.length) / changeCount)]!;
    const changed = structuredClone(original);
    changed.version = '2';
    changed.status = 'succeeded';
    changed.completedAt ??= iso(Date.parse(String(original.createdAt)) + 86_400_000);
    if (n % 3 === 0) {
      // The shop agreed a smaller refund: every line's actual amount drops to 80%.
      const lines = changed.lines as Record<string, string>[];
      for (const line of lines) {
        line.actualAmount = yuan(Math.floor(Math.round(Number(line.actualAmount) * 100) * 0.8));
      }
      changed.actualAmount = yuan(lines.reduce((sum, line) => sum + Math.round(Number(line.actualAmount) * 100), 0));
      changed.remark = '协商部分退款';
      changedAmounts++;
    } else {
      changed.remark = '退款完成';
    }
    updates.push(changed);
  }
  updates.push(structuredClone(refunds[refunds.length - 1]!));
  updates.push({ ...structuredClone(refunds[1]!), refundNo: 'RFX-BAD-UPDATE', status: 'done' });

  return {
    records,
    updates,
    expected: {
      refunds: refunds.length,
      invalid,
      duplicates,
      changed: changeCount,
      changedAmounts,
      updateInvalid: 1,
      updateDuplicates: 1,
    },
  };
}

/** The same refund with amounts as numbers and keys in another order: equal content, different spelling. */
function respelled(refund: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(refund);
  copy.requestedAmount = Number(copy.requestedAmount);
  copy.actualAmount = Number(copy.actualAmount);
  return Object.fromEntries(Object.entries(copy).reverse());
}
