import { refundSave } from './endpoints/refund-save.js';

/** The definitions every Kingdee client serves: the refund save, the operation this package exists for. */
export const KINGDEE_CORE_ENDPOINTS = { refundSave } as const;

/**
 * The name of every operation this package defines, with the export of its definition: a client refuses a call to
 * one it was not given instead of sending it unchecked. Names only, so a client that saves refunds carries no other
 * schema.
 */
export const KINGDEE_DEFINED_OPERATIONS: Readonly<Record<string, string>> = {
  'POST /jdy/v2/ls/refundSave': 'refundSave',
  'GET /jdy/v2/ls/retail_bill': 'retailBillList',
  'GET /jdy/v2/ls/retail_bill_detail': 'retailBillDetail',
  'POST /jdy/v2/ls/retail_bill': 'retailBillSave',
  'GET /jdy/v2/ls/store': 'storeList',
};
