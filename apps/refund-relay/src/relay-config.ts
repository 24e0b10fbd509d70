import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CRASH_AT_ENV, parseCrashAt, type TestHookSetting } from './test-hook.js';

/** Settings of one vendor's delivery. */
export interface VendorDeliveryConfig {
  /** Vendor calls in flight at once. */
  concurrency: number;
  /** Calls allowed in any 60 s window; 0 = no limit. */
  ratePerMinute: number;
  /** Calls that may go at once (default: see `createTokenBucket`). */
  burst?: number;
  /** Gateway origin; default the vendor's production origin (or the sandbox's). */
  baseUrl?: string;
}

/** Everything the relay can be configured with, after defaults, config file, environment and flags. */
export interface RelayConfig {
  db: string;
  /** Use an outbox file other users may read (`--allow-shared-database-file`); refused otherwise. */
  allowSharedDatabaseFile: boolean;
  /**
   * A PostgreSQL outbox (`postgres://…`) shared by several relay processes, used instead of the SQLite file `db`
   * (`--database`, env `REFUND_RELAY_DATABASE_URL`, config file `database`).
   */
  database?: string;
  json: boolean;
  /** Attempts (including the first) before a retryable failure is dead-lettered. */
  maxAttempts: number;
  backoff: { baseMs: number; maxMs: number };
  /** Milliseconds one vendor call may take. */
  timeoutMs: number;
  /** Use in-process sandboxes even when credentials are present. */
  sandbox: boolean;
  kingdee: VendorDeliveryConfig & { cmd: string; signMsg: string; amountUnit?: 'fen' | 'yuan' };
  wangdian: VendorDeliveryConfig & {
    /** Upload every refund to this shop; default each refund's own `shopCode`. */
    shopNo?: string;
    /** Most rows per upload call. */
    maxRows: number;
    /** Wait before retrying a Wangdian rate-limit answer (ms). */
    rateLimitPauseMs: number;
    /** The push method: `upload` (platform shops, the default) or `upload2` (own-platform shops; refused rows listed). */
    push: 'upload' | 'upload2';
  };
  /** Following delivered refunds (`follow`, `deliver --follow`). */
  follow: {
    /** How long `follow --until-final` and `deliver --follow` keep following before they stop (ms). */
    timeoutMs: number;
    /** Time between two follow passes (ms). */
    intervalMs: number;
    /** How long after delivery a refund the vendor does not show counts as missing (ms). */
    missingAfterMs: number;
  };
  /** Credentials given in the config file; the environment wins over them. Never printed. */
  credentials: { kingdee: Record<string, string>; wangdian: Record<string, string> };
  /**
   * The test hook (see `test-hook.ts`): from `--pause-after N` (freeze at arrival N + 1 at `after-answer`) or the
   * environment's `REFUND_RELAY_CRASH_AT=<point>[:<n>]` (SIGKILL at that arrival). Never set otherwise.
   */
  testHook?: TestHookSetting;
}

/** The defaults: Kingdee at 500 calls a minute (the integrators' figure), Wangdian batches of 100 rows. */
export function defaultRelayConfig(env: Readonly<Record<string, string | undefined>>): RelayConfig {
  return {
    db: join(env.HOME ?? '.', '.refund-relay', 'outbox.db'),
    allowSharedDatabaseFile: false,
    json: false,
    maxAttempts: 8,
    backoff: { baseMs: 1_000, maxMs: 300_000 },
    timeoutMs: 30_000,
    sandbox: false,
    kingdee: { concurrency: 4, ratePerMinute: 500, cmd: 'pay.refund', signMsg: '1' },
    wangdian: { concurrency: 2, ratePerMinute: 0, maxRows: 100, rateLimitPauseMs: 60_000, push: 'upload' },
    follow: { timeoutMs: 10 * 60_000, intervalMs: 30_000, missingAfterMs: 30 * 60_000 },
    credentials: { kingdee: {}, wangdian: {} },
  };
}

/** The command-line options every command shares, as `node:util` `parseArgs` declares them. */
export const CONFIG_OPTIONS = {
  db: { type: 'string' },
  'allow-shared-database-file': { type: 'boolean' },
  database: { type: 'string' },
  json: { type: 'boolean' },
  config: { type: 'string' },
  sandbox: { type: 'boolean' },
  'max-attempts': { type: 'string' },
  'backoff-ms': { type: 'string' },
  'backoff-max-ms': { type: 'string' },
  'timeout-ms': { type: 'string' },
  'kingdee-concurrency': { type: 'string' },
  'kingdee-rate': { type: 'string' },
  'kingdee-burst': { type: 'string' },
  'kingdee-url': { type: 'string' },
  'kingdee-cmd': { type: 'string' },
  'kingdee-sign-msg': { type: 'string' },
  'kingdee-amount-unit': { type: 'string' },
  'wangdian-concurrency': { type: 'string' },
  'wangdian-rate': { type: 'string' },
  'wangdian-burst': { type: 'string' },
  'wangdian-url': { type: 'string' },
  'wangdian-shop': { type: 'string' },
  'wangdian-batch': { type: 'string' },
  'wangdian-rate-limit-pause-ms': { type: 'string' },
  'wangdian-push': { type: 'string' },
  'follow-timeout': { type: 'string' },
  'follow-interval': { type: 'string' },
  'missing-after': { type: 'string' },
  'pause-after': { type: 'string' },
} as const;

type FlagValues = {
  [K in keyof typeof CONFIG_OPTIONS]?: (typeof CONFIG_OPTIONS)[K]['type'] extends 'boolean' ? boolean : string;
};

/** The credential names a config file may give per vendor (the clients' setting names). */
const CREDENTIAL_NAMES = {
  kingdee: ['clientId', 'clientSecret', 'appKey', 'appSecret', 'domain', 'outerInstanceId'],
  wangdian: ['sid', 'appKey', 'appSecret'],
} as const satisfies Record<string, readonly string[]>;

/** A configuration mistake: the CLI prints it and exits 1. */
export class RelayConfigError extends Error {
  override name = 'RelayConfigError';
}

/**
 * Resolves the configuration: defaults, then the JSON config file (`--config`), then environment variables
 * (`REFUND_RELAY_DB`, `REFUND_RELAY_DATABASE_URL`, `KINGDEE_BASE_URL`, `WANGDIAN_BASE_URL`, `WANGDIAN_SHOP_NO`),
 * then flags. Every number is
 * checked; a bad value throws a `RelayConfigError` naming the flag or key.
 *
 * @example
 * resolveRelayConfig({ db: './outbox.db', 'kingdee-rate': '300' }, process.env);
 */
export function resolveRelayConfig(flags: FlagValues, env: Readonly<Record<string, string | undefined>>): RelayConfig {
  const config = defaultRelayConfig(env);
  if (flags.config) applyConfigFile(config, flags.config);
  if (env.REFUND_RELAY_DB) config.db = env.REFUND_RELAY_DB;
  if (env.REFUND_RELAY_DATABASE_URL)
    config.database = databaseUrl(env.REFUND_RELAY_DATABASE_URL, 'REFUND_RELAY_DATABASE_URL');
  if (env.KINGDEE_BASE_URL) config.kingdee.baseUrl = env.KINGDEE_BASE_URL;
  if (env.WANGDIAN_BASE_URL) config.wangdian.baseUrl = env.WANGDIAN_BASE_URL;
  if (env.WANGDIAN_SHOP_NO) config.wangdian.shopNo = env.WANGDIAN_SHOP_NO;

  if (flags.db) config.db = flags.db;
  if (flags['allow-shared-database-file']) config.allowSharedDatabaseFile = true;
  if (flags.database) config.database = databaseUrl(flags.database, '--database');
  if (flags.json) config.json = true;
  if (flags.sandbox) config.sandbox = true;
  const int = (name: keyof FlagValues, min: number) => {
    const raw = flags[name];
    return raw === undefined ? undefined : integer(String(raw), `--${name}`, min);
  };
  config.maxAttempts = int('max-attempts', 1) ?? config.maxAttempts;
  config.backoff.baseMs = int('backoff-ms', 0) ?? config.backoff.baseMs;
  config.backoff.maxMs = int('backoff-max-ms', 0) ?? config.backoff.maxMs;
  config.timeoutMs = int('timeout-ms', 1) ?? config.timeoutMs;
  config.kingdee.concurrency = int('kingdee-concurrency', 1) ?? config.kingdee.concurrency;
  config.kingdee.ratePerMinute = int('kingdee-rate', 0) ?? config.kingdee.ratePerMinute;
  setOptional(config.kingdee, 'burst', int('kingdee-burst', 1));
  setOptional(config.kingdee, 'baseUrl', flags['kingdee-url']);
  config.kingdee.cmd = flags['kingdee-cmd'] ?? config.kingdee.cmd;
  config.kingdee.signMsg = flags['kingdee-sign-msg'] ?? config.kingdee.signMsg;
  const unit = flags['kingdee-amount-unit'];
  if (unit !== undefined) config.kingdee.amountUnit = amountUnit(unit, '--kingdee-amount-unit');
  config.wangdian.concurrency = int('wangdian-concurrency', 1) ?? config.wangdian.concurrency;
  config.wangdian.ratePerMinute = int('wangdian-rate', 0) ?? config.wangdian.ratePerMinute;
  setOptional(config.wangdian, 'burst', int('wangdian-burst', 1));
  setOptional(config.wangdian, 'baseUrl', flags['wangdian-url']);
  setOptional(config.wangdian, 'shopNo', flags['wangdian-shop']);
  config.wangdian.maxRows = int('wangdian-batch', 1) ?? config.wangdian.maxRows;
  config.wangdian.rateLimitPauseMs = int('wangdian-rate-limit-pause-ms', 0) ?? config.wangdian.rateLimitPauseMs;
  const push = flags['wangdian-push'];
  if (push !== undefined) config.wangdian.push = pushMethod(push, '--wangdian-push');
  const duration = (name: 'follow-timeout' | 'follow-interval' | 'missing-after') => {
    const raw = flags[name];
    return raw === undefined ? undefined : durationMs(raw, `--${name}`);
  };
  config.follow.timeoutMs = duration('follow-timeout') ?? config.follow.timeoutMs;
  config.follow.intervalMs = duration('follow-interval') ?? config.follow.intervalMs;
  config.follow.missingAfterMs = duration('missing-after') ?? config.follow.missingAfterMs;
  const pauseAfter = int('pause-after', 0);
  const crashAt = env[CRASH_AT_ENV];
  if (pauseAfter !== undefined && crashAt) {
    throw new RelayConfigError(`--pause-after and ${CRASH_AT_ENV} are one test hook; set only one of them`);
  }
  if (pauseAfter !== undefined) config.testHook = { point: 'after-answer', nth: pauseAfter + 1, action: 'pause' };
  if (crashAt) {
    const setting = parseCrashAt(crashAt);
    if (typeof setting === 'string') throw new RelayConfigError(setting);
    config.testHook = setting;
  }
  if (config.wangdian.maxRows > 100)
    throw new RelayConfigError('--wangdian-batch must be at most 100 (the vendor limit)');
  return config;
}

function setOptional<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

function integer(raw: string, name: string, min: number): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < min) {
    throw new RelayConfigError(`${name} must be a whole number of at least ${min}`);
  }
  return value;
}

function databaseUrl(raw: string, name: string): string {
  if (!/^postgres(ql)?:\/\/./.test(raw)) throw new RelayConfigError(`${name} must be a postgres:// URL`);
  return raw;
}

function pushMethod(raw: unknown, name: string): 'upload' | 'upload2' {
  if (raw === 'upload' || raw === 'upload2') return raw;
  throw new RelayConfigError(`${name} must be upload or upload2`);
}

/**
 * Reads a duration: a whole number of days, hours, minutes or seconds (`30d`, `12h`, `90m`, `0s`), in ms. A bad one
 * throws a `RelayConfigError` naming `name`.
 *
 * @example
 * durationMs('10m', '--follow-timeout'); // 600000
 */
export function durationMs(raw: string, name: string): number {
  const match = /^(\d{1,9})([dhms])$/.exec(raw);
  if (!match) throw new RelayConfigError(`${name} must be a whole number with a unit d, h, m or s (such as 30d)`);
  const unit = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000 }[match[2] as 'd' | 'h' | 'm' | 's'];
  return Number(match[1]) * unit;
}

function amountUnit(raw: unknown, name: string): 'fen' | 'yuan' {
  if (raw === 'fen' || raw === 'yuan') return raw;
  throw new RelayConfigError(`${name} must be fen or yuan`);
}

/**
 * Reads the optional JSON config file. Keys mirror the flags: `db`, `database`, `maxAttempts`, `backoffMs`, `backoffMaxMs`,
 * `timeoutMs`, `kingdee: { concurrency, rate, burst, url, cmd, signMsg, amountUnit, credentials }`,
 * `wangdian: { concurrency, rate, burst, url, shop, batch, rateLimitPauseMs, push, credentials }`. Unknown keys are refused
 * (they are usually typos).
 */
function applyConfigFile(config: RelayConfig, path: string): void {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : 'not readable JSON';
    throw new RelayConfigError(`config file ${path}: ${why}`);
  }
  const root = objectAt(data, path);
  const where = (key: string) => `${path}: ${key}`;
  const num = (value: unknown, key: string, min: number) =>
    value === undefined ? undefined : integer(String(value), where(key), min);
  for (const [key, value] of Object.entries(root)) {
    switch (key) {
      case 'db':
        config.db = text(value, where(key));
        break;
      case 'database':
        config.database = databaseUrl(text(value, where(key)), where(key));
        break;
      case 'maxAttempts':
        config.maxAttempts = num(value, key, 1)!;
        break;
      case 'backoffMs':
        config.backoff.baseMs = num(value, key, 0)!;
        break;
      case 'backoffMaxMs':
        config.backoff.maxMs = num(value, key, 0)!;
        break;
      case 'timeoutMs':
        config.timeoutMs = num(value, key, 1)!;
        break;
      case 'kingdee':
      case 'wangdian':
        applyVendor(config, key, objectAt(value, where(key)), where(key), num);
        break;
      default:
        throw new RelayConfigError(`${where(key)} is not a refund-relay setting`);
    }
  }
}

function applyVendor(
  config: RelayConfig,
  vendor: 'kingdee' | 'wangdian',
  settings: Record<string, unknown>,
  where: string,
  num: (value: unknown, key: string, min: number) => number | undefined,
): void {
  const target = config[vendor];
  for (const [key, value] of Object.entries(settings)) {
    const at = `${vendor}.${key}`;
    if (key === 'concurrency') target.concurrency = num(value, at, 1)!;
    else if (key === 'rate') target.ratePerMinute = num(value, at, 0)!;
    else if (key === 'burst') target.burst = num(value, at, 1)!;
    else if (key === 'url') target.baseUrl = text(value, `${where}.url`);
    else if (key === 'credentials') {
      const credentials = objectAt(value, `${where}.credentials`);
      for (const [name, secret] of Object.entries(credentials)) {
        if (!(CREDENTIAL_NAMES[vendor] as readonly string[]).includes(name)) {
          throw new RelayConfigError(`${where}.credentials.${name} is not a ${vendor} credential`);
        }
        config.credentials[vendor][name] = text(secret, `${where}.credentials.${name}`);
      }
    } else if (vendor === 'kingdee' && key === 'cmd') config.kingdee.cmd = text(value, `${where}.cmd`);
    else if (vendor === 'kingdee' && key === 'signMsg') config.kingdee.signMsg = text(value, `${where}.signMsg`);
    else if (vendor === 'kingdee' && key === 'amountUnit')
      config.kingdee.amountUnit = amountUnit(value, `${where}.amountUnit`);
    else if (vendor === 'wangdian' && key === 'shop') config.wangdian.shopNo = text(value, `${where}.shop`);
    else if (vendor === 'wangdian' && key === 'batch') config.wangdian.maxRows = num(value, at, 1)!;
    else if (vendor === 'wangdian' && key === 'rateLimitPauseMs') config.wangdian.rateLimitPauseMs = num(value, at, 0)!;
    else if (vendor === 'wangdian' && key === 'push') config.wangdian.push = pushMethod(value, `${where}.push`);
    else throw new RelayConfigError(`${where}.${key} is not a refund-relay setting`);
  }
}

function objectAt(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RelayConfigError(`${where} must be a JSON object`);
  }
  return value as Record<string, unknown>;
}

function text(value: unknown, where: string): string {
  if (typeof value !== 'string' || value === '') throw new RelayConfigError(`${where} must be a non-empty string`);
  return value;
}
