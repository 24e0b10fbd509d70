import {
  createKingdeeRetailClient,
  createMemoryTokenStore,
  KINGDEE_ENV,
  type KingdeeRetailSettings,
  type KingdeeTokenStore,
} from '@refundkit/kingdee-retail';
import {
  type KingdeeFault,
  type KingdeeSandbox,
  startKingdeeSandbox,
  startWangdianSandbox,
  type WangdianFault,
  type WangdianSandbox,
} from '@refundkit/sandbox';
import { createServerClock, type RateLimiter } from '@refundkit/transport';
import { createWangdianClient, WANGDIAN_ENV, type WangdianClientSettings } from '@refundkit/wangdian-aftersales';
import { rawRefundUpload2 } from '@refundkit/wangdian-aftersales/endpoints';
import type { RelayClock } from './clock.js';
import type { VendorFollowPort } from './follow-port.js';
import { createKingdeeFollowPort, KINGDEE_FOLLOW_ENDPOINTS } from './kingdee-follow-port.js';
import type { Vendor } from './outbox-store.js';
import type { RelayConfig } from './relay-config.js';
import { SAMPLE_SHOPS } from './sample-refunds.js';
import type { TokenBucket } from './token-bucket.js';
import type { VendorPort } from './vendor-port.js';
import { createKingdeePort, createWangdianPort } from './vendor-ports.js';
import { createWangdianFollowPort, WANGDIAN_FOLLOW_ENDPOINTS } from './wangdian-follow-port.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The vendor ports the relay delivers through, where they point, and the secrets to keep out of any output. */
export interface VendorConnections {
  ports: Record<Vendor, VendorPort>;
  /** Where each vendor's calls go, for the operator: `sandbox http://127.0.0.1:…` or the gateway origin. */
  targets: Record<Vendor, string>;
  /** Every credential value in use (for the redactor). */
  secrets: string[];
  /** The in-process sandboxes, when used. */
  sandboxes: { kingdee?: KingdeeSandbox; wangdian?: WangdianSandbox };
  /**
   * The follow ports, on clients of their own that wait for `buckets` (the delivery's rate limiters) before every
   * call, so following and delivering share each vendor's rate limit.
   */
  followPorts(buckets: Record<Vendor, TokenBucket>): Record<Vendor, VendorFollowPort>;
  close(): Promise<void>;
}

/** Options of `connectVendors` beyond the configuration. */
export interface ConnectOptions {
  env: Env;
  /** Shops the in-process Wangdian sandbox should know (besides the sample's and the configured one). */
  shops?: Iterable<string>;
  /** Faults for in-process sandboxes (the demo's `--faults`). */
  sandboxFaults?: { kingdee?: KingdeeFault[]; wangdian?: WangdianFault[] };
  /** Where the Kingdee client keeps its app-token when it talks to a real gateway (see `openSharedAccounts`). */
  kingdeeTokenStore?: KingdeeTokenStore;
  /**
   * The relay's clock, which the clients sign and bound their query windows with, and in-process sandboxes run on
   * (default the system's).
   */
  clock?: RelayClock;
}

/** A transport rate limiter over a relay token bucket: every call of the client it is given to takes a token. */
function bucketLimiter(bucket: TokenBucket): RateLimiter {
  return {
    acquire: (_key, options) => bucket.take(options?.signal),
    penalize: async () => {},
  };
}

/** Whether the environment or the config file holds any credential of a vendor. */
export function hasCredentials(vendor: Vendor, config: RelayConfig, env: Env): boolean {
  const names = vendor === 'kingdee' ? Object.values(KINGDEE_ENV) : Object.values(WANGDIAN_ENV);
  return names.some((name) => (env[name] ?? '') !== '') || Object.keys(config.credentials[vendor]).length > 0;
}

/**
 * Builds both vendor ports. A vendor with credentials (its environment variables, which its client reads itself, or
 * the config file's `credentials`, used only where the environment has no value) talks to its real gateway, or to
 * `baseUrl` when set; a vendor without credentials, or every vendor with `sandbox: true`, talks to an in-process
 * sandbox started here (closed by `close()`). The relay owns retries, so the clients make a single try per call.
 */
export async function connectVendors(config: RelayConfig, options: ConnectOptions): Promise<VendorConnections> {
  const { env } = options;
  const sandboxes: VendorConnections['sandboxes'] = {};
  const secrets: string[] = [];
  const closers: (() => Promise<void>)[] = [];
  // Both clients of a vendor (delivery's and following's) share one app-token and the relay's clock.
  const tokenStore = options.kingdeeTokenStore ?? createMemoryTokenStore();
  const clock = options.clock ? { clock: createServerClock({ now: options.clock.now }) } : {};
  // In-process sandboxes run on the relay's clock too, so one clock moves the relay and the vendors' business.
  const sandboxClock = options.clock ? { now: options.clock.now } : {};
  try {
    let kingdeeTarget: string;
    let kingdeeSettings: KingdeeRetailSettings;
    if (!config.sandbox && hasCredentials('kingdee', config, env)) {
      const settings = credentialSettings(config.credentials.kingdee, KINGDEE_ENV, env);
      kingdeeSettings = {
        ...settings,
        ...(config.kingdee.baseUrl ? { baseUrl: config.kingdee.baseUrl } : {}),
        tokenStore,
        timeout: config.timeoutMs,
        retry: false,
        ...clock,
      };
      secrets.push(settings.clientSecret ?? '', settings.appSecret ?? '');
      kingdeeTarget = config.kingdee.baseUrl ?? 'https://api.kingdee.com';
    } else {
      const kd = await startKingdeeSandbox({
        ...(options.sandboxFaults?.kingdee ? { faults: options.sandboxFaults.kingdee } : {}),
        ...sandboxClock,
      });
      sandboxes.kingdee = kd;
      closers.push(() => kd.close());
      secrets.push(kd.credentials.clientSecret, kd.credentials.appSecret);
      kingdeeSettings = {
        ...kd.credentials,
        baseUrl: kd.url,
        tokenStore,
        timeout: config.timeoutMs,
        retry: false,
        ...clock,
      };
      kingdeeTarget = `sandbox ${kd.url}`;
    }
    const kingdeePort = createKingdeePort(createKingdeeRetailClient(kingdeeSettings), mappingOf(config));

    let wangdianTarget: string;
    let wangdianSettings: WangdianClientSettings;
    const portOptions = {
      maxRows: config.wangdian.maxRows,
      push: config.wangdian.push,
      ...(config.wangdian.shopNo ? { shopNo: config.wangdian.shopNo } : {}),
    };
    const clientOptions = {
      timeout: config.timeoutMs,
      retry: false as const,
      maxBatch: config.wangdian.maxRows,
      rateLimitBackoffMs: config.wangdian.rateLimitPauseMs,
      ...clock,
    };
    if (!config.sandbox && hasCredentials('wangdian', config, env)) {
      const settings = credentialSettings(config.credentials.wangdian, WANGDIAN_ENV, env);
      wangdianSettings = {
        ...settings,
        ...(config.wangdian.baseUrl ? { baseUrl: config.wangdian.baseUrl } : {}),
        ...clientOptions,
      };
      const appSecret = settings.appSecret ?? '';
      secrets.push(appSecret, ...appSecret.split(':'));
      wangdianTarget = config.wangdian.baseUrl ?? 'http://wdt.wangdian.cn';
    } else {
      const shops = new Set<string>([...SAMPLE_SHOPS, ...(options.shops ?? [])]);
      if (config.wangdian.shopNo) shops.add(config.wangdian.shopNo);
      const wd = await startWangdianSandbox({
        shops: [...shops],
        maxBatch: 100,
        ...(options.sandboxFaults?.wangdian ? { faults: options.sandboxFaults.wangdian } : {}),
        ...sandboxClock,
      });
      sandboxes.wangdian = wd;
      closers.push(() => wd.close());
      secrets.push(wd.credentials.appSecret, ...wd.credentials.appSecret.split(':'));
      wangdianSettings = { ...wd.credentials, baseUrl: wd.url, ...clientOptions };
      wangdianTarget = `sandbox ${wd.url}`;
    }
    const wangdianPort = createWangdianPort(
      createWangdianClient({ ...wangdianSettings, endpoints: { rawRefundUpload2 } }),
      portOptions,
    );
    return {
      ports: { kingdee: kingdeePort, wangdian: wangdianPort },
      targets: { kingdee: kingdeeTarget, wangdian: wangdianTarget },
      secrets: secrets.filter((secret) => secret.length > 0),
      sandboxes,
      followPorts: (buckets) => ({
        kingdee: createKingdeeFollowPort(
          createKingdeeRetailClient({
            ...kingdeeSettings,
            endpoints: KINGDEE_FOLLOW_ENDPOINTS,
            rateLimiter: bucketLimiter(buckets.kingdee),
          }),
          { mapping: mappingOf(config) },
        ),
        wangdian: createWangdianFollowPort(
          createWangdianClient({
            ...wangdianSettings,
            endpoints: WANGDIAN_FOLLOW_ENDPOINTS,
            rateLimiter: bucketLimiter(buckets.wangdian),
          }),
        ),
      }),
      close: async () => {
        await Promise.all(closers.map((close) => close()));
      },
    };
  } catch (error) {
    await Promise.all(closers.map((close) => close()));
    throw error;
  }
}

function mappingOf(config: RelayConfig) {
  return {
    cmd: config.kingdee.cmd,
    signMsg: config.kingdee.signMsg,
    ...(config.kingdee.amountUnit ? { amountUnit: config.kingdee.amountUnit } : {}),
  };
}

/**
 * The credential settings of a vendor client: each from its environment variable, else from the config file. Passing
 * them explicitly (rather than letting the client read `process.env`) keeps an injected environment authoritative.
 */
function credentialSettings(
  fromFile: Record<string, string>,
  variables: Readonly<Record<string, string>>,
  env: Env,
): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const [name, variable] of Object.entries(variables)) {
    const value = (env[variable] ?? '') !== '' ? env[variable] : fromFile[name];
    if (value !== undefined && value !== '') settings[name] = value;
  }
  return settings;
}
