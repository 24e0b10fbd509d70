// Test helper: both sandboxes over HTTP and the environment that points the relay at them as if they were the real
// gateways (credentials present, base URLs overridden).
import {
  type KingdeeSandbox,
  startKingdeeSandbox,
  startWangdianSandbox,
  type WangdianSandbox,
} from '@refundkit/sandbox';
import { SAMPLE_SHOPS } from '../src/sample-refunds.js';

export interface Sandboxes {
  kd: KingdeeSandbox;
  wd: WangdianSandbox;
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function startSandboxes(): Promise<Sandboxes> {
  const kd = await startKingdeeSandbox();
  const wd = await startWangdianSandbox({ shops: [...SAMPLE_SHOPS] });
  return { kd, wd, env: sandboxEnv(kd, wd), close: async () => void (await Promise.all([kd.close(), wd.close()])) };
}

/** The environment that points the relay at both sandboxes as if they were the real gateways. */
export function sandboxEnv(kd: KingdeeSandbox, wd: WangdianSandbox): Record<string, string> {
  return {
    KINGDEE_CLIENT_ID: kd.credentials.clientId,
    KINGDEE_CLIENT_SECRET: kd.credentials.clientSecret,
    KINGDEE_APP_KEY: kd.credentials.appKey,
    KINGDEE_APP_SECRET: kd.credentials.appSecret,
    KINGDEE_DOMAIN: kd.credentials.domain,
    KINGDEE_BASE_URL: kd.url,
    WANGDIAN_SID: wd.credentials.sid,
    WANGDIAN_APP_KEY: wd.credentials.appKey,
    WANGDIAN_APP_SECRET: wd.credentials.appSecret,
    WANGDIAN_BASE_URL: wd.url,
  };
}

/** Fast settings for tests: no rate limit, millisecond backoff, short Wangdian rate-limit pause. */
export const FAST_FLAGS = [
  '--kingdee-rate',
  '0',
  '--backoff-ms',
  '2',
  '--backoff-max-ms',
  '20',
  '--wangdian-rate-limit-pause-ms',
  '5',
  '--timeout-ms',
  '5000',
];

/** Captured output of an in-process CLI run. */
export function capture() {
  let stdout = '';
  let stderr = '';
  return {
    io: (env: Record<string, string | undefined>) => ({
      env,
      stdout: (text: string) => {
        stdout += text;
      },
      stderr: (text: string) => {
        stderr += text;
      },
      progressTty: false,
    }),
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
  };
}

/** Distinct refund numbers a sandbox stored, and how many rows/refunds were created, for exactly-once checks. */
export function storedAtVendors(s: Sandboxes) {
  const wdRefundNos = new Set([...s.wd.refunds.values()].map((stored) => String(stored.row.refund_no)));
  return {
    kingdee: new Set(s.kd.refunds.keys()),
    kingdeeCreated: s.kd.counters.newRefunds,
    wangdian: wdRefundNos,
    wangdianRows: s.wd.refunds.size,
    wangdianRowsCreated: s.wd.counters.newRows,
  };
}
