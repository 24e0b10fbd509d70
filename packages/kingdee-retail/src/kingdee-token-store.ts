/** An app-token as the client keeps and shares it. It is a secret: store it as you would a password. */
export interface KingdeeAppToken {
  /** The `app-token` header value. */
  appToken: string;
  /** When the vendor says it expires, epoch ms (server time). */
  expires: number;
}

/**
 * Where app-tokens are kept. Give several processes or apps the same store (Redis, a database row) so they share one
 * token instead of each asking for its own: the token call is rate-limited by the vendor (about 2 a minute). Keys
 * are `kingdee-app-token:<clientId>:<appKey>`. `get` answers `undefined` (or `null`) when it holds nothing.
 *
 * `refresh` is the optional cross-process single flight: fetch a new token with `fetchToken` under the store's
 * lock, unless another holder already replaced `stale` (the token the caller found unusable, or `undefined` when
 * it had none), and answer the token to use. A store without it is read with `get`, and the client fetches and
 * `set`s tokens itself (single flight within the client only).
 */
export interface KingdeeTokenStore {
  get(key: string): Promise<KingdeeAppToken | null | undefined>;
  set(key: string, token: KingdeeAppToken): Promise<void>;
  refresh?(
    key: string,
    fetchToken: () => Promise<KingdeeAppToken>,
    stale: KingdeeAppToken | undefined,
  ): Promise<KingdeeAppToken>;
}

/**
 * Creates the default token store: a `Map` in this process, with `refresh` as an in-process single flight (however
 * many clients share the store, one token request runs per key at a time). Pass one store to several clients to
 * let them share tokens within the process; use your own {@link KingdeeTokenStore} to share across processes.
 *
 * @example
 * const tokenStore = createMemoryTokenStore();
 * const a = createKingdeeRetailClient({ ...settings, tokenStore });
 * const b = createKingdeeRetailClient({ ...settings, tokenStore }); // reuses a's token
 */
export function createMemoryTokenStore(): KingdeeTokenStore {
  const tokens = new Map<string, KingdeeAppToken>();
  const inflight = new Map<string, Promise<KingdeeAppToken>>();
  const copy = (token: KingdeeAppToken): KingdeeAppToken => ({ appToken: token.appToken, expires: token.expires });
  return {
    async get(key) {
      const token = tokens.get(key);
      return token ? copy(token) : undefined;
    },
    async set(key, token) {
      tokens.set(key, copy(token));
    },
    refresh(key, fetchToken, stale) {
      const running = inflight.get(key);
      if (running) return running.then(copy);
      const held = tokens.get(key);
      if (held && held.appToken !== stale?.appToken) return Promise.resolve(copy(held));
      const fetching = (async () => {
        const token = copy(await fetchToken());
        tokens.set(key, token);
        return token;
      })().finally(() => inflight.delete(key));
      inflight.set(key, fetching);
      return fetching.then(copy);
    },
  };
}

/** The store key of an account set's token. */
export function kingdeeTokenKey(clientId: string, appKey: string): string {
  return `kingdee-app-token:${clientId}:${appKey}`;
}
