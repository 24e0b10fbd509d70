import { rawRefundUpload } from './endpoints/raw-refund-upload.js';

/** The definitions every Wangdian client serves: the raw refund upload, which `uploadRawRefunds` builds on. */
export const WANGDIAN_CORE_ENDPOINTS = { rawRefundUpload } as const;

/**
 * The name of every operation this package defines, with the export of its definition: a client refuses a call to
 * one it was not given instead of sending it unchecked. Names only, so a client that uploads carries no query schema.
 */
export const WANGDIAN_DEFINED_METHODS: Readonly<Record<string, string>> = {
  'aftersales.refund.RawRefund.upload': 'rawRefundUpload',
  'aftersales.refund.RawRefund.upload2': 'rawRefundUpload2',
  'aftersales.refund.RawRefund.search': 'rawRefundSearch',
  'aftersales.refund.RawRefund.searchHistory': 'rawRefundSearchHistory',
  'aftersales.refund.Refund.search': 'refundSearch',
  'aftersales.refund.Refund.searchHistory': 'refundSearchHistory',
  'wms.stockin.Refund.queryWithDetail': 'stockinRefundQueryWithDetail',
  'wms.stockin.Refund.queryHisWithDetail': 'stockinRefundQueryHisWithDetail',
  'setting.Shop.queryShop': 'shopQueryShop',
};
