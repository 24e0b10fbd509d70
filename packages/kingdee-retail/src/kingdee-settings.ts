import {
  ConfigurationError,
  type Logger,
  type LoggerStyle,
  type RetryOptions,
  type TransportHooks,
} from '@refundkit/transport';
import type { KingdeeTokenStore } from './kingdee-token-store.js';

/** The settings of {@link createKingdeeRetailClient}. Credentials fall back to environment variables. */
export interface KingdeeRetailSettings {
  /** 应用 client id (`X-Api-ClientID`); env `KINGDEE_CLIENT_ID`. */
  clientId?: string | undefined;
  /** The client secret that signs every call; env `KINGDEE_CLIENT_SECRET`. */
  clientSecret?: string | undefined;
  /** The account set's app key; env `KINGDEE_APP_KEY`. With appSecret and domain, preferred over outerInstanceId. */
  appKey?: string | undefined;
  /** The account set's app secret; env `KINGDEE_APP_SECRET`. */
  appSecret?: string | undefined;
  /** The account's IDC domain for `X-GW-Router-Addr`, e.g. `https://tf.jdy.com`; env `KINGDEE_DOMAIN`. */
  domain?: string | undefined;
  /** The authorization's outer instance id: appKey, appSecret and domain are then fetched with push_app_authorize
   * (and fetched again after the vendor rotates the secret); env `KINGDEE_OUTER_INSTANCE_ID`. */
  outerInstanceId?: string | undefined;
  /** Gateway origin (default `https://api.kingdee.com`). */
  baseUrl?: string | undefined;
  /** An injectable `fetch` for proxies and tests. */
  fetch?: typeof globalThis.fetch | undefined;
  /** Milliseconds one attempt may take (default 30 000). */
  timeout?: number | undefined;
  /** Retries: total attempts (default 3), or `{ attempts, baseDelayMs, maxDelayMs }`, or `false`. */
  retry?: RetryOptions | number | false | undefined;
  hooks?: TransportHooks | undefined;
  logger?: Logger | undefined;
  loggerStyle?: LoggerStyle | undefined;
  /** Where app-tokens are kept, to share them between processes (default: in memory, per client). */
  tokenStore?: KingdeeTokenStore | undefined;
}

/** Credentials of one account set. */
export interface KingdeeAppCredentials {
  appKey: string;
  appSecret: string;
  domain: string;
}

/** Settings after defaults, environment fallback and checks. */
export interface ResolvedKingdeeSettings {
  clientId: string;
  clientSecret: string;
  /** Present when all three were given; otherwise they come from push_app_authorize. */
  app?: KingdeeAppCredentials;
  outerInstanceId?: string;
  baseUrl: string;
}

/** The environment variable of each credential setting. */
export const KINGDEE_ENV: Readonly<Record<string, string>> = Object.freeze({
  clientId: 'KINGDEE_CLIENT_ID',
  clientSecret: 'KINGDEE_CLIENT_SECRET',
  appKey: 'KINGDEE_APP_KEY',
  appSecret: 'KINGDEE_APP_SECRET',
  domain: 'KINGDEE_DOMAIN',
  outerInstanceId: 'KINGDEE_OUTER_INSTANCE_ID',
});

type CredentialName = 'clientId' | 'clientSecret' | 'appKey' | 'appSecret' | 'domain' | 'outerInstanceId';

function environment(): Record<string, string | undefined> {
  return typeof process === 'undefined' ? {} : process.env;
}

function readCredential(settings: KingdeeRetailSettings, name: CredentialName): string | undefined {
  const variable = KINGDEE_ENV[name] as string;
  const given = settings[name];
  if (given !== undefined) {
    if (typeof given !== 'string' || given.trim() === '') {
      throw new ConfigurationError(
        `Kingdee setting "${name}" must be a non-empty string (or leave it out and set ${variable})`,
        { setting: name },
      );
    }
    return given;
  }
  const fromEnv = environment()[variable];
  return fromEnv === undefined || fromEnv.trim() === '' ? undefined : fromEnv;
}

/** Checks that a domain is an absolute http(s) URL (it is sent as `X-GW-Router-Addr`). */
export function isKingdeeDomain(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && !/[\r\n]/.test(value);
  } catch {
    return false;
  }
}

/**
 * Resolves the client's settings: each credential from the settings, else from its environment variable; the
 * appKey/appSecret/domain form when all three are present, otherwise outerInstanceId. Throws a
 * `ConfigurationError` naming the setting and its variable for anything missing or malformed.
 */
export function resolveKingdeeSettings(settings: KingdeeRetailSettings): ResolvedKingdeeSettings {
  if (typeof settings !== 'object' || settings === null) {
    throw new ConfigurationError('createKingdeeRetailClient needs a settings object', { setting: 'settings' });
  }
  const missing = (name: CredentialName, extra = '') =>
    new ConfigurationError(
      `Kingdee setting "${name}" is missing: pass it in the settings or set the environment variable ${KINGDEE_ENV[name]}${extra}`,
      { setting: name },
    );
  const clientId = readCredential(settings, 'clientId');
  if (clientId === undefined) throw missing('clientId');
  const clientSecret = readCredential(settings, 'clientSecret');
  if (clientSecret === undefined) throw missing('clientSecret');
  const appKey = readCredential(settings, 'appKey');
  const appSecret = readCredential(settings, 'appSecret');
  const domain = readCredential(settings, 'domain');
  const outerInstanceId = readCredential(settings, 'outerInstanceId');

  const resolved: ResolvedKingdeeSettings = {
    clientId,
    clientSecret,
    baseUrl: settings.baseUrl ?? 'https://api.kingdee.com',
  };
  if (outerInstanceId !== undefined) resolved.outerInstanceId = outerInstanceId;
  if (appKey !== undefined && appSecret !== undefined && domain !== undefined) {
    if (!isKingdeeDomain(domain)) {
      throw new ConfigurationError(
        `Kingdee setting "domain" (${KINGDEE_ENV.domain}) must be an absolute URL such as https://tf.jdy.com`,
        { setting: 'domain' },
      );
    }
    resolved.app = { appKey, appSecret, domain };
  } else if (outerInstanceId === undefined) {
    const absent = (['appKey', 'appSecret', 'domain'] as const).filter(
      (name) => ({ appKey, appSecret, domain })[name] === undefined,
    );
    const first = absent[0] ?? 'appKey';
    throw missing(
      first,
      ` (Kingdee needs appKey, appSecret and domain — missing: ${absent
        .map((name) => `${name}/${KINGDEE_ENV[name]}`)
        .join(', ')} — or outerInstanceId/${KINGDEE_ENV.outerInstanceId} to fetch them)`,
    );
  }

  if (settings.baseUrl !== undefined && typeof settings.baseUrl !== 'string') {
    throw new ConfigurationError('Kingdee setting "baseUrl" must be a URL string', { setting: 'baseUrl' });
  }
  const store = settings.tokenStore;
  if (
    store !== undefined &&
    (typeof store !== 'object' || store === null || typeof store.get !== 'function' || typeof store.set !== 'function')
  ) {
    throw new ConfigurationError('Kingdee setting "tokenStore" must have async get(key) and set(key, token)', {
      setting: 'tokenStore',
    });
  }
  if (settings.hooks !== undefined && (typeof settings.hooks !== 'object' || settings.hooks === null)) {
    throw new ConfigurationError('Kingdee setting "hooks" must be an object of hook functions', { setting: 'hooks' });
  }
  return resolved;
}
