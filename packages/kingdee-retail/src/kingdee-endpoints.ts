import { refundSave } from './endpoints/refund-save.js';

/**
 * Every Kingdee operation the client types, by the client method it becomes: `client.refundSave(body)` and
 * `client.call('POST /jdy/v2/ls/refundSave', body)` both come from `refundSave` here. Adding an operation is a file in
 * `endpoints/` and a line here.
 */
export const KINGDEE_ENDPOINTS = { refundSave } as const;
