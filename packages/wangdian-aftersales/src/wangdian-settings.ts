import { splitWangdianAppSecret } from '@refundkit/signing/internal';
import type { ClientSettings, EndpointRegistry, RetryOptions } from '@refundkit/transport';
import {
  type CheckedClientSettings,
  checkClientSettings,
  createSettingsReader,
  type TextSetting,
} from '@refundkit/transport/internal';

/** The production gateway origin. The vendor documents plain http; `https://wdt.wangdian.cn` also works. */
export const WANGDIAN_PRODUCTION_URL = 'http://wdt.wangdian.cn';

/**
 * The settings of {@link createWangdianClient}; a sandbox's `credentials` spread straight in. Credentials fall back
 * to environment variables, read only for a credential the settings leave out. Every setting may be given as
 * `undefined`, the same as leaving it out.
 */
export interface WangdianClientSettings<E extends EndpointRegistry = Record<never, never>> extends ClientSettings {
  /**
   * The definitions the client serves besides the two uploads, keyed by the client method each becomes:
   * `{ refundSearch }`, or `WANGDIAN_ENDPOINTS` for every one this package defines. A client carries (and a
   * bundle holds) only the schemas it is given; a call to a defined operation it was not given is refused.
   */
  endpoints?: E | undefined;
  /** 卖家账号, issued by Wangdian. Falls back to `WANGDIAN_SID`. */
  sid?: string | undefined;
  /** 接口账号 (`key` on the wire). Falls back to `WANGDIAN_APP_KEY`. */
  appKey?: string | undefined;
  /** The app secret as issued, `secret:salt`. Falls back to `WANGDIAN_APP_SECRET`. Never logged or echoed. */
  appSecret?: string | undefined;
  /**
   * The gateway origin; calls go to `${baseUrl}/openapi`. Default {@link WANGDIAN_PRODUCTION_URL} (plain http, as the
   * vendor documents); prefer `https://wdt.wangdian.cn` so credentials and buyer data are encrypted in transit. The
   * vendor's test environment is `http://47.92.239.46`.
   */
  baseUrl?: string | undefined;
  /**
   * Total tries and backoff; a number is the total tries, `false` a single try. Unless `maxDelayMs` is given it is
   * raised to `rateLimitBackoffMs`, so rate-limit answers are waited out and retried.
   */
  retry?: RetryOptions | number | false | undefined;
  /** The most rows one upload call carries (default 100, the vendor's advice). */
  maxBatch?: number | undefined;
  /**
   * The wait before retrying a rate-limit answer (status 100, 超过每分钟最大调用频率限制 / 最大并发次数限制), in
   * milliseconds (default 60 000; the vendor advises pausing several minutes).
   */
  rateLimitBackoffMs?: number | undefined;
}

/** Settings after validation, with every default applied. */
export interface ResolvedWangdianSettings {
  sid: string;
  appKey: string;
  secret: string;
  salt: string;
  baseUrl: string;
  maxBatch: number;
  rateLimitBackoffMs: number;
  /** The settings the transport takes, checked, with the retry wait cap raised to `rateLimitBackoffMs`. */
  transport: CheckedClientSettings;
  /** The rate-limiter key of the account: `wangdian:<sid>:<appKey>`. */
  rateLimitKey: string;
}

/** The environment variable of each credential setting. */
export const WANGDIAN_ENV = Object.freeze({
  sid: 'WANGDIAN_SID',
  appKey: 'WANGDIAN_APP_KEY',
  appSecret: 'WANGDIAN_APP_SECRET',
} as const);

const SID: TextSetting = { name: 'sid', env: WANGDIAN_ENV.sid, rule: 'text' };
const APP_KEY: TextSetting = { name: 'appKey', env: WANGDIAN_ENV.appKey, rule: 'text' };
const APP_SECRET: TextSetting = { name: 'appSecret', env: WANGDIAN_ENV.appSecret, rule: 'secret' };

const DEFAULT_RATE_LIMIT_BACKOFF_MS = 60_000;
const DEFAULT_MAX_DELAY_MS = 20_000;
const MAX_DELAY = 2_147_483_647;

/**
 * Validates the settings of a Wangdian client once, at creation, with the shared settings reader: credentials from
 * the settings or else from the environment (a missing one names both the setting and the variable), the app secret
 * split into secret and salt (its value never appears in a message), the base URL, `maxBatch`, `rateLimitBackoffMs`
 * and the transport settings. Throws a `ConfigurationError` whose `setting` names the bad setting.
 */
export function resolveWangdianSettings(settings: WangdianClientSettings<EndpointRegistry>): ResolvedWangdianSettings {
  const read = createSettingsReader('Wangdian', 'createWangdianClient', settings);
  const sid = read.requiredText(SID);
  const appKey = read.requiredText(APP_KEY);
  const appSecret = read.requiredText(APP_SECRET);
  const parts = splitWangdianAppSecret(appSecret);
  if (!parts) {
    throw read.error(
      'appSecret',
      "must be 'secret:salt', both parts non-empty (settings.appSecret or WANGDIAN_APP_SECRET)",
    );
  }
  const { secret, salt } = parts;
  const baseUrl = read.origin('baseUrl', settings.baseUrl, WANGDIAN_PRODUCTION_URL, { allowPath: true });
  if (/\/openapi$/.test(baseUrl)) throw read.error('baseUrl', 'must be the origin only: /openapi is added to it');
  const maxBatch = read.integer('maxBatch', settings.maxBatch, 100, 1, 100_000);
  const rateLimitBackoffMs = read.integer(
    'rateLimitBackoffMs',
    settings.rateLimitBackoffMs,
    DEFAULT_RATE_LIMIT_BACKOFF_MS,
    0,
    MAX_DELAY,
  );
  // The wait cap is raised to the backoff unless the caller set it, so rate-limit answers are waited out.
  const transport = checkClientSettings(read, settings, {
    maxDelayMs: Math.max(DEFAULT_MAX_DELAY_MS, rateLimitBackoffMs),
  });
  return {
    sid,
    appKey,
    secret,
    salt,
    baseUrl,
    maxBatch,
    rateLimitBackoffMs,
    transport,
    rateLimitKey: `wangdian:${sid}:${appKey}`,
  };
}
