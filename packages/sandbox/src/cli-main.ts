/**
 * The `refundkit-sandbox` command without its process wiring, so it can be tested: parses the arguments, starts both
 * sandboxes and prints their URLs and credentials.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import {
  KINGDEE_CLI_OPTIONS,
  KINGDEE_CLI_USAGE,
  KINGDEE_COMMAND_USAGE,
  kingdeeOptionsFromCli,
  runKingdeeCommand,
} from './kingdee-cli.js';
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
${KINGDEE_CLI_USAGE}
  --json                print one JSON line instead of text
  -h, --help            show this help

${KINGDEE_COMMAND_USAGE}`;

/** Both running sandboxes, and a way to stop them. */
export interface RunningSandboxes {
  kingdee: KingdeeSandbox;
  wangdian: WangdianSandbox;
  /** Runs one command line read on standard input (`kingdee rotate-app-secret`, ...) and answers the line to print. */
  command(line: string): string;
  close(): Promise<void>;
}

/**
 * `parseArgs`, with its errors as one line naming the flag: its own text suggests `--` tricks and may quote binary
 * input back.
 */
function parseFlags<const T extends ParseArgsConfig>(config: T) {
  try {
    return parseArgs<T>(config);
  } catch (error) {
    const code = (error as { code?: string }).code;
    const flag = /'(-[^'\s]*)/.exec((error as Error).message)?.[1];
    const named = flag && /^[\w-]{1,40}$/.test(flag) ? `${flag} ` : '';
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new TypeError(`unknown option ${named}(see --help)`);
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') throw new TypeError(`${named || 'an option '}needs a value`);
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') throw new TypeError('takes no arguments (see --help)');
    throw error;
  }
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
  const { values } = parseFlags({
    args: [...argv],
    options: {
      'kingdee-port': { type: 'string' },
      'wangdian-port': { type: 'string' },
      'token-ttl': { type: 'string' },
      'max-batch': { type: 'string' },
      'erp-step-seconds': { type: 'string' },
      seed: { type: 'string' },
      ...KINGDEE_CLI_OPTIONS,
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
    ...kingdeeOptionsFromCli(values),
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
    // What a client's `baseUrl` takes: the origin (the Wangdian client adds /openapi itself).
    print(`Kingdee sandbox   baseUrl ${kingdee.url}`);
    print(`  clientId ${k.clientId}  clientSecret ${k.clientSecret}`);
    print(`  appKey ${k.appKey}  appSecret ${k.appSecret}`);
    print(`  domain ${k.domain}  outerInstanceId ${k.outerInstanceId}`);
    print(`Wangdian sandbox  baseUrl ${wangdian.url}`);
    print(`  sid ${w.sid}  appKey ${w.appKey}  appSecret ${w.appSecret}  shops ${wangdian.shops.join(',')}`);
    print('Press Ctrl+C to stop.');
  }
  return {
    kingdee,
    wangdian,
    command(line) {
      const [vendor, ...words] = line.trim().split(/\s+/);
      if (vendor === 'kingdee') return runKingdeeCommand(kingdee, words);
      throw new RangeError(`unknown command ${JSON.stringify(line.trim())}; see --help`);
    },
    close: async () => {
      await Promise.all([kingdee.close(), wangdian.close()]);
    },
  };
}
