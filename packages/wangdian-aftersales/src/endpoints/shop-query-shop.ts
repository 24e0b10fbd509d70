import { defineEndpoint } from '@refundkit/transport';
import * as v from 'valibot';
import { int, maybe, time } from '../wangdian-answer-fields.js';
import { intParam, opt, queryParams } from '../wangdian-query-params.js';
import { wangdianPaging } from '../wangdian-query-walk.js';
import { text } from '../wangdian-schemas.js';

/*
 * 店铺查询 (`setting.Shop.queryShop`): the shops the API account may use (its shop permission), all of them when no
 * shop number is given. No time window; paged from 0, at most 100 (the page names no limit). The rows are under
 * `details`, not `order`.
 */

export const shopQueryShop = defineEndpoint({
  name: 'setting.Shop.queryShop',
  title: '店铺查询',
  request: v.tuple([
    queryParams({ shop_no: opt(text(20)), platform_id: opt(intParam()) }, { pairs: [], maxSpanMs: 0, required: false }),
  ]),
  response: v.looseObject({
    total_count: maybe(int),
    details: v.nullish(
      v.array(
        v.looseObject({
          shop_id: int,
          shop_no: v.string(),
          shop_name: maybe(v.string()),
          platform_id: maybe(int),
          sub_platform_id: maybe(int),
          is_disabled: maybe(v.custom<boolean | number>((x) => typeof x === 'boolean' || typeof x === 'number')),
          auth_state: maybe(int),
          modified: maybe(time),
          created: maybe(time),
        }),
      ),
      [],
    ),
  }),
  paging: wangdianPaging(100, 'shop_id', 'details'),
  resendSafe: true,
});
