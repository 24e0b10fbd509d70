// Unchecked cores of the public signing functions, for the vendor clients only. A client checks its settings once,
// at creation, and builds every other signed part itself, so re-checking them on every request would only cost time
// and bundle bytes. Each core signs exactly as its public function does for the same parts; the public functions
// are these cores behind their argument checks. Not part of the semver surface.
export { checkedKingdeeAppSignature, signCheckedKingdeeRequest } from './kingdee-sign.js';
export { splitWangdianAppSecret } from './wangdian-app-secret.js';
export { signCheckedWangdianRequest } from './wangdian-sign.js';
export { checkedWangdianTimestamp } from './wangdian-timestamp.js';
