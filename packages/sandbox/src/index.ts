export type { ActiveFault, SandboxFault, SandboxFaultKind } from './faults.js';
export type { KingdeeRequestRate } from './kingdee-rate-meter.js';
export type {
  KingdeeRefundOutcome,
  KingdeeRefundOutcomeInput,
  KingdeeRefundSaveBody,
  KingdeeRefundSaveData,
} from './kingdee-refund-save.js';
export {
  checkKingdeeRequest,
  type KingdeeCheckedRoute,
  type KingdeeRequestVerdict,
} from './kingdee-request-check.js';
export type { KingdeeRetailBillBody, KingdeeStoredRetailBill } from './kingdee-retail-bill.js';
export {
  KINGDEE_APP_SECRET_INVALID,
  KINGDEE_INVALID_BODY,
  KINGDEE_NOT_FOUND,
  KINGDEE_REFUND_CONFLICT,
  type KingdeeFault,
  type KingdeeFaultKind,
  type KingdeeRoute,
  type KingdeeSandbox,
  type KingdeeSandboxCounters,
  type KingdeeSandboxCredentials,
  type KingdeeSandboxOptions,
  type KingdeeStoredRefund,
  startKingdeeSandbox,
} from './kingdee-sandbox.js';
export type { KingdeeStoreInput, KingdeeStoreRow } from './kingdee-store.js';
export type { Sandbox, SandboxBaseCounters, SandboxLogEntry, SandboxOptions } from './sandbox-server.js';
export type {
  WangdianErp,
  WangdianErpOptions,
  WangdianRefundOrder,
  WangdianStockin,
} from './wangdian-erp.js';
export type { WangdianShop } from './wangdian-query-answers.js';
export type { WangdianRawRefundRow } from './wangdian-raw-refund.js';
export {
  startWangdianSandbox,
  WANGDIAN_RATE_LIMIT_MESSAGE,
  type WangdianFault,
  type WangdianFaultKind,
  type WangdianMethod,
  type WangdianSandbox,
  type WangdianSandboxCounters,
  type WangdianSandboxCredentials,
  type WangdianSandboxOptions,
  type WangdianStoredRefund,
  wangdianRefundKey,
} from './wangdian-sandbox.js';
