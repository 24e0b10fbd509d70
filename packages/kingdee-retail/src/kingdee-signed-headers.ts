import { kingdeeNonce } from '@refundkit/signing';
import { signCheckedKingdeeRequest } from '@refundkit/signing/internal';

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
  // The parts are the client's own: checked settings, a method and path its request check passed, text pairs.
  const signature = signCheckedKingdeeRequest(
    input.clientSecret,
    input.method,
    input.path,
    input.query,
    nonce,
    timestamp,
  );
  // Names in lower case, as they go on the wire: the transport merges them with its own without new strings.
  return {
    'content-type': 'application/json',
    'x-api-clientid': input.clientId,
    'x-api-auth-version': '2.0',
    'x-api-timestamp': timestamp,
    'x-api-nonce': nonce,
    'x-api-signheaders': 'X-Api-TimeStamp,X-Api-Nonce',
    'x-api-signature': signature,
  };
}
