import type { ClientSettings, EndpointRegistry } from '@refundkit/transport';
import {
  type CheckedClientSettings,
  checkClientSettings,
  createSettingsReader,
  type TextSetting,
} from '@refundkit/transport/internal';
import type { KingdeeTokenStore } from './kingdee-token-store.js';

/**
 * The settings of {@link createKingdeeRetailClient}. Credentials fall back to environment variables, read only for a
 * credential the settings leave out. Every setting may be given as `undefined`, the same as leaving it out.
 */
export interface KingdeeRetailSettings<E extends EndpointRegistry = Record<never, never>> extends ClientSettings {
  /**
   * The definitions the client serves besides refundSave, keyed by the client method each becomes:
   * `{ retailBillList }`, or `KINGDEE_ENDPOINTS` for every one this package defines (both from
   * `@refundkit/kingdee-retail/endpoints`). A client carries (and a bundle holds) only the schemas it is given; a call
   * to a defined operation it was not given is refused.
   */
  endpoints?: E | undefined;
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
  /** The settings the transport takes, checked and each read once. */
  transport: CheckedClientSettings;
  /** The rate-limiter key of the account: `kingdee:<clientId>:<appKey or outerInstanceId>`. */
  rateLimitKey: string;
}

/** The environment variable of each credential setting. */
export const KINGDEE_ENV = Object.freeze({
  clientId: 'KINGDEE_CLIENT_ID',
  clientSecret: 'KINGDEE_CLIENT_SECRET',
  appKey: 'KINGDEE_APP_KEY',
  appSecret: 'KINGDEE_APP_SECRET',
  domain: 'KINGDEE_DOMAIN',
  outerInstanceId: 'KINGDEE_OUTER_INSTANCE_ID',
} as const);

/** The production gateway. */
export const KINGDEE_PRODUCTION_URL = 'https://api.kingdee.com';

type CredentialName = keyof typeof KINGDEE_ENV;

/** How each credential travels: the ids in headers (printable ASCII), the secrets only into signatures. */
const CREDENTIALS: Record<CredentialName, TextSetting> = {
  clientId: { name: 'clientId', env: KINGDEE_ENV.clientId, rule: 'header' },
  clientSecret: { name: 'clientSecret', env: KINGDEE_ENV.clientSecret, rule: 'secret' },
  appKey: { name: 'appKey', env: KINGDEE_ENV.appKey, rule: 'header' },
  appSecret: { name: 'appSecret', env: KINGDEE_ENV.appSecret, rule: 'secret' },
  domain: { name: 'domain', env: KINGDEE_ENV.domain, rule: 'header' },
  outerInstanceId: { name: 'outerInstanceId', env: KINGDEE_ENV.outerInstanceId, rule: 'header' },
};

/**
 * Resolves the client's settings with the shared settings reader: each credential from the settings, else from its
 * environment variable (never read when the settings name a whole account: client id and secret, and either the
 * three app credentials or an outerInstanceId); the appKey/appSecret/domain form when all three are present,
 * otherwise outerInstanceId.
 * Throws a `ConfigurationError` naming the setting (and its variable) for anything missing or malformed.
 */
export function resolveKingdeeSettings(settings: KingdeeRetailSettings<EndpointRegistry>): ResolvedKingdeeSettings {
  const given = (name: CredentialName) =>
    typeof settings === 'object' && settings !== null && settings[name] !== undefined;
  // Settings that name a whole account never make the client touch the environment (Deno without --allow-env).
  const complete =
    given('clientId') &&
    given('clientSecret') &&
    ((given('appKey') && given('appSecret') && given('domain')) || given('outerInstanceId'));
  const read = createSettingsReader(
    'Kingdee',
    'createKingdeeRetailClient',
    complete ? { ...settings, env: {} } : settings,
  );
  const transport = checkClientSettings(read, settings);
  const clientId = read.requiredText(CREDENTIALS.clientId);
  const clientSecret = read.requiredText(CREDENTIALS.clientSecret);
  const appKey = read.text(CREDENTIALS.appKey);
  const appSecret = read.text(CREDENTIALS.appSecret);
  const domainText = read.text(CREDENTIALS.domain);
  const outerInstanceId = read.text(CREDENTIALS.outerInstanceId);
  const baseUrl = read.origin('baseUrl', settings.baseUrl, KINGDEE_PRODUCTION_URL, { allowPath: true });

  const resolved: ResolvedKingdeeSettings = {
    clientId,
    clientSecret,
    baseUrl,
    transport,
    rateLimitKey: `kingdee:${clientId}:${appKey ?? outerInstanceId ?? ''}`,
  };
  if (outerInstanceId !== undefined) resolved.outerInstanceId = outerInstanceId;
  if (appKey !== undefined && appSecret !== undefined && domainText !== undefined) {
    const domain = read.origin('domain', domainText, 'https://tf.jdy.com', { header: true, env: KINGDEE_ENV.domain });
    resolved.app = { appKey, appSecret, domain };
  } else if (outerInstanceId === undefined) {
    const absent = (['appKey', 'appSecret', 'domain'] as const).filter(
      (name) => ({ appKey, appSecret, domain: domainText })[name] === undefined,
    );
    const list = absent.map((name) => `${name}/${KINGDEE_ENV[name]}`).join(', ');
    read.requiredText(
      CREDENTIALS[absent[0] ?? 'appKey'],
      ` (Kingdee needs appKey, appSecret and domain — missing: ${list} — or outerInstanceId/${KINGDEE_ENV.outerInstanceId} to fetch them)`,
    );
  }

  const store = settings.tokenStore;
  if (
    store !== undefined &&
    (typeof store !== 'object' ||
      store === null ||
      typeof store.get !== 'function' ||
      typeof store.set !== 'function' ||
      (store.refresh !== undefined && typeof store.refresh !== 'function'))
  ) {
    throw read.error('tokenStore', 'must have async get(key) and set(key, token), and refresh() only as a function');
  }
  return resolved;
}
