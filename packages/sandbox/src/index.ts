export type { ActiveFault, SandboxFault, SandboxFaultKind } from './faults.js';
export type { KingdeeRefundSaveBody, KingdeeRefundSaveData } from './kingdee-refund-save.js';
export {
  KINGDEE_APP_SECRET_INVALID,
  KINGDEE_INVALID_BODY,
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
