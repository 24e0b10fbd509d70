import { describe, expectTypeOf, it } from 'vitest';
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
    expectTypeOf(createKingdeeRetailClient).parameter(0).toEqualTypeOf<KingdeeRetailSettings | undefined>();
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
