// A process sharing one Kingdee account through PostgreSQL, driven by the tests in this folder over JSON lines
// (stdin: commands, stdout: answers). Tests bundle and start it with test-support/child-script.ts. It never prints
// a token: answers carry a digest of it.
import { createHash } from 'node:crypto';
import { createInterface } from 'node:readline';
import type { KingdeeAppToken } from '@refundkit/kingdee-retail';
import { kingdeeAppSignature, kingdeeNonce, signKingdeeRequest } from '@refundkit/signing';
import pg from 'pg';
import { createPostgresRateLimiter } from './postgres-rate-limiter.js';
import { createPostgresTokenStore } from './postgres-token-store.js';

/** A setting the test gave in the environment. */
function need(name: string): string {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
}

const pool = new pg.Pool({ connectionString: need('DATABASE_URL'), max: 4 });
const store = createPostgresTokenStore({ pool });
const limiter = process.env.RATE_PER_MINUTE
  ? createPostgresRateLimiter({ pool, perMinute: Number(need('RATE_PER_MINUTE')), burst: Number(need('RATE_BURST')) })
  : undefined;
const TOKEN_PATH = '/jdyconnector/app_management/kingdee_auth_token';

const say = (message: unknown) => process.stdout.write(`${JSON.stringify(message)}\n`);
const digest = (token: KingdeeAppToken) => createHash('sha256').update(token.appToken).digest('hex').slice(0, 16);

/** The app-token call itself, signed as the gateway requires (the sandbox counts every token it issues). */
async function fetchFromSandbox(): Promise<KingdeeAppToken> {
  const query: Array<[string, string]> = [
    ['app_key', need('KINGDEE_APP_KEY')],
    ['app_signature', kingdeeAppSignature({ appKey: need('KINGDEE_APP_KEY'), appSecret: need('KINGDEE_APP_SECRET') })],
  ];
  const nonce = kingdeeNonce();
  const timestamp = String(Date.now());
  const signature = signKingdeeRequest({
    clientSecret: need('KINGDEE_CLIENT_SECRET'),
    method: 'GET',
    path: TOKEN_PATH,
    query,
    nonce,
    timestamp,
  });
  const response = await fetch(`${need('KINGDEE_BASE_URL')}${TOKEN_PATH}?${new URLSearchParams(query)}`, {
    headers: {
      'X-Api-ClientID': need('KINGDEE_CLIENT_ID'),
      'X-Api-Auth-Version': '2.0',
      'X-Api-TimeStamp': timestamp,
      'X-Api-Nonce': nonce,
      'X-Api-SignHeaders': 'X-Api-TimeStamp,X-Api-Nonce',
      'X-Api-Signature': signature,
    },
  });
  const answer = (await response.json()) as { errcode: number; data: { 'app-token': string; expires: number } };
  if (answer.errcode !== 0) throw new Error(`the token call failed with ${answer.errcode}`);
  return { appToken: answer.data['app-token'], expires: Number(answer.data.expires) };
}

let held: KingdeeAppToken | undefined;

type Command =
  | { type: 'refresh'; stale: boolean }
  | { type: 'hang' }
  | { type: 'calls'; count: number; key: string }
  | { type: 'exit' };

async function run(command: Command): Promise<void> {
  switch (command.type) {
    case 'refresh': {
      let fetched = false;
      held = await store.refresh(
        need('TOKEN_KEY'),
        async () => {
          fetched = true;
          return fetchFromSandbox();
        },
        command.stale ? held : undefined,
      );
      say({ type: 'refreshed', fetched, token: digest(held) });
      return;
    }
    case 'hang':
      // Takes the lock and never finishes fetching: the test kills this process while it holds the lock.
      await store.refresh(
        need('TOKEN_KEY'),
        () => {
          say({ type: 'fetching' });
          return new Promise<KingdeeAppToken>(() => {});
        },
        undefined,
      );
      return;
    case 'calls':
      for (let i = 0; i < command.count; i++) {
        await limiter?.acquire(command.key);
        await fetch(`${need('KINGDEE_BASE_URL')}/jdy/v2/ls/refundSave`, { method: 'POST', body: '{}' }).then((r) =>
          r.text(),
        );
      }
      say({ type: 'called', count: command.count });
      return;
    case 'exit':
      await pool.end();
      process.exit(0);
  }
}

say({ type: 'ready' });
for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() === '') continue;
  run(JSON.parse(line) as Command).catch((error: unknown) => {
    say({ type: 'error', message: (error as Error).message, code: (error as { code?: string }).code });
  });
}
