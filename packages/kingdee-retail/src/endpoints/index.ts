// `@refundkit/kingdee-retail/endpoints`: the definitions of the operations a client serves when it is given them
// (`createKingdeeRetailClient({ ...settings, endpoints: { retailBillList } })`), apart from refundSave, which every
// client serves and the package root exports. Kept off the root so a program that only saves refunds never loads them.
export { KINGDEE_ENDPOINTS } from '../kingdee-endpoints.js';
export {
  type KingdeeRetailBillDetail,
  type KingdeeRetailBillDetailQuery,
  retailBillDetail,
} from './retail-bill-detail.js';
export { type KingdeeRetailBill, type KingdeeRetailBillListQuery, retailBillList } from './retail-bill-list.js';
export { type KingdeeRetailBillSaveBody, type KingdeeRetailBillSaveData, retailBillSave } from './retail-bill-save.js';
export { type KingdeeStore, type KingdeeStoreListQuery, storeList } from './store-list.js';
