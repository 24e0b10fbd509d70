export { kingdeeNonce } from './kingdee-nonce.js';
export type {
  KingdeeAppSignatureInput,
  KingdeeQuery,
  KingdeeRequestParts,
  KingdeeSignInput,
  KingdeeVerifyInput,
} from './kingdee-sign.js';
export {
  kingdeeAppSignature,
  kingdeeStringToSign,
  signKingdeeRequest,
  verifyKingdeeSignature,
} from './kingdee-sign.js';
export type { ParamValue } from './query-pairs.js';
export type { WangdianAppSecret } from './wangdian-app-secret.js';
export { parseWangdianAppSecret } from './wangdian-app-secret.js';
export type { WangdianParams, WangdianSignInput, WangdianVerifyInput } from './wangdian-sign.js';
export { verifyWangdianSign, wangdianSign } from './wangdian-sign.js';
export { wangdianTimestamp } from './wangdian-timestamp.js';
