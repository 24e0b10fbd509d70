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
 */
export interface KingdeeTokenStore {
  get(key: string): Promise<KingdeeAppToken | null | undefined>;
  set(key: string, token: KingdeeAppToken): Promise<void>;
}

/**
 * Creates the default token store: a `Map` in this process. Pass one store to several clients to let them share
 * tokens within the process; use your own {@link KingdeeTokenStore} to share across processes.
 *
 * @example
 * const tokenStore = createMemoryTokenStore();
 * const a = createKingdeeRetailClient({ ...settings, tokenStore });
 * const b = createKingdeeRetailClient({ ...settings, tokenStore }); // reuses a's token
 */
export function createMemoryTokenStore(): KingdeeTokenStore {
  const tokens = new Map<string, KingdeeAppToken>();
  return {
    async get(key) {
      const token = tokens.get(key);
      return token ? { ...token } : undefined;
    },
    async set(key, token) {
      tokens.set(key, { appToken: token.appToken, expires: token.expires });
    },
  };
}

/** The store key of an account set's token. */
export function kingdeeTokenKey(clientId: string, appKey: string): string {
  return `kingdee-app-token:${clientId}:${appKey}`;
}
