// Shared by this package's tests only; not exported from index.ts and not part of the build.
import { fileURLToPath } from 'node:url';
import type { KingdeeSandbox } from '@refundkit/sandbox';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { bundleChildScript, type Child, startChild } from '../../../test-support/child-script.js';
import { createTestDatabase } from '../../../test-support/postgres.js';

/**
 * A new database on the run's PostgreSQL server for this test file (created before its tests), and `newPool()` for
 * pools on it, each a separate set of sessions as another process would have; every pool is ended after the file.
 */
export function useTestDatabase(): { url(): string; newPool(): pg.Pool } {
  let url: string | undefined;
  const pools: pg.Pool[] = [];
  beforeAll(async () => {
    url = await createTestDatabase();
  });
  afterAll(async () => {
    await Promise.all(pools.map((pool) => pool.end()));
  });
  const current = () => {
    if (url === undefined) throw new Error('the test database is created in beforeAll');
    return url;
  };
  return {
    url: current,
    newPool() {
      const pool = new pg.Pool({ connectionString: current(), max: 3 });
      pools.push(pool);
      return pool;
    },
  };
}

/** Starts `count` processes of `shared-account.child.ts` against one database and one Kingdee sandbox. */
export async function startSharers(
  count: number,
  databaseUrl: string,
  kd: KingdeeSandbox,
  extraEnv: Record<string, string> = {},
): Promise<Child[]> {
  const script = await bundleChildScript(fileURLToPath(new URL('./shared-account.child.ts', import.meta.url)));
  const env = {
    DATABASE_URL: databaseUrl,
    KINGDEE_CLIENT_ID: kd.credentials.clientId,
    KINGDEE_CLIENT_SECRET: kd.credentials.clientSecret,
    KINGDEE_APP_KEY: kd.credentials.appKey,
    KINGDEE_APP_SECRET: kd.credentials.appSecret,
    KINGDEE_DOMAIN: kd.credentials.domain,
    KINGDEE_BASE_URL: kd.url,
    TOKEN_KEY: `kingdee-app-token:${kd.credentials.clientId}:${kd.credentials.appKey}`,
    ...extraEnv,
  };
  const children = Array.from({ length: count }, () => startChild(script, env));
  await Promise.all(children.map((child) => child.message((m: { type: string }) => m.type === 'ready')));
  return children;
}

/** Asks every child to exit and waits for it. */
export async function stopSharers(children: readonly Child[]): Promise<void> {
  for (const child of children) if (child.process.exitCode === null) child.send({ type: 'exit' });
  await Promise.all(children.map((child) => child.exit));
}
