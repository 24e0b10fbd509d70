// `@refundkit/wangdian-aftersales/endpoints`: the definitions of the operations a client serves when it is given
// them (`createWangdianClient({ ...settings, endpoints: { refundSearch } })`), apart from the upload, which every
// client serves and the package root exports. Kept off the root so a program that only uploads never loads them.

export { WANGDIAN_ENDPOINTS } from '../wangdian-endpoints.js';
export { rawRefundSearch } from './raw-refund-search.js';
export { rawRefundSearchHistory } from './raw-refund-search-history.js';
export { MODIFY_FLAGS, rawRefundUpload2, type WangdianRawRefundRow2 } from './raw-refund-upload2.js';
export { REFUND_ORDER_STATUSES, REFUND_STOCKIN_STATUSES, refundSearch } from './refund-search.js';
export { refundSearchHistory } from './refund-search-history.js';
export { shopQueryShop } from './shop-query-shop.js';
export { stockinRefundQueryHisWithDetail } from './stockin-refund-query-his-with-detail.js';
export { STOCKIN_STATUSES, stockinRefundQueryWithDetail } from './stockin-refund-query-with-detail.js';
