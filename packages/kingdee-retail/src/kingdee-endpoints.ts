import { refundSave } from './endpoints/refund-save.js';
import { retailBillDetail } from './endpoints/retail-bill-detail.js';
import { retailBillList } from './endpoints/retail-bill-list.js';
import { retailBillSave } from './endpoints/retail-bill-save.js';
import { storeList } from './endpoints/store-list.js';

/**
 * Every Kingdee operation the client types, by the client method it becomes: `client.refundSave(body)` and
 * `client.call('POST /jdy/v2/ls/refundSave', body)` both come from `refundSave` here. Adding an operation is a file in
 * `endpoints/` and a line here.
 */
export const KINGDEE_ENDPOINTS = { refundSave, retailBillList, retailBillDetail, retailBillSave, storeList } as const;
