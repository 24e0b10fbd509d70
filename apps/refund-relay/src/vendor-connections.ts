import { createKingdeeRetailClient, KINGDEE_ENV } from '@refundkit/kingdee-retail';
import {
  type KingdeeFault,
  type KingdeeSandbox,
  startKingdeeSandbox,
  startWangdianSandbox,
  type WangdianFault,
  type WangdianSandbox,
} from '@refundkit/sandbox';
import { createWangdianClient, WANGDIAN_ENV } from '@refundkit/wangdian-aftersales';
import type { Vendor } from './outbox-store.js';
import type { RelayConfig } from './relay-config.js';
import { SAMPLE_SHOPS } from './sample-refunds.js';
import type { VendorPort } from './vendor-port.js';
import { createKingdeePort, createWangdianPort } from './vendor-ports.js';

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
  close(): Promise<void>;
}

/** Options of `connectVendors` beyond the configuration. */
export interface ConnectOptions {
  env: Env;
  /** Shops the in-process Wangdian sandbox should know (besides the sample's and the configured one). */
  shops?: Iterable<string>;
  /** Faults for in-process sandboxes (the demo's `--faults`). */
  sandboxFaults?: { kingdee?: KingdeeFault[]; wangdian?: WangdianFault[] };
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
  try {
    let kingdeePort: VendorPort;
    let kingdeeTarget: string;
    if (!config.sandbox && hasCredentials('kingdee', config, env)) {
      const settings = credentialSettings(config.credentials.kingdee, KINGDEE_ENV, env);
      const client = createKingdeeRetailClient({
        ...settings,
        ...(config.kingdee.baseUrl ? { baseUrl: config.kingdee.baseUrl } : {}),
        timeout: config.timeoutMs,
        retry: false,
      });
      secrets.push(settings.clientSecret ?? '', settings.appSecret ?? '');
      kingdeePort = createKingdeePort(client, mappingOf(config));
      kingdeeTarget = config.kingdee.baseUrl ?? 'https://api.kingdee.com';
    } else {
      const kd = await startKingdeeSandbox({
        ...(options.sandboxFaults?.kingdee ? { faults: options.sandboxFaults.kingdee } : {}),
      });
      sandboxes.kingdee = kd;
      closers.push(() => kd.close());
      secrets.push(kd.credentials.clientSecret, kd.credentials.appSecret);
      const client = createKingdeeRetailClient({
        ...kd.credentials,
        baseUrl: kd.url,
        timeout: config.timeoutMs,
        retry: false,
      });
      kingdeePort = createKingdeePort(client, mappingOf(config));
      kingdeeTarget = `sandbox ${kd.url}`;
    }

    let wangdianPort: VendorPort;
    let wangdianTarget: string;
    const portOptions = {
      maxRows: config.wangdian.maxRows,
      ...(config.wangdian.shopNo ? { shopNo: config.wangdian.shopNo } : {}),
    };
    const clientOptions = {
      timeout: config.timeoutMs,
      retry: false as const,
      maxBatch: config.wangdian.maxRows,
      rateLimitBackoffMs: config.wangdian.rateLimitPauseMs,
    };
    if (!config.sandbox && hasCredentials('wangdian', config, env)) {
      const settings = credentialSettings(config.credentials.wangdian, WANGDIAN_ENV, env);
      const client = createWangdianClient({
        ...settings,
        ...(config.wangdian.baseUrl ? { baseUrl: config.wangdian.baseUrl } : {}),
        ...clientOptions,
      });
      const appSecret = settings.appSecret ?? '';
      secrets.push(appSecret, ...appSecret.split(':'));
      wangdianPort = createWangdianPort(client, portOptions);
      wangdianTarget = config.wangdian.baseUrl ?? 'http://wdt.wangdian.cn';
    } else {
      const shops = new Set<string>([...SAMPLE_SHOPS, ...(options.shops ?? [])]);
      if (config.wangdian.shopNo) shops.add(config.wangdian.shopNo);
      const wd = await startWangdianSandbox({
        shops: [...shops],
        maxBatch: 100,
        ...(options.sandboxFaults?.wangdian ? { faults: options.sandboxFaults.wangdian } : {}),
      });
      sandboxes.wangdian = wd;
      closers.push(() => wd.close());
      secrets.push(wd.credentials.appSecret, ...wd.credentials.appSecret.split(':'));
      const client = createWangdianClient({ ...wd.credentials, baseUrl: wd.url, ...clientOptions });
      wangdianPort = createWangdianPort(client, portOptions);
      wangdianTarget = `sandbox ${wd.url}`;
    }
    return {
      ports: { kingdee: kingdeePort, wangdian: wangdianPort },
      targets: { kingdee: kingdeeTarget, wangdian: wangdianTarget },
      secrets: secrets.filter((secret) => secret.length > 0),
      sandboxes,
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
