import { kingdeeNonce, signKingdeeRequest } from '@refundkit/signing';

/** What one signed Kingdee attempt needs. */
export interface KingdeeSignedHeadersInput {
  clientId: string;
  clientSecret: string;
  method: string;
  path: string;
  query: ReadonlyArray<readonly [string, string]>;
  /** The corrected time of this attempt, epoch ms. */
  now: number;
}

/**
 * The gateway headers of one attempt: client id, auth version, a fresh nonce, the timestamp in milliseconds, the
 * fixed sign-headers list and the signature over method, path, query, nonce and timestamp. Called before every
 * attempt, so a retry never reuses a nonce or a stale timestamp.
 */
export function kingdeeSignedHeaders(input: KingdeeSignedHeadersInput): Record<string, string> {
  const nonce = kingdeeNonce();
  const timestamp = String(Math.trunc(input.now));
  const signature = signKingdeeRequest({
    clientSecret: input.clientSecret,
    method: input.method,
    path: input.path,
    query: input.query as Iterable<[string, string]>,
    nonce,
    timestamp,
  });
  return {
    'Content-Type': 'application/json',
    'X-Api-ClientID': input.clientId,
    'X-Api-Auth-Version': '2.0',
    'X-Api-TimeStamp': timestamp,
    'X-Api-Nonce': nonce,
    'X-Api-SignHeaders': 'X-Api-TimeStamp,X-Api-Nonce',
    'X-Api-Signature': signature,
  };
}
