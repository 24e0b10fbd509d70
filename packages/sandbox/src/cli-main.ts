/**
 * The `refundkit-sandbox` command without its process wiring, so it can be tested: parses the arguments, starts both
 * sandboxes and prints their URLs and credentials.
 */
import { parseArgs } from 'node:util';
import { type KingdeeSandbox, startKingdeeSandbox } from './kingdee-sandbox.js';
import { startWangdianSandbox, type WangdianSandbox } from './wangdian-sandbox.js';

export const CLI_USAGE = `Usage: refundkit-sandbox [options]

Starts local Kingdee and Wangdian gateway sandboxes on 127.0.0.1 and prints their URLs and (fake) credentials.
Runs until SIGINT or SIGTERM.

Options:
  --kingdee-port <n>    port of the Kingdee sandbox (default: a free port)
  --wangdian-port <n>   port of the Wangdian sandbox (default: a free port)
  --token-ttl <ms>      Kingdee app-token lifetime in ms (default 24 h)
  --max-batch <n>       most rows per Wangdian upload (default 100)
  --erp-step-seconds <n>  seconds one Wangdian ERP step takes, in real time (default 3600)
  --seed <n>            fault PRNG seed (default 1)
  --json                print one JSON line instead of text
  -h, --help            show this help`;

/** Both running sandboxes, and a way to stop them. */
export interface RunningSandboxes {
  kingdee: KingdeeSandbox;
  wangdian: WangdianSandbox;
  close(): Promise<void>;
}

function integer(name: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min) throw new RangeError(`--${name} must be an integer >= ${min}`);
  return Number(value);
}

/**
 * Runs the CLI: parses `argv` (without `node` and the script), starts both sandboxes and writes their URLs and
 * credentials through `print`, one line per call. Returns `undefined` after printing the help for `--help`; throws a
 * `TypeError`/`RangeError` naming a bad flag.
 *
 * @example
 * const running = await runSandboxCli(['--json'], console.log);
 * await running?.close();
 */
export async function runSandboxCli(
  argv: readonly string[],
  print: (line: string) => void,
): Promise<RunningSandboxes | undefined> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      'kingdee-port': { type: 'string' },
      'wangdian-port': { type: 'string' },
      'token-ttl': { type: 'string' },
      'max-batch': { type: 'string' },
      'erp-step-seconds': { type: 'string' },
      seed: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    print(CLI_USAGE);
    return undefined;
  }
  const kingdeePort = integer('kingdee-port', values['kingdee-port'], 0);
  const wangdianPort = integer('wangdian-port', values['wangdian-port'], 0);
  const tokenTtlMs = integer('token-ttl', values['token-ttl'], 1);
  const maxBatch = integer('max-batch', values['max-batch'], 1);
  const erpStepSeconds = integer('erp-step-seconds', values['erp-step-seconds'], 1);
  const seed = integer('seed', values.seed, 0);
  const kingdee = await startKingdeeSandbox({
    ...(kingdeePort === undefined ? {} : { port: kingdeePort }),
    ...(tokenTtlMs === undefined ? {} : { tokenTtlMs }),
    ...(seed === undefined ? {} : { seed }),
  });
  let wangdian: WangdianSandbox;
  try {
    wangdian = await startWangdianSandbox({
      ...(wangdianPort === undefined ? {} : { port: wangdianPort }),
      ...(maxBatch === undefined ? {} : { maxBatch }),
      ...(erpStepSeconds === undefined ? {} : { erp: { stepMs: erpStepSeconds * 1000 } }),
      ...(seed === undefined ? {} : { seed }),
    });
  } catch (error) {
    await kingdee.close();
    throw error;
  }
  if (values.json) {
    print(
      JSON.stringify({
        kingdee: { url: kingdee.url, credentials: kingdee.credentials },
        wangdian: { url: wangdian.url, endpoint: `${wangdian.url}/openapi`, credentials: wangdian.credentials },
      }),
    );
  } else {
    const k = kingdee.credentials;
    const w = wangdian.credentials;
    print(`Kingdee sandbox   ${kingdee.url}`);
    print(`  clientId ${k.clientId}  clientSecret ${k.clientSecret}`);
    print(`  appKey ${k.appKey}  appSecret ${k.appSecret}`);
    print(`  domain ${k.domain}  outerInstanceId ${k.outerInstanceId}`);
    print(`Wangdian sandbox  ${wangdian.url}/openapi`);
    print(`  sid ${w.sid}  appKey ${w.appKey}  appSecret ${w.appSecret}  shops ${wangdian.shops.join(',')}`);
    print('Press Ctrl+C to stop.');
  }
  return {
    kingdee,
    wangdian,
    close: async () => {
      await Promise.all([kingdee.close(), wangdian.close()]);
    },
  };
}
