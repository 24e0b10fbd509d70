import { parseWangdianAppSecret } from '@refundkit/signing';
import {
  ConfigurationError,
  type Logger,
  type LoggerStyle,
  type RetryOptions,
  type ServerClock,
  type TransportHooks,
} from '@refundkit/transport';

/** The production gateway origin. The vendor documents plain http; `https://wdt.wangdian.cn` also works. */
export const WANGDIAN_PRODUCTION_URL = 'http://wdt.wangdian.cn';

/** The settings of {@link createWangdianClient}; a sandbox's `credentials` spread straight in. */
export interface WangdianClientSettings {
  /** 卖家账号, issued by Wangdian. Falls back to `WANGDIAN_SID`. */
  sid?: string;
  /** 接口账号 (`key` on the wire). Falls back to `WANGDIAN_APP_KEY`. */
  appKey?: string;
  /** The app secret as issued, `secret:salt`. Falls back to `WANGDIAN_APP_SECRET`. Never logged or echoed. */
  appSecret?: string;
  /**
   * The gateway origin; calls go to `${baseUrl}/openapi`. Default {@link WANGDIAN_PRODUCTION_URL} (plain http, as the
   * vendor documents); prefer `https://wdt.wangdian.cn` so credentials and buyer data are encrypted in transit. The
   * vendor's test environment is `http://47.92.239.46`.
   */
  baseUrl?: string;
  /** The `fetch` to use (default `globalThis.fetch`). */
  fetch?: typeof globalThis.fetch;
  /** Milliseconds one attempt may take (default 30 000). */
  timeout?: number;
  /**
   * Total tries and backoff (see `@refundkit/transport`); a number is the total tries, `false` a single try. Unless
   * `maxDelayMs` is given it is raised to `rateLimitBackoffMs`, so rate-limit answers are waited out and retried.
   */
  retry?: RetryOptions | number | false;
  /** Observability hooks; they receive URLs with `sign` and `salt` redacted. */
  hooks?: TransportHooks;
  /** A console-like or pino-like logger; log lines carry redacted URLs and no bodies. */
  logger?: Logger;
  /** How to call `logger` (default `'auto'`). */
  loggerStyle?: LoggerStyle;
  /** A shared server clock (default: one per client). */
  clock?: ServerClock;
  /** The most rows one upload call carries (default 100, the vendor's advice). */
  maxBatch?: number;
  /**
   * The wait before retrying a rate-limit answer (status 100, 超过每分钟最大调用频率限制 / 最大并发次数限制), in
   * milliseconds (default 60 000; the vendor advises pausing several minutes).
   */
  rateLimitBackoffMs?: number;
  /** Where the credential fallbacks are read (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
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
  retry: RetryOptions | number | false;
}

const CREDENTIALS = [
  ['sid', 'WANGDIAN_SID'],
  ['appKey', 'WANGDIAN_APP_KEY'],
  ['appSecret', 'WANGDIAN_APP_SECRET'],
] as const;

const DEFAULT_RATE_LIMIT_BACKOFF_MS = 60_000;
const DEFAULT_MAX_DELAY_MS = 20_000;
const MAX_DELAY = 2_147_483_647;

/**
 * Validates the settings of a Wangdian client once, at creation: credentials from the settings or else from the
 * environment (a missing one names both the setting and the variable), the app secret split into secret and salt
 * (its value never appears in a message), the base URL, `maxBatch` and `rateLimitBackoffMs`. Throws a
 * `ConfigurationError` whose `setting` names the bad setting. The remaining transport settings (`timeout`, `fetch`,
 * `retry`) are checked by the transport itself.
 */
export function resolveWangdianSettings(settings: WangdianClientSettings): ResolvedWangdianSettings {
  if (typeof settings !== 'object' || settings === null) {
    throw new ConfigurationError('createWangdianClient needs a settings object', { setting: 'settings' });
  }
  const env = settings.env ?? (typeof process === 'undefined' ? {} : process.env);
  const values: Record<string, string> = {};
  for (const [setting, variable] of CREDENTIALS) {
    const given = settings[setting];
    const fromEnv = env[variable];
    const value = given !== undefined ? given : fromEnv === '' ? undefined : fromEnv;
    if (value === undefined) {
      throw new ConfigurationError(`${setting} is missing: pass settings.${setting} or set ${variable}`, { setting });
    }
    if (typeof value !== 'string' || value.trim() === '') {
      throw new ConfigurationError(`${setting} must be a non-empty string (settings.${setting} or ${variable})`, {
        setting,
      });
    }
    values[setting] = value;
  }
  let secret: string;
  let salt: string;
  try {
    ({ secret, salt } = parseWangdianAppSecret(values.appSecret ?? ''));
  } catch {
    // The cause is left out on purpose: nothing derived from the secret may travel with the error.
    throw new ConfigurationError(
      "appSecret must have the form 'secret:salt' with both parts non-empty (settings.appSecret or WANGDIAN_APP_SECRET)",
      { setting: 'appSecret' },
    );
  }
  const baseUrl = resolveBaseUrl(settings.baseUrl);
  const maxBatch = settings.maxBatch ?? 100;
  if (typeof maxBatch !== 'number' || !Number.isInteger(maxBatch) || maxBatch < 1) {
    throw new ConfigurationError('maxBatch must be a whole number of rows, at least 1', { setting: 'maxBatch' });
  }
  const rateLimitBackoffMs = settings.rateLimitBackoffMs ?? DEFAULT_RATE_LIMIT_BACKOFF_MS;
  if (
    typeof rateLimitBackoffMs !== 'number' ||
    !Number.isFinite(rateLimitBackoffMs) ||
    rateLimitBackoffMs < 0 ||
    rateLimitBackoffMs > MAX_DELAY
  ) {
    throw new ConfigurationError(`rateLimitBackoffMs must be a number of milliseconds from 0 to ${MAX_DELAY}`, {
      setting: 'rateLimitBackoffMs',
    });
  }
  return {
    sid: values.sid ?? '',
    appKey: values.appKey ?? '',
    secret,
    salt,
    baseUrl,
    maxBatch,
    rateLimitBackoffMs,
    retry: retryWithBackoffRoom(settings.retry, rateLimitBackoffMs),
  };
}

function resolveBaseUrl(value: string | undefined): string {
  if (value === undefined) return WANGDIAN_PRODUCTION_URL;
  let url: URL;
  try {
    if (typeof value !== 'string') throw new TypeError('not a string');
    url = new URL(value);
  } catch (cause) {
    throw new ConfigurationError('baseUrl must be an absolute http(s) URL such as http://wdt.wangdian.cn', {
      setting: 'baseUrl',
      cause,
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigurationError('baseUrl must use http or https', { setting: 'baseUrl' });
  }
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new ConfigurationError('baseUrl must be an origin, without query, fragment or credentials', {
      setting: 'baseUrl',
    });
  }
  if (/\/openapi\/?$/.test(url.pathname)) {
    throw new ConfigurationError('baseUrl must be the origin only: /openapi is added to it', { setting: 'baseUrl' });
  }
  return url.href.replace(/\/+$/, '');
}

/** Lets the transport wait out a rate-limit answer: its wait cap is raised to the backoff unless the caller set it. */
function retryWithBackoffRoom(
  retry: RetryOptions | number | false | undefined,
  rateLimitBackoffMs: number,
): RetryOptions | number | false {
  const maxDelayMs = Math.max(DEFAULT_MAX_DELAY_MS, rateLimitBackoffMs);
  if (retry === undefined) return { maxDelayMs };
  if (typeof retry === 'number') return { attempts: retry, maxDelayMs };
  if (typeof retry === 'object' && retry !== null && retry.maxDelayMs === undefined) return { ...retry, maxDelayMs };
  return retry;
}
