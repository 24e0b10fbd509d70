import { rawRefundSearch } from './endpoints/raw-refund-search.js';
import { rawRefundSearchHistory } from './endpoints/raw-refund-search-history.js';
import { rawRefundUpload } from './endpoints/raw-refund-upload.js';
import { rawRefundUpload2 } from './endpoints/raw-refund-upload2.js';
import { refundSearch } from './endpoints/refund-search.js';
import { refundSearchHistory } from './endpoints/refund-search-history.js';
import { shopQueryShop } from './endpoints/shop-query-shop.js';
import { stockinRefundQueryHisWithDetail } from './endpoints/stockin-refund-query-his-with-detail.js';
import { stockinRefundQueryWithDetail } from './endpoints/stockin-refund-query-with-detail.js';

/**
 * Every Wangdian operation this package defines, by the client method it becomes: `client.refundSearch(params)` and
 * `client.call('aftersales.refund.Refund.search', params)` both come from `refundSearch` here. A client serves the
 * uploads always and the others it is given (`createWangdianClient({ ...settings, endpoints: WANGDIAN_ENDPOINTS })`
 * for all of them). Adding an operation is a file in `endpoints/`, a line here and one in `wangdian-defined.ts`.
 */
export const WANGDIAN_ENDPOINTS = {
  rawRefundUpload,
  rawRefundUpload2,
  rawRefundSearch,
  rawRefundSearchHistory,
  refundSearch,
  refundSearchHistory,
  stockinRefundQueryWithDetail,
  stockinRefundQueryHisWithDetail,
  shopQueryShop,
} as const;
