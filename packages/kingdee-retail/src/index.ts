export {
  createKingdeeRetailClient,
  type KingdeeQueryInput,
  type KingdeeRequest,
  type KingdeeRetailClient,
} from './kingdee-client.js';
export { kingdeeErrorCode, readKingdeeAnswer } from './kingdee-errors.js';
export { type KingdeeRefundSaveOptions, toKingdeeRefundSave } from './kingdee-refund-mapping.js';
export {
  type KingdeeRefundSaveBody,
  type KingdeeRefundSaveData,
  kingdeeRefundSaveBodySchema,
  kingdeeRefundSaveDataSchema,
  parseKingdeeRefundSaveBody,
  safeParseKingdeeRefundSaveBody,
} from './kingdee-refund-save.js';
export { KINGDEE_ENV, type KingdeeAppCredentials, type KingdeeRetailSettings } from './kingdee-settings.js';
export { createMemoryTokenStore, type KingdeeAppToken, type KingdeeTokenStore } from './kingdee-token-store.js';
export { USER_AGENT, VERSION } from './version.js';
