import { startWangdianSandbox, type WangdianSandbox } from '@refundkit/sandbox';
import { wangdianSign, wangdianTimestamp } from '@refundkit/signing';
import { InputValidationError } from '@refundkit/transport';
import { checkEndpointInput } from '@refundkit/transport/internal';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WANGDIAN_ENDPOINTS } from './wangdian-endpoints.js';
import { wangdianTime } from './wangdian-query-params.js';
import { makeRow } from './wangdian-test-fixtures.js';

/*
 * The client's endpoint definitions and the sandbox's own tables are two readings of the same vendor pages. Here
 * generated requests are held against both: what one accepts the other accepts, and where both refuse, the field the
 * sandbox names is among the fields the client names. Requests go to the sandbox unchecked (signed by hand), so the
 * sandbox judges exactly what the client would have refused.
 */

const RUNS = 150 * Number(process.env.FUZZ_RUNS_MULTIPLIER ?? 1);
const NOW = Date.UTC(2024, 5, 1, 2, 0, 0);
const DAY = 86_400_000;

let wd: WangdianSandbox;
beforeAll(async () => {
  wd = await startWangdianSandbox({ now: () => NOW });
});
afterAll(async () => {
  await wd.close();
});

/** Sends `args` to the sandbox as they are, signed, with a first page; answers the sandbox's `{ status, message }`. */
async function sandboxVerdict(method: string, args: unknown[], paged: boolean) {
  const [secret, salt] = wd.credentials.appSecret.split(':') as [string, string];
  const body = JSON.stringify(args);
  const params: [string, string][] = [
    ['sid', wd.credentials.sid],
    ['key', wd.credentials.appKey],
    ['salt', salt],
    ['method', method],
    ['timestamp', String(wangdianTimestamp(NOW))],
    ['v', '1.0'],
    ...(paged
      ? ([
          ['page_size', '10'],
          ['page_no', '0'],
          ['calc_total', '1'],
        ] as [string, string][])
      : []),
  ];
  const sign = wangdianSign({ secret, params, body });
  const query = new URLSearchParams([...params, ['sign', sign]]);
  const response = await fetch(`${wd.url}/openapi?${query}`, { method: 'POST', body });
  return (await response.json()) as { status: number; message?: string };
}

/** The client's verdict: accepted, or the fields its issues name (under `args`). */
function clientVerdict(definition: (typeof WANGDIAN_ENDPOINTS)[keyof typeof WANGDIAN_ENDPOINTS], args: unknown[]) {
  try {
    checkEndpointInput(definition, args, 'generated', 'args');
    return { accepted: true as const, fields: [] as string[] };
  } catch (error) {
    if (!InputValidationError.isInstance(error)) throw error;
    return { accepted: false as const, fields: error.issues.map((issue) => issue.path) };
  }
}

/** The field a sandbox refusal names, if any: `params.x`, `order_list[i].x`, a status-2 name, an unparseable date. */
function namedField(answer: { status: number; message?: string }): string | undefined {
  const message = answer.message ?? '';
  if (answer.status === 2) return message;
  const match = /(?:params\.|order_list\[\d+\]\.)([a-z_]+)/.exec(message);
  return match?.[1];
}

const text = (max: number) =>
  fc.oneof(
    fc.string({ maxLength: max, unit: 'grapheme-ascii' }),
    fc.string({ minLength: max - 2, maxLength: max + 2, unit: fc.constantFrom('a', '退', '😀') }),
  );
const anyInt = fc.oneof(fc.integer({ min: -3, max: 130 }), fc.constantFrom(1.5, 123456789012, -0));
const intLike = fc.oneof(anyInt, anyInt.map(String), fc.constantFrom('x', '', '1.0'));
const boolLike = fc.oneof(fc.boolean(), fc.constantFrom(0, 1, 'true'));
const wrongType = fc.constantFrom(7, true, [], {}, 'text');
const time = fc.oneof(
  fc.integer({ min: -40 * DAY, max: 40 * DAY }).map((offset) => wangdianTime(NOW + offset)),
  fc.constantFrom('2024/06/01 00:00:00', '2024-02-30 10:00:00', '2024-06-01', ''),
);

/** A generator of one params field's value, by the kind of field. */
function fieldValue(kind: 'text20' | 'text40' | 'text255' | 'int' | 'bool' | 'time' | 'status') {
  const value =
    kind === 'int'
      ? intLike
      : kind === 'bool'
        ? boolLike
        : kind === 'time'
          ? time
          : kind === 'status'
            ? fc.oneof(fc.constantFrom('10', '90', '30,80', '10,90', 'a,b', '99', ''), text(6))
            : text(kind === 'text20' ? 20 : kind === 'text40' ? 40 : 255);
  return fc.oneof(
    { weight: 8, arbitrary: value },
    { weight: 1, arbitrary: wrongType },
    { weight: 1, arbitrary: fc.constant(null) },
  );
}

type Kinds = Record<string, Parameters<typeof fieldValue>[0]>;

const QUERY_FIELDS: Record<string, Kinds> = {
  'aftersales.refund.RawRefund.search': {
    start_time: 'time',
    end_time: 'time',
    time_type: 'int',
    refund_no: 'text40',
    logistics_no: 'text40',
    platform_id: 'int',
    shop_no: 'text40',
    tid: 'text40',
    oid: 'text40',
    detail_mask: 'int',
    filter_detail: 'int',
  },
  'aftersales.refund.RawRefund.searchHistory': {
    start_time: 'time',
    end_time: 'time',
    time_type: 'int',
    refund_no: 'text40',
    platform_id: 'int',
    tid: 'text40',
    logistics_no: 'text40',
  },
  'aftersales.refund.Refund.search': {
    modified_from: 'time',
    modified_to: 'time',
    settle_from: 'time',
    settle_to: 'time',
    status: 'int',
    type: 'int',
    order_type: 'int',
    fuzzy_query: 'bool',
    shop_nos: 'text255',
    refund_no: 'text40',
    raw_refund_nos: 'text255',
  },
  'aftersales.refund.Refund.searchHistory': {
    start_time: 'time',
    end_time: 'time',
    shop_no: 'text20',
    refund_no: 'text40',
    type: 'int',
    status: 'status',
  },
  'wms.stockin.Refund.queryWithDetail': {
    start_time: 'time',
    end_time: 'time',
    time_type: 'int',
    stockin_no: 'text20',
    status: 'status',
    need_summary: 'bool',
    refund_no: 'text40',
  },
  'wms.stockin.Refund.queryHisWithDetail': { start_time: 'time', end_time: 'time', need_sn: 'bool', status: 'status' },
  'setting.Shop.queryShop': { shop_no: 'text20', platform_id: 'int' },
};

const definitionOf = (method: string) => {
  const found = Object.values(WANGDIAN_ENDPOINTS).find((definition) => definition.name === method);
  if (!found) throw new Error(`no definition of ${method}`);
  return found;
};

/** Params with a random subset of the method's fields (plus, sometimes, a field it does not take). */
function paramsFor(kinds: Kinds) {
  const entries = Object.fromEntries(Object.entries(kinds).map(([name, kind]) => [name, fieldValue(kind)]));
  return fc
    .tuple(
      fc.record(entries, { requiredKeys: [] }),
      fc.option(fc.constantFrom('unknown_field', 'page_size', 'modified'), { freq: 6 }),
    )
    .map(([params, extra]) => (extra === null ? params : { ...params, [extra]: 'x' }));
}

/**
 * Refusals that come after the request's rules passed: the sandbox looked the shop or warehouse up and does not
 * hold it. The client cannot know the account's shops, so these count as the rules agreeing.
 */
const LOOKUPS = new Set(['店铺编号不存在或已停用', '店铺权限不足', '传入店铺编号全部错误', '仓库不存在']);

/** Holds one request against both readings. */
async function agree(method: string, args: unknown[], paged: boolean) {
  const client = clientVerdict(definitionOf(method), args);
  const sandbox = await sandboxVerdict(method, args, paged);
  const context = `${method} ${JSON.stringify(args)} → sandbox ${JSON.stringify(sandbox)}, client ${JSON.stringify(client)}`;
  const passed = sandbox.status === 0 || (sandbox.status === 100 && LOOKUPS.has(sandbox.message ?? ''));
  expect(passed, context).toBe(client.accepted);
  const field = namedField(sandbox);
  if (!client.accepted && field !== undefined) {
    expect(
      client.fields.some((path) => path.endsWith(`.${field}`) || path.endsWith(`]${field}`)),
      context,
    ).toBe(true);
  }
}

describe('the client’s definitions and the sandbox’s tables agree', () => {
  for (const [method, kinds] of Object.entries(QUERY_FIELDS)) {
    it(`on generated ${method} params`, async () => {
      await fc.assert(
        fc.asyncProperty(paramsFor(kinds), (params) => agree(method, [params], true)),
        {
          numRuns: RUNS,
        },
      );
    });
  }

  it('on generated upload and upload2 rows', async () => {
    const decimal = fc.oneof(
      fc.constantFrom(
        0,
        1,
        12.5,
        '12.34',
        '0.0001',
        '999999999999999.9999',
        '1000000000000000',
        '1.23456',
        '-1',
        '1e3',
        '+1',
        'x',
      ),
      fc.double({ min: 0, max: 1e6, noNaN: true }),
    );
    const row = fc.record(
      {
        num: decimal,
        type: fc.oneof(fc.integer({ min: -1, max: 5 }), fc.constant('1')),
        status: fc.integer({ min: 0, max: 6 }),
        refund_version: text(40),
        refund_amount: decimal,
        title: text(255),
        buyer_nick: text(100),
        refund_time: fc.oneof(time, fc.constant('')),
        is_aftersale: fc.oneof(fc.integer({ min: 0, max: 2 }), fc.constant(true)),
        pay_no: text(60),
        modify_flag: fc.integer({ min: -1, max: 9 }),
        extra_field: fc.constant('x'),
      },
      { requiredKeys: [] },
    );
    let seq = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 3 }), fc.boolean(), async (changes, second) => {
        const rows = changes.map((change) => {
          seq += 1;
          const base = makeRow(`G${seq}`);
          const merged: Record<string, unknown> = { ...base, ...change };
          if (!second) delete merged.modify_flag;
          return merged;
        });
        const method = second ? 'aftersales.refund.RawRefund.upload2' : 'aftersales.refund.RawRefund.upload';
        await agree(method, ['LCJ', rows], false);
      }),
      { numRuns: RUNS },
    );
  });
});
