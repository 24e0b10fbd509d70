import { ConfigurationError } from '@refundkit/refund-model';
import type { Logger, LoggerStyle } from './logger.js';
import type { RateLimiter } from './rate-limiter.js';
import { type RetryOptions, type RetryPolicy, resolveRetryPolicy } from './retry-policy.js';
import type { ServerClock } from './server-clock.js';
import type { TransportHooks } from './transport.js';

/** Where missing credentials are looked up: variable names to values. */
export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * The settings every refundkit vendor client takes besides its credentials. Each may be left out or given as
 * `undefined` (the same thing), so a caller can pass optional values straight through under
 * `exactOptionalPropertyTypes`.
 */
export interface ClientSettings {
  /** The gateway origin the client calls (each vendor has its default). */
  baseUrl?: string | undefined;
  /** An injectable `fetch`, for proxies, instrumentation and tests (default `globalThis.fetch`). */
  fetch?: typeof globalThis.fetch | undefined;
  /** Milliseconds one attempt may take, response body included (default 30 000). */
  timeout?: number | undefined;
  /** Total tries and backoff: a number is the total tries, `false` a single try. */
  retry?: RetryOptions | number | false | undefined;
  /** Observability hooks; they receive redacted facts, never headers or bodies. */
  hooks?: TransportHooks | undefined;
  /** A console-like `(message, details)` or pino-like `(details, message)` logger. */
  logger?: Logger | undefined;
  /** How to call `logger` (default `'auto'`). */
  loggerStyle?: LoggerStyle | undefined;
  /** A limit on calls per vendor account, shared by every client handed the same limiter (default none). */
  rateLimiter?: RateLimiter | undefined;
  /** A shared server clock (default: one per client). */
  clock?: ServerClock | undefined;
  /**
   * Where credentials missing from the settings are looked up (default `process.env` where there is one). It is read
   * only for a credential the settings leave out, so a client given every credential never touches it.
   */
  env?: Environment | undefined;
}

/** What a text setting must be, beyond a non-empty string. */
export type TextRule =
  /** Sent in an HTTP header: printable ASCII only. */
  | 'header'
  /** Sent in a URL query or signed: no control characters. */
  | 'text'
  /** A secret: no control characters, and never echoed. */
  | 'secret';

/** How an origin setting is checked. */
export interface OriginOptions {
  /** Whether a path prefix may follow the origin (default false). */
  allowPath?: boolean | undefined;
  /** Whether it is sent in an HTTP header, so must be printable ASCII (default false). */
  header?: boolean | undefined;
  /** The environment variable it may have come from, named in the message. */
  env?: string | undefined;
}

/** How one text setting is read. */
export interface TextSetting {
  /** The setting's name in the settings object. */
  name: string;
  /** The environment variable that can supply it. */
  env?: string | undefined;
  rule: TextRule;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const HEADER_SAFE = /^[\u0020-\u007e]*$/;
const MAX_TIMEOUT = 2_147_483_647;
const LOGGER_STYLES: ReadonlySet<unknown> = new Set(['auto', 'console', 'pino']);

/** Reads the variable `name` of the default environment, guarded: no `process`, no variable. */
function defaultEnvironment(name: string): string | undefined {
  const env = (globalThis as { process?: { env?: Environment } }).process?.env;
  return env?.[name];
}

/**
 * The one settings reader of the vendor clients: same checks, same wording. `label` names the vendor (`Kingdee`,
 * `Wangdian`) in every message. Values are never echoed in a message.
 */
export interface SettingsReader {
  /** The error for a bad setting: `${label} setting "name" problem`. */
  error(name: string, problem: string, cause?: unknown): ConfigurationError;
  /**
   * A text setting from the settings, else (only then) from its environment variable, checked by its rule.
   * `undefined` when neither has a value; an empty environment variable counts as none.
   */
  text(setting: TextSetting): string | undefined;
  /** Like {@link SettingsReader.text}, but a missing value is a `ConfigurationError` naming the setting and variable. */
  requiredText(setting: TextSetting, hint?: string): string;
  /**
   * An http(s) origin (a path prefix allowed when `allowPath`), without user name, password, query, fragment,
   * whitespace or control characters; the default when the setting is absent. Answers it without a trailing slash.
   */
  origin(name: string, value: unknown, fallback: string, options?: OriginOptions): string;
  /** A whole number from `min` to `max`, or the default. */
  integer(name: string, value: unknown, fallback: number, min: number, max: number): number;
}

/** The error for a bad setting of a client (`label` names the vendor): `${label} setting "name" problem`. */
export function settingError(label: string, name: string, problem: string, cause?: unknown): ConfigurationError {
  return new ConfigurationError(`${label} setting "${name}" ${problem}`, { setting: name, cause });
}

/**
 * Creates the settings reader of one client's settings. `settings` must be an object (else a `ConfigurationError`
 * naming `settings`). The environment is `settings.env` when given, else `process.env` guarded by
 * `globalThis.process?.env`; it is read lazily, one variable at a time, and a read that the runtime denies (Deno
 * without `--allow-env`) is a `ConfigurationError` naming the variable.
 *
 * @example
 * const read = createSettingsReader('Kingdee', 'createKingdeeRetailClient', settings);
 * const clientId = read.requiredText({ name: 'clientId', env: 'KINGDEE_CLIENT_ID', rule: 'header' });
 */
export function createSettingsReader(label: string, factory: string, settings: unknown): SettingsReader {
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) {
    throw new ConfigurationError(`${factory} needs a settings object`, { setting: 'settings' });
  }
  const given = settings as Record<string, unknown>;
  const error = (name: string, problem: string, cause?: unknown) => settingError(label, name, problem, cause);
  const env = given.env;
  if (env !== undefined && (typeof env !== 'object' || env === null)) {
    throw error('env', 'must be an object of environment variables');
  }

  const fromEnvironment = (setting: TextSetting & { env: string }): string | undefined => {
    let value: unknown;
    try {
      value = env === undefined ? defaultEnvironment(setting.env) : (env as Environment)[setting.env];
    } catch (cause) {
      throw error(
        setting.name,
        `could not be read from ${setting.env} (the runtime denied it): pass settings.${setting.name} or allow reading ${setting.env}`,
        cause,
      );
    }
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw error(setting.name, `from ${setting.env} must be a string`);
    return value.trim() === '' ? undefined : value;
  };

  const check = (setting: TextSetting, value: string, source: string): string => {
    if (value.trim() === '') throw error(setting.name, `must be a non-empty string (${source})`);
    if (CONTROL.test(value)) {
      throw error(setting.name, `must not contain control characters such as CR or LF (${source})`);
    }
    if (setting.rule === 'header' && !HEADER_SAFE.test(value)) {
      throw error(setting.name, `must be printable ASCII: it is sent in a header (${source})`);
    }
    return value;
  };

  const text = (setting: TextSetting): string | undefined => {
    const value = given[setting.name];
    const source = setting.env ? `settings.${setting.name} or ${setting.env}` : `settings.${setting.name}`;
    if (value !== undefined) {
      if (typeof value !== 'string') throw error(setting.name, `must be a non-empty string (${source})`);
      return check(setting, value, source);
    }
    if (setting.env === undefined) return undefined;
    const fromEnv = fromEnvironment({ ...setting, env: setting.env });
    return fromEnv === undefined ? undefined : check(setting, fromEnv, source);
  };

  return {
    error,
    text,
    requiredText(setting, hint = '') {
      const value = text(setting);
      if (value !== undefined) return value;
      const where = setting.env
        ? `pass settings.${setting.name} or set the environment variable ${setting.env}`
        : `pass settings.${setting.name}`;
      throw error(setting.name, `is missing: ${where}${hint}`);
    },
    origin(name, value, fallback, options = {}) {
      if (value === undefined) return fallback;
      const source = options.env ? ` (settings.${name} or ${options.env})` : '';
      const problem = `must be an http(s) URL such as ${fallback}${options.allowPath ? '' : ' (the origin only)'}, without user, password, query or fragment${source}`;
      if (typeof value !== 'string' || CONTROL.test(value) || /\s/.test(value)) throw error(name, problem);
      if (options.header && !HEADER_SAFE.test(value)) throw error(name, problem);
      let url: URL;
      try {
        url = new URL(value);
      } catch (cause) {
        throw error(name, problem, cause);
      }
      if (
        (url.protocol !== 'http:' && url.protocol !== 'https:') ||
        url.username !== '' ||
        url.password !== '' ||
        url.search !== '' ||
        url.hash !== '' ||
        value.includes('?') ||
        value.includes('#') ||
        (!options.allowPath && url.pathname !== '/')
      ) {
        throw error(name, problem);
      }
      return url.href.replace(/\/+$/, '');
    },
    integer(name, value, fallback, min, max) {
      if (value === undefined) return fallback;
      if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
        throw error(name, `must be a whole number from ${min} to ${max}`);
      }
      return value;
    },
  };
}

/** The shared settings as {@link checkClientSettings} checked them, each read once: what a client gives its transport. */
export type CheckedClientSettings = Pick<
  ClientSettings,
  'fetch' | 'timeout' | 'hooks' | 'logger' | 'loggerStyle' | 'rateLimiter' | 'clock'
> & { retry: RetryPolicy };

/**
 * Checks the settings every client passes to its transport (`fetch`, `timeout`, `retry`, `hooks`, `logger`,
 * `loggerStyle`, `rateLimiter`, `clock`), naming the setting of the first bad one, and answers them as read (each
 * read once), `retry` resolved to a policy over `retryDefaults`.
 */
export function checkClientSettings(
  read: SettingsReader,
  settings: ClientSettings,
  retryDefaults?: Partial<RetryPolicy>,
): CheckedClientSettings {
  const { fetch, timeout, retry, hooks, logger, loggerStyle, rateLimiter, clock } = settings;
  if (fetch !== undefined && typeof fetch !== 'function') throw read.error('fetch', 'must be a function');
  if (
    timeout !== undefined &&
    (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout <= 0 || timeout > MAX_TIMEOUT)
  ) {
    throw read.error('timeout', `must be a number of milliseconds from 1 to ${MAX_TIMEOUT}`);
  }
  if (hooks !== undefined) {
    if (typeof hooks !== 'object' || hooks === null) throw read.error('hooks', 'must be an object of hook functions');
    for (const name of ['onRequest', 'onResponse', 'onRetry', 'onError'] as const) {
      if (hooks[name] !== undefined && typeof hooks[name] !== 'function') {
        throw read.error('hooks', `.${name} must be a function`);
      }
    }
  }
  if (logger !== undefined && (typeof logger !== 'object' || logger === null)) {
    throw read.error('logger', 'must be a console-like or pino-like logger object');
  }
  if (loggerStyle !== undefined && !LOGGER_STYLES.has(loggerStyle)) {
    throw read.error('loggerStyle', 'must be "auto", "console" or "pino"');
  }
  if (
    rateLimiter !== undefined &&
    (typeof rateLimiter !== 'object' ||
      rateLimiter === null ||
      typeof rateLimiter.acquire !== 'function' ||
      typeof rateLimiter.penalize !== 'function')
  ) {
    throw read.error('rateLimiter', 'must have acquire(key, { signal }) and penalize(key, retryAfterMs)');
  }
  if (clock !== undefined && (typeof clock !== 'object' || clock === null || typeof clock.now !== 'function')) {
    throw read.error('clock', 'must be a ServerClock (see createServerClock)');
  }
  let policy: RetryPolicy;
  try {
    policy = resolveRetryPolicy(retry, retryDefaults);
  } catch (cause) {
    throw read.error('retry', `is invalid: ${(cause as Error).message}`);
  }
  return { fetch, timeout, retry: policy, hooks, logger, loggerStyle, rateLimiter, clock };
}
