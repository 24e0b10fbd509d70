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
 * Every Wangdian operation the client types, by the client method it becomes: `client.rawRefundUpload(shopNo, rows)`
 * and `client.call('aftersales.refund.RawRefund.upload', shopNo, rows)` both come from `rawRefundUpload` here.
 * Adding an operation is a file in `endpoints/` and a line here.
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

/**
 * The field that identifies a row of each query's answer, so a walk yields every row once: `refund_id` for raw
 * refunds and 退换单, `stockin_id` for stock-ins, `shop_id` for shops.
 */
export const WANGDIAN_ROW_KEYS: Readonly<Record<string, string>> = {
  [rawRefundSearch.name]: 'refund_id',
  [rawRefundSearchHistory.name]: 'refund_id',
  [refundSearch.name]: 'refund_id',
  [refundSearchHistory.name]: 'refund_id',
  [stockinRefundQueryWithDetail.name]: 'stockin_id',
  [stockinRefundQueryHisWithDetail.name]: 'stockin_id',
  [shopQueryShop.name]: 'shop_id',
};
