import type { Decimal } from '@refundkit/refund-model';
import { describe, expectTypeOf, it } from 'vitest';
import { rawRefundSearch, WANGDIAN_ENDPOINTS } from './endpoints/index.js';
import {
  createWangdianClient,
  UploadIncompleteError,
  type ValidatedWangdianRawRefundRow,
  type WangdianApiError,
  WangdianApiError as WangdianApiErrorClass,
  type WangdianClientSettings,
  type WangdianRawRefundRow,
  type WangdianRowOf,
  walkWangdianPages,
} from './index.js';

describe('wangdian-aftersales public types', () => {
  it('takes undefined for every optional setting under exactOptionalPropertyTypes', () => {
    const maybe = (): string | undefined => undefined;
    const settings: WangdianClientSettings = {
      sid: maybe(),
      appKey: maybe(),
      appSecret: maybe(),
      baseUrl: maybe(),
      timeout: undefined,
      retry: undefined,
      maxBatch: undefined,
      rateLimitBackoffMs: undefined,
      rateLimiter: undefined,
      clock: undefined,
      env: undefined,
    };
    expectTypeOf(settings).toMatchTypeOf<WangdianClientSettings>();
  });

  it('types call() by method name and the derived method from the definition', () => {
    const client = createWangdianClient();
    const rows: WangdianRawRefundRow[] = [];
    expectTypeOf(client.call('aftersales.refund.RawRefund.upload', 'LCJ', rows)).resolves.toMatchTypeOf<{
      new_count: number;
      chg_count: number;
    }>();
    expectTypeOf(client.rawRefundUpload).parameters.toEqualTypeOf<[string, WangdianRawRefundRow[]]>();
    // @ts-expect-error: the upload takes the shop number and the rows.
    client.call('aftersales.refund.RawRefund.upload', 'LCJ');
    // @ts-expect-error: a name outside the vendor's method list goes through request().
    client.call('some.unlisted.Method', {});
    expectTypeOf(client.request({ method: 'aftersales.refund.Refund.search', args: [{}] })).resolves.toBeUnknown();
  });

  it('types only the operations a client serves: the uploads, and those given in endpoints', () => {
    const uploads = createWangdianClient();
    // @ts-expect-error: a client not given rawRefundSearch has no such method.
    uploads.rawRefundSearch;
    // @ts-expect-error: nor may call() send a defined operation it was not given, unchecked.
    uploads.call('aftersales.refund.RawRefund.search', {});
    expectTypeOf(uploads.call('sales.LogisticsSync.update', {})).resolves.toBeUnknown();
    const queries = createWangdianClient({ endpoints: { rawRefundSearch } });
    expectTypeOf(queries.rawRefundSearch).toBeFunction();
    expectTypeOf(queries.call('aftersales.refund.RawRefund.search', { refund_no: 'R1' })).resolves.toMatchTypeOf<{
      order: readonly { refund_no: string }[];
    }>();
    const all = createWangdianClient({ endpoints: WANGDIAN_ENDPOINTS });
    expectTypeOf(all.shopQueryShop).toBeFunction();
    for (const _ of [all.pages('setting.Shop.queryShop', {})]) {
      expectTypeOf(_).toEqualTypeOf<AsyncIterable<WangdianRowOf<'setting.Shop.queryShop'>>>();
    }
    // @ts-expect-error: pages() walks only a defined query the client serves; any other method takes walkWangdianPages().
    all.pages('sales.RawTrade.search', {});
    expectTypeOf(walkWangdianPages(uploads, 'sales.RawTrade.search', {})).toEqualTypeOf<AsyncIterable<unknown>>();
    expectTypeOf(
      walkWangdianPages<{ tid: string }>(all, 'sales.RawTrade.search', {}, { startPage: 1, rows: () => [] }),
    ).toEqualTypeOf<AsyncIterable<{ tid: string }>>();
  });

  it('infers rows from the row schema: Decimal in and out, times as text out', () => {
    expectTypeOf<WangdianRawRefundRow['num']>().toEqualTypeOf<string | number | Decimal>();
    expectTypeOf<ValidatedWangdianRawRefundRow['num']>().toEqualTypeOf<Decimal>();
    expectTypeOf<WangdianRawRefundRow['type']>().toEqualTypeOf<0 | 1 | 2 | 3 | 4>();
    expectTypeOf<ValidatedWangdianRawRefundRow['refund_time']>().toEqualTypeOf<string | undefined>();
  });

  it('re-exports the error classes, whose guards narrow', () => {
    const error: unknown = undefined;
    if (WangdianApiErrorClass.isInstance(error)) expectTypeOf(error).toEqualTypeOf<WangdianApiError>();
    if (UploadIncompleteError.isInstance(error))
      expectTypeOf(error.notUploadedRefundNos).toEqualTypeOf<readonly string[]>();
  });
});
