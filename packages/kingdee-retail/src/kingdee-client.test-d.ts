import { describe, expectTypeOf, it } from 'vitest';
import { KINGDEE_ENDPOINTS, type KingdeeRetailBill, type KingdeeStore, retailBillList } from './endpoints/index.js';
import {
  createKingdeeRetailClient,
  InputValidationError,
  type KingdeeRefundSaveBody,
  type KingdeeRefundSaveData,
  type KingdeeRefundSaveResult,
  type KingdeeRetailSettings,
  RefundkitError,
  VendorApiError,
} from './index.js';

const maybe = (): string | undefined => undefined;

describe('kingdee-retail public types', () => {
  it('takes undefined for every optional setting under exactOptionalPropertyTypes', () => {
    const settings: KingdeeRetailSettings = {
      clientId: maybe(),
      clientSecret: maybe(),
      appKey: maybe(),
      appSecret: maybe(),
      domain: maybe(),
      outerInstanceId: maybe(),
      baseUrl: maybe(),
      timeout: undefined,
      retry: undefined,
      fetch: undefined,
      hooks: undefined,
      logger: undefined,
      rateLimiter: undefined,
      tokenStore: undefined,
      env: undefined,
    };
    expectTypeOf(createKingdeeRetailClient(settings).refundSave).toBeFunction();
    expectTypeOf(settings).toMatchTypeOf<KingdeeRetailSettings>();
  });

  it('types call() by operation name, and refundSave, from the definition', () => {
    const client = createKingdeeRetailClient();
    expectTypeOf(client.call<'POST /jdy/v2/ls/refundSave'>)
      .parameter(1)
      .toEqualTypeOf<KingdeeRefundSaveBody>();
    expectTypeOf(
      client.call('POST /jdy/v2/ls/refundSave', {} as KingdeeRefundSaveBody),
    ).resolves.toEqualTypeOf<KingdeeRefundSaveResult>();
    expectTypeOf(client.refundSave).returns.resolves.toEqualTypeOf<KingdeeRefundSaveResult>();
    expectTypeOf<KingdeeRefundSaveResult['data']>().toEqualTypeOf<KingdeeRefundSaveData>();
    expectTypeOf<KingdeeRefundSaveData['in_refund_no']>().toEqualTypeOf<string | null | undefined>();
    // @ts-expect-error: a name without a definition goes through request(), not call().
    client.call('GET /jdy/v2/bd/customer', {});
    // @ts-expect-error: refund_no is required.
    client.refundSave({ cmd: null });
    expectTypeOf(client.request({ method: 'GET', path: '/jdy/v2/bd/customer' })).resolves.toBeUnknown();
  });

  it('types only the operations a client serves: refundSave, and those given in endpoints', () => {
    const saves = createKingdeeRetailClient();
    // @ts-expect-error: a client not given retailBillList has no such method.
    saves.retailBillList;
    // @ts-expect-error: nor may call() name a defined operation it was not given.
    saves.call('GET /jdy/v2/ls/retail_bill', {});
    // @ts-expect-error: nor may pages() walk one.
    saves.pages('GET /jdy/v2/ls/store');
    const bills = createKingdeeRetailClient({ endpoints: { retailBillList } });
    expectTypeOf(bills.retailBillList).toBeFunction();
    expectTypeOf(bills.pages('GET /jdy/v2/ls/retail_bill')).toEqualTypeOf<AsyncIterable<KingdeeRetailBill>>();
    const all = createKingdeeRetailClient({ endpoints: KINGDEE_ENDPOINTS });
    expectTypeOf(all.pages('GET /jdy/v2/ls/store')).toEqualTypeOf<AsyncIterable<KingdeeStore>>();
    expectTypeOf(all.refundSave).returns.resolves.toEqualTypeOf<KingdeeRefundSaveResult>();
  });

  it('re-exports the error classes, whose guards narrow', () => {
    const error: unknown = undefined;
    if (VendorApiError.isInstance(error)) expectTypeOf(error.vendorCode).toBeString();
    if (InputValidationError.isInstance(error)) expectTypeOf(error.issues[0]?.path).toEqualTypeOf<string | undefined>();
    if (RefundkitError.isInstance(error)) {
      expectTypeOf(error.resendable).toBeBoolean();
      expectTypeOf(error.retryAfterMs).toEqualTypeOf<number | undefined>();
    }
  });
});
