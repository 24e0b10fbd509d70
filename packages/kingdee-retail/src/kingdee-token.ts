import { checkedKingdeeAppSignature } from '@refundkit/signing/internal';
import { RefundkitError, TransportError, VendorApiError } from '@refundkit/transport';
import { type LogSink, readEndpointOutput, type Transport } from '@refundkit/transport/internal';
import { appToken } from './endpoints/app-token.js';
import { pushAppAuthorize } from './endpoints/push-app-authorize.js';
import { APP_SECRET_REJECTED_CODE, readKingdeeAnswer } from './kingdee-errors.js';
import type { KingdeeAppCredentials, ResolvedKingdeeSettings } from './kingdee-settings.js';
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

const [, AUTHORIZE_PATH] = pushAppAuthorize.name.split(' ') as [string, string];
const [, TOKEN_PATH] = appToken.name.split(' ') as [string, string];

/** Whether a store answered a token: a non-empty `appToken` and a finite `expires`. */
function isToken(value: unknown): value is KingdeeAppToken {
  const token = value as Partial<KingdeeAppToken> | null | undefined;
  return typeof token?.appToken === 'string' && token.appToken !== '' && Number.isFinite(token.expires);
}

/** An authorization entry with every credential present, and a domain that can go into `X-GW-Router-Addr`. */
function isUsableAuthorization<
  E extends {
    appKey?: string | null | undefined;
    appSecret?: string | null | undefined;
    domain?: string | null | undefined;
  },
>(entry: E): entry is E & KingdeeAppCredentials {
  // The answer's schema makes each of them a string, null or absent.
  return !!entry.appKey && !!entry.appSecret && /^https?:\/\/[\u0021-\u007e]+$/.test(entry.domain ?? '');
}

/** Waits for a shared promise, but lets one caller stop waiting when its own signal aborts. */
function waitFor<T>(promise: Promise<T>, signal: AbortSignal | undefined, endpoint: string): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () =>
      reject(
        new TransportError(`kingdee ${endpoint} was aborted while waiting for an app-token`, {
          code: 'ABORTED',
          endpoint,
          cause: signal.reason,
        }),
      );
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * Creates the app-token lifecycle of a client: the token is obtained with app_signature, kept in the token store and
 * in memory until shortly before `expires`, fetched by one request however many calls wait for it (across processes
 * too, when the store has `refresh`), and replaced when the gateway rejects it. When the credentials come from (or
 * can be refreshed through) `outerInstanceId`, push_app_authorize is run first, and again after the vendor reports
 * the secret failed (1030002006).
 */
export function createKingdeeTokenManager(deps: {
  transport: Transport;
  settings: ResolvedKingdeeSettings;
  /** Where tokens are shared; without one, the client's token lives in this manager alone. */
  store: KingdeeTokenStore | undefined;
  log: LogSink | undefined;
}): KingdeeTokenManager {
  const { transport, settings, store, log } = deps;
  const { clientId, clientSecret, outerInstanceId } = settings;
  let app: KingdeeAppCredentials | undefined = settings.app;
  let appStale = false;
  let current: HeldToken | undefined;
  let inflight: Promise<HeldToken> | undefined;
  const rejected = new Set<string>();

  /** Sends one of the two token-lifecycle calls, signed, and reads its `data` through its definition. */
  const signedSend = <D extends typeof appToken | typeof pushAppAuthorize>(
    definition: D,
    method: 'GET' | 'POST',
    path: string,
    query: ReadonlyArray<readonly [string, string]>,
    body: string | undefined,
  ) => {
    const endpoint = definition.name;
    return transport.send({
      method,
      path,
      endpoint,
      body,
      resendSafe: definition.resendSafe,
      prepare: (now) => ({
        query,
        headers: kingdeeSignedHeaders({ clientId, clientSecret, method, path, query, now }),
      }),
      interpret: (response) =>
        readEndpointOutput(definition, readKingdeeAnswer(endpoint, response), {
          vendor: 'kingdee',
          endpoint,
          status: response.status,
        }),
    });
  };

  const authorize = async (): Promise<KingdeeAppCredentials> => {
    const id = outerInstanceId as string;
    const list = await signedSend(pushAppAuthorize, 'POST', AUTHORIZE_PATH, [['outerInstanceId', id]], '{}');
    const usable = list.filter(isUsableAuthorization);
    const chosen = usable.find((entry) => entry.status === '1') ?? usable[0];
    if (!chosen) {
      throw new RefundkitError(
        `kingdee ${pushAppAuthorize.name} returned no usable authorization for the configured outerInstanceId; check the setting or KINGDEE_OUTER_INSTANCE_ID`,
        { code: 'AUTHENTICATION' },
      );
    }
    log?.('info', 'refundkit kingdee authorization fetched', { endpoint: pushAppAuthorize.name });
    return { appKey: chosen.appKey, appSecret: chosen.appSecret, domain: chosen.domain };
  };

  const fetchToken = async (credentials: KingdeeAppCredentials): Promise<KingdeeAppToken> => {
    const query: Array<[string, string]> = [
      ['app_key', credentials.appKey],
      ['app_signature', checkedKingdeeAppSignature(credentials.appKey, credentials.appSecret)],
    ];
    const data = await signedSend(appToken, 'GET', TOKEN_PATH, query, undefined);
    const token = { appToken: data['app-token'], expires: data.expires };
    log?.('info', 'refundkit kingdee app-token obtained', { expires: token.expires });
    return token;
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
      const stored = await store?.get(key);
      return isToken(stored) ? { appToken: stored.appToken, expires: stored.expires } : undefined;
    } catch (error) {
      log?.('warn', 'refundkit kingdee token store get failed', { name: (error as Error | undefined)?.name });
      return undefined;
    }
  };

  const storeSet = async (key: string, token: KingdeeAppToken): Promise<void> => {
    try {
      await store?.set(key, { ...token });
    } catch (error) {
      log?.('warn', 'refundkit kingdee token store set failed', { name: (error as Error | undefined)?.name });
    }
  };

  /**
   * A new token for `used`: through the store's `refresh` (single flight across every holder of the store) when it
   * has one, else fetched here and stored. A store whose `refresh` fails on its own (not in the fetch) is bypassed.
   */
  const renew = async (used: KingdeeAppCredentials, stale: KingdeeAppToken | undefined): Promise<KingdeeAppToken> => {
    const key = kingdeeTokenKey(clientId, used.appKey);
    if (store?.refresh) {
      let fetchFailure: { error: unknown } | undefined;
      try {
        const token = await store.refresh(
          key,
          () =>
            fetchToken(used).catch((error: unknown) => {
              fetchFailure = { error };
              throw error;
            }),
          stale,
        );
        if (isToken(token) && !rejected.has(token.appToken))
          return { appToken: token.appToken, expires: token.expires };
        log?.('warn', 'refundkit kingdee token store refresh answered no usable token', {});
      } catch (error) {
        if (fetchFailure) throw fetchFailure.error;
        log?.('warn', 'refundkit kingdee token store refresh failed', { name: (error as Error | undefined)?.name });
      }
    }
    const token = await fetchToken(used);
    await storeSet(key, token);
    return token;
  };

  const isSecretRejected = (error: unknown): boolean =>
    VendorApiError.isInstance(error) && error.vendorCode === APP_SECRET_REJECTED_CODE;

  const obtain = async (): Promise<HeldToken> => {
    let used = await credentials();
    const stored = await storeGet(kingdeeTokenKey(clientId, used.appKey));
    if (stored && !rejected.has(stored.appToken)) {
      const held = hold(stored, used);
      if (held.refreshAt > transport.clock.now()) return held;
    }
    let token: KingdeeAppToken;
    try {
      token = await renew(used, stored);
    } catch (error) {
      if (!isSecretRejected(error) || outerInstanceId === undefined) throw error;
      log?.('info', 'refundkit kingdee app secret rejected; authorizing again', {
        vendorCode: APP_SECRET_REJECTED_CODE,
      });
      appStale = true;
      used = await credentials();
      token = await renew(used, undefined);
    }
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
