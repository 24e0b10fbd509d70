import { refundSave } from './endpoints/refund-save.js';
import { retailBillDetail } from './endpoints/retail-bill-detail.js';
import { retailBillList } from './endpoints/retail-bill-list.js';
import { retailBillSave } from './endpoints/retail-bill-save.js';
import { storeList } from './endpoints/store-list.js';

/**
 * Every Kingdee operation this package defines, by the client method it becomes: `client.retailBillList(query)` and
 * `client.call('GET /jdy/v2/ls/retail_bill', query)` both come from `retailBillList` here. A client serves refundSave
 * always and the others it is given (`createKingdeeRetailClient({ ...settings, endpoints: KINGDEE_ENDPOINTS })` for
 * all of them). Adding an operation is a file in `endpoints/`, a line here and one in `kingdee-defined.ts`.
 */
export const KINGDEE_ENDPOINTS = { refundSave, retailBillList, retailBillDetail, retailBillSave, storeList } as const;
