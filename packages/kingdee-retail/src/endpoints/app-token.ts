import { defineEndpoint } from '@refundkit/transport';
import * as v from 'valibot';

/*
 * 获取 app-token (`GET /jdyconnector/app_management/kingdee_auth_token`): the account set's app-token, asked for with
 * `app_key` and `app_signature` in the signed query. The client calls it itself; it is not a client method.
 */

/** `expires`: epoch milliseconds, written by the gateway as a number or as digits. */
const expires = v.pipe(
  v.custom<number | string>(
    (value) =>
      (typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && /^\d{1,16}$/.test(value)),
    'must be epoch milliseconds',
  ),
  v.transform((value) => Number(value)),
);

/** The app-token call. */
export const appToken = defineEndpoint({
  name: 'GET /jdyconnector/app_management/kingdee_auth_token',
  title: '获取 app-token',
  request: v.strictObject({
    app_key: v.pipe(v.string(), v.minLength(1)),
    app_signature: v.pipe(v.string(), v.minLength(1)),
  }),
  response: v.looseObject({ 'app-token': v.pipe(v.string(), v.minLength(1)), expires }),
  resendSafe: true,
});
