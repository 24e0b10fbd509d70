import { defineEndpoint } from '@refundkit/transport';
import * as v from 'valibot';
import { kingdeeText } from '../kingdee-schemas.js';

/*
 * 获取授权信息 (`POST /jdyconnector/app_management/push_app_authorize`): the account sets an authorization's outer
 * instance id grants, each with its appKey, appSecret and IDC domain. The client calls it itself when it is given an
 * outerInstanceId, and again after the vendor reports that the app secret rotated.
 */

/** The authorization call. */
export const pushAppAuthorize = defineEndpoint({
  name: 'POST /jdyconnector/app_management/push_app_authorize',
  title: '获取授权信息',
  request: v.strictObject({ outerInstanceId: v.pipe(v.string(), v.minLength(1)) }),
  response: v.array(
    v.looseObject({
      appKey: v.nullish(v.string()),
      appSecret: v.nullish(v.string()),
      domain: v.nullish(v.string()),
      /** 1 for an authorization in force. */
      status: v.nullish(kingdeeText),
    }),
  ),
  resendSafe: true,
});
