// A process sharing one Kingdee account through PostgreSQL, driven by the tests in this folder over JSON lines
// (stdin: commands, stdout: answers). Tests bundle and start it with test-support/child-script.ts. It never prints
// a token: answers carry a digest of it.
import { createHash } from 'node:crypto';
import { createInterface } from 'node:readline';
import { createKingdeeRetailClient, type KingdeeAppToken } from '@refundkit/kingdee-retail';
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

/** The real Kingdee client, sharing the account through the store and the limiter like an app would. */
const client = () =>
  createKingdeeRetailClient({
    clientId: need('KINGDEE_CLIENT_ID'),
    clientSecret: need('KINGDEE_CLIENT_SECRET'),
    appKey: need('KINGDEE_APP_KEY'),
    appSecret: need('KINGDEE_APP_SECRET'),
    domain: need('KINGDEE_DOMAIN'),
    baseUrl: need('KINGDEE_BASE_URL'),
    tokenStore: store,
    ...(limiter ? { rateLimiter: limiter } : {}),
  });
let kingdee: ReturnType<typeof client> | undefined;

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
  | { type: 'saves'; count: number; prefix: string }
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
    case 'saves':
      kingdee ??= client();
      for (let i = 0; i < command.count; i++) {
        await kingdee.refundSave({
          channel_order_no: null,
          cmd: 'pay.refund',
          mch_id: 'M1001',
          order_no: `${command.prefix}-${i}`,
          refund_amount: '5000',
          refund_desc: '客户退货',
          refund_no: `${command.prefix}-${i}`,
          service_group_name: null,
          shop_id: 'S0002',
          sign_msg: '1',
          terminal_ip: '127.0.0.1',
          terminal_no: '0002',
        });
      }
      say({ type: 'saved', count: command.count });
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
