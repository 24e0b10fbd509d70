// Shared by this package's tests only; not exported from index.ts and not part of the build.
import { fileURLToPath } from 'node:url';
import type { KingdeeSandbox } from '@refundkit/sandbox';
import { bundleChildScript, type Child, startChild } from '../../../test-support/child-script.js';

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
