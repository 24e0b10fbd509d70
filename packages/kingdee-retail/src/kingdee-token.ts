import { kingdeeAppSignature } from '@refundkit/signing';
import {
  isRefundkitError,
  type LogSink,
  RefundkitError,
  ResponseError,
  type Transport,
  TransportError,
  type TransportResponse,
  type VendorApiError,
} from '@refundkit/transport';
import { APP_SECRET_REJECTED_CODE, isRecord, readKingdeeAnswer } from './kingdee-errors.js';
import { isKingdeeDomain, type KingdeeAppCredentials, type ResolvedKingdeeSettings } from './kingdee-settings.js';
import { kingdeeSignedHeaders } from './kingdee-signed-headers.js';
import { type KingdeeAppToken, type KingdeeTokenStore, kingdeeTokenKey } from './kingdee-token-store.js';

/** A token with the account-set credentials it was obtained with and when to stop using it. */
export interface HeldToken {
  token: KingdeeAppToken;
  app: KingdeeAppCredentials;
  /** Server time (epoch ms) from which a new token is fetched instead. */
  refreshAt: number;
}

/** The app-token lifecycle of one client. */
export interface KingdeeTokenManager {
  /** A usable token: the cached one, or one fetched (once, however many callers wait). */
  get(signal: AbortSignal | undefined, endpoint: string): Promise<HeldToken>;
  /** Forgets a token the gateway rejected; after 1030002006 the credentials are fetched again too. */
  invalidate(held: HeldToken, vendorCode: string): void;
}

/** How long before `expires` a token is replaced: a minute, or a tenth of its life when that is shorter. */
const REFRESH_MARGIN_MS = 60_000;
/** How many rejected tokens are remembered, so a store still holding one is not trusted again. */
const REJECTED_MEMORY = 32;

const AUTHORIZE_PATH = '/jdyconnector/app_management/push_app_authorize';
const TOKEN_PATH = '/jdyconnector/app_management/kingdee_auth_token';

function isToken(value: unknown): value is KingdeeAppToken {
  return (
    isRecord(value) &&
    typeof value.appToken === 'string' &&
    value.appToken !== '' &&
    typeof value.expires === 'number' &&
    Number.isFinite(value.expires)
  );
}

/** Waits for a shared promise, but lets one caller stop waiting when its own signal aborts. */
function waitFor<T>(promise: Promise<T>, signal: AbortSignal | undefined, endpoint: string): Promise<T> {
  if (!signal) return promise;
  const aborted = () =>
    new TransportError(`kingdee ${endpoint} was aborted while waiting for an app-token`, {
      code: 'ABORTED',
      endpoint,
      cause: signal.reason,
    });
  if (signal.aborted) return Promise.reject(aborted());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(aborted());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * Creates the app-token lifecycle of a client: the token is obtained with app_signature, kept in the token store and
 * in memory until shortly before `expires`, fetched by one request however many calls wait for it, and replaced
 * when the gateway rejects it. When the credentials come from (or can be refreshed through) `outerInstanceId`,
 * push_app_authorize is run first, and again after the vendor reports the secret failed (1030002006).
 */
export function createKingdeeTokenManager(deps: {
  transport: Transport;
  settings: ResolvedKingdeeSettings;
  store: KingdeeTokenStore;
  log: LogSink | undefined;
}): KingdeeTokenManager {
  const { transport, settings, store, log } = deps;
  const { clientId, clientSecret, outerInstanceId } = settings;
  let app: KingdeeAppCredentials | undefined = settings.app;
  let appStale = false;
  let current: HeldToken | undefined;
  let inflight: Promise<HeldToken> | undefined;
  const rejected = new Set<string>();

  const signedSend = <T>(
    method: 'GET' | 'POST',
    path: string,
    query: ReadonlyArray<readonly [string, string]>,
    body: string | undefined,
    read: (data: unknown, response: TransportResponse) => T,
  ): Promise<T> => {
    const endpoint = `${method} ${path}`;
    return transport.send({
      method,
      path,
      endpoint,
      body,
      prepare: (now) => ({
        query,
        headers: kingdeeSignedHeaders({ clientId, clientSecret, method, path, query, now }),
      }),
      interpret: (response) => read(readKingdeeAnswer(endpoint, response), response),
    });
  };

  const authorize = async (): Promise<KingdeeAppCredentials> => {
    const id = outerInstanceId as string;
    const endpoint = `POST ${AUTHORIZE_PATH}`;
    return signedSend('POST', AUTHORIZE_PATH, [['outerInstanceId', id]], '{}', (data, response) => {
      const list = Array.isArray(data) ? data.filter(isRecord) : [];
      const chosen = list.find((entry) => String(entry.status) === '1') ?? list[0];
      if (!chosen) {
        throw new RefundkitError(
          `kingdee ${endpoint} returned no authorization for the configured outerInstanceId; check the setting or KINGDEE_OUTER_INSTANCE_ID`,
          { code: 'AUTHENTICATION' },
        );
      }
      const { appKey, appSecret, domain } = chosen;
      if (
        typeof appKey !== 'string' ||
        appKey === '' ||
        typeof appSecret !== 'string' ||
        appSecret === '' ||
        typeof domain !== 'string' ||
        !isKingdeeDomain(domain)
      ) {
        throw new ResponseError(`kingdee ${endpoint}: the authorization lacks appKey, appSecret or domain`, {
          status: response.status,
          endpoint,
        });
      }
      log?.('info', 'refundkit kingdee authorization fetched', { endpoint });
      return { appKey, appSecret, domain };
    });
  };

  const fetchToken = (credentials: KingdeeAppCredentials): Promise<KingdeeAppToken> => {
    const endpoint = `GET ${TOKEN_PATH}`;
    const query: Array<[string, string]> = [
      ['app_key', credentials.appKey],
      ['app_signature', kingdeeAppSignature({ appKey: credentials.appKey, appSecret: credentials.appSecret })],
    ];
    return signedSend('GET', TOKEN_PATH, query, undefined, (data, response) => {
      const token = isRecord(data) ? data['app-token'] : undefined;
      const rawExpires = isRecord(data) ? data.expires : undefined;
      const expires = typeof rawExpires === 'string' && /^\d+$/.test(rawExpires) ? Number(rawExpires) : rawExpires;
      if (typeof token !== 'string' || token === '' || typeof expires !== 'number' || !Number.isFinite(expires)) {
        throw new ResponseError(`kingdee ${endpoint}: the answer lacks app-token or expires`, {
          status: response.status,
          endpoint,
        });
      }
      return { appToken: token, expires };
    });
  };

  const credentials = async (): Promise<KingdeeAppCredentials> => {
    if (app && !appStale) return app;
    // Settings hold either app credentials or an outerInstanceId, and only credentials an outerInstanceId can
    // renew are ever marked stale: so there is an outerInstanceId to (re-)authorize with here.
    app = await authorize();
    appStale = false;
    return app;
  };

  const hold = (token: KingdeeAppToken, credentialsUsed: KingdeeAppCredentials): HeldToken => {
    const remaining = token.expires - transport.clock.now();
    return {
      token,
      app: credentialsUsed,
      refreshAt: token.expires - Math.min(REFRESH_MARGIN_MS, Math.max(remaining, 0) / 10),
    };
  };

  const storeGet = async (key: string): Promise<KingdeeAppToken | undefined> => {
    try {
      const stored = await store.get(key);
      return isToken(stored) ? { appToken: stored.appToken, expires: stored.expires } : undefined;
    } catch (error) {
      log?.('warn', 'refundkit kingdee token store get failed', { name: (error as Error)?.name });
      return undefined;
    }
  };

  const storeSet = async (key: string, token: KingdeeAppToken): Promise<void> => {
    try {
      await store.set(key, { ...token });
    } catch (error) {
      log?.('warn', 'refundkit kingdee token store set failed', { name: (error as Error)?.name });
    }
  };

  const isSecretRejected = (error: unknown): boolean =>
    isRefundkitError(error) && (error as Partial<VendorApiError>).vendorCode === APP_SECRET_REJECTED_CODE;

  const obtain = async (): Promise<HeldToken> => {
    let used = await credentials();
    const stored = await storeGet(kingdeeTokenKey(clientId, used.appKey));
    if (stored && !rejected.has(stored.appToken)) {
      const held = hold(stored, used);
      if (held.refreshAt > transport.clock.now()) return held;
    }
    let token: KingdeeAppToken;
    try {
      token = await fetchToken(used);
    } catch (error) {
      if (!isSecretRejected(error) || outerInstanceId === undefined) throw error;
      log?.('info', 'refundkit kingdee app secret rejected; authorizing again', {
        vendorCode: APP_SECRET_REJECTED_CODE,
      });
      appStale = true;
      used = await credentials();
      token = await fetchToken(used);
    }
    await storeSet(kingdeeTokenKey(clientId, used.appKey), token);
    log?.('info', 'refundkit kingdee app-token obtained', { expires: token.expires });
    return hold(token, used);
  };

  return {
    get(signal, endpoint) {
      if (current && !appStale && current.refreshAt > transport.clock.now()) return Promise.resolve(current);
      if (!inflight) {
        inflight = obtain()
          .then((held) => {
            current = held;
            return held;
          })
          .finally(() => {
            inflight = undefined;
          });
      }
      return waitFor(inflight, signal, endpoint);
    },
    invalidate(held, vendorCode) {
      rejected.add(held.token.appToken);
      if (rejected.size > REJECTED_MEMORY) {
        const oldest = rejected.values().next().value;
        if (oldest !== undefined) rejected.delete(oldest);
      }
      if (current?.token.appToken === held.token.appToken) current = undefined;
      if (vendorCode === APP_SECRET_REJECTED_CODE && outerInstanceId !== undefined && app === held.app) appStale = true;
    },
  };
}
