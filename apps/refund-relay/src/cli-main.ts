import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isRefundkitError } from '@refundkit/transport';
import { refundInputsToCsv } from './csv-refunds.js';
import { runDemo } from './demo.js';
import { type CommandIo, deliverCommand, pushCommand, statusCommand } from './relay-commands.js';
import { CONFIG_OPTIONS, type RelayConfig, RelayConfigError, resolveRelayConfig } from './relay-config.js';
import { generateSampleRefunds } from './sample-refunds.js';

/** The text of `refund-relay --help`. */
export const HELP = `refund-relay: a durable outbox that delivers refunds to Kingdee 精斗云 and Wangdian 旺店通 exactly once

Usage
  refund-relay demo                    relay the bundled sample through in-process sandboxes (no credentials)
  refund-relay push <files…>           validate and store refunds (JSON array, JSON Lines, CSV), then deliver
  refund-relay status [--failed]       deliveries per vendor and state; --failed lists failures with reasons
  refund-relay retry                   put failed and dead deliveries back to pending, then deliver
  refund-relay deliver                 deliver what is pending (e.g. after an interrupted run)
  refund-relay sample [--count N] [--seed N] [--out-dir DIR]   write a generated sample

Options
  --db <path>                 outbox file (env REFUND_RELAY_DB; default ~/.refund-relay/outbox.db)
  --database <postgres://…>   a PostgreSQL outbox several relays share, instead of the file (env REFUND_RELAY_DATABASE_URL)
  --config <file>             JSON config file (see README)
  --json                      machine-readable report on stdout, no progress
  --sandbox                   use in-process sandboxes even when credentials are set
  --max-attempts <n>          attempts before a retryable failure is dead-lettered (8)
  --backoff-ms <ms>           first retry delay before jitter (1000); --backoff-max-ms <ms> cap (300000)
  --timeout-ms <ms>           one vendor call's time limit (30000)
  --kingdee-concurrency <n>   Kingdee calls at once (4)
  --kingdee-rate <n>          Kingdee calls per minute, 0 = no limit (500); --kingdee-burst <n>
  --kingdee-cmd <text>        refundSave cmd (pay.refund); --kingdee-sign-msg <text> sign_msg (1)
  --kingdee-amount-unit <u>   refund_amount in fen (default) or yuan
  --kingdee-url <origin>      gateway origin (env KINGDEE_BASE_URL; default https://api.kingdee.com)
  --wangdian-concurrency <n>  Wangdian uploads at once (2)
  --wangdian-rate <n>         Wangdian calls per minute, 0 = no limit (0); --wangdian-burst <n>
  --wangdian-shop <shop_no>   upload every refund to this shop (env WANGDIAN_SHOP_NO; default each refund's shopCode)
  --wangdian-batch <n>        rows per upload, at most 100 (100)
  --wangdian-rate-limit-pause-ms <ms>  wait after a Wangdian rate-limit answer (60000)
  --wangdian-url <origin>     gateway origin (env WANGDIAN_BASE_URL; default http://wdt.wangdian.cn)
  demo only: --faults <0..1> share of faulted vendor calls (0.1); --keep-db keep the demo outbox

Credentials come from the environment (KINGDEE_CLIENT_ID, KINGDEE_CLIENT_SECRET, KINGDEE_APP_KEY, KINGDEE_APP_SECRET,
KINGDEE_DOMAIN or KINGDEE_OUTER_INSTANCE_ID; WANGDIAN_SID, WANGDIAN_APP_KEY, WANGDIAN_APP_SECRET) or the config file.
A vendor without credentials is served by an in-process sandbox. Secrets are never printed.

Exit codes: 0 everything delivered, 2 something was not (or input was invalid), 1 usage or configuration error.
`;

const OPTIONS = {
  ...CONFIG_OPTIONS,
  failed: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  faults: { type: 'string' },
  'keep-db': { type: 'boolean' },
  count: { type: 'string' },
  seed: { type: 'string' },
  'out-dir': { type: 'string' },
} as const;

/**
 * Runs the CLI with `argv` (without node and the script) and returns the exit code. Everything the process would
 * touch comes through `io`, so tests call it in-process.
 *
 * @example
 * process.exitCode = await main(process.argv.slice(2), { env: process.env, stdout: (t) => process.stdout.write(t), ... });
 */
export async function main(argv: readonly string[], io: CommandIo): Promise<number> {
  let parsed: ReturnType<typeof parseArgs<{ args: string[]; options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    io.stderr(`${(error as Error).message}\n\n${HELP}`);
    return 1;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || command === undefined || command === 'help') {
    io.stdout(HELP);
    return command === undefined && !values.help ? 1 : 0;
  }
  try {
    switch (command) {
      case 'demo':
        return (await runDemo(demoConfig(values, io), io, demoOptions(values))).exitCode;
      case 'push':
        if (rest.length === 0) throw new RelayConfigError('push needs at least one file');
        return (await pushCommand(rest, resolveRelayConfig(values, io.env), io)).exitCode;
      case 'status':
        return (await statusCommand(resolveRelayConfig(values, io.env), io, { failed: values.failed ?? false }))
          .exitCode;
      case 'retry':
      case 'deliver':
        return (await deliverCommand(resolveRelayConfig(values, io.env), io, { retry: command === 'retry' })).exitCode;
      case 'sample':
        return writeSample(values, io);
      default:
        throw new RelayConfigError(`unknown command "${command}" (see refund-relay --help)`);
    }
  } catch (error) {
    io.stderr(`refund-relay: ${describeFatal(error)}\n`);
    if (io.env.REFUND_RELAY_DEBUG) io.stderr(`${(error as Error).stack}\n`);
    return 1;
  }
}

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];

/**
 * The demo's configuration: the usual resolution, then demo defaults for what no flag set (a temporary outbox, a
 * rate limit and backoff sized for a local sandbox), so the demo finishes in seconds and still shows each mechanism.
 */
function demoConfig(values: Values, io: CommandIo): RelayConfig {
  const config = resolveRelayConfig(values, io.env);
  if (values.db === undefined) config.db = '';
  if (values['kingdee-rate'] === undefined) config.kingdee.ratePerMinute = 12_000;
  if (values['backoff-ms'] === undefined) config.backoff.baseMs = 50;
  if (values['backoff-max-ms'] === undefined) config.backoff.maxMs = 1_000;
  if (values['wangdian-rate-limit-pause-ms'] === undefined) config.wangdian.rateLimitPauseMs = 200;
  if (values['timeout-ms'] === undefined) config.timeoutMs = 5_000;
  return config;
}

function demoOptions(values: Values): { faultRate?: number; keepDb?: boolean } {
  const options: { faultRate?: number; keepDb?: boolean } = {};
  if (values.faults !== undefined) {
    const rate = Number(values.faults);
    if (!(rate >= 0 && rate <= 0.9)) throw new RelayConfigError('--faults must be a share between 0 and 0.9');
    options.faultRate = rate;
  }
  if (values['keep-db']) options.keepDb = true;
  return options;
}

function writeSample(values: Values, io: CommandIo): number {
  const count = Number(values.count ?? 300);
  const seed = Number(values.seed ?? 20240615);
  if (!Number.isSafeInteger(count) || count < 10)
    throw new RelayConfigError('--count must be a whole number of at least 10');
  if (!Number.isSafeInteger(seed)) throw new RelayConfigError('--seed must be a whole number');
  const dir = values['out-dir'] ?? '.';
  mkdirSync(dir, { recursive: true });
  const sample = generateSampleRefunds({ count, seed });
  writeFileSync(join(dir, 'refunds.jsonl'), `${sample.records.map((r) => JSON.stringify(r)).join('\n')}\n`);
  writeFileSync(join(dir, 'refunds-update.csv'), refundInputsToCsv(sample.updates));
  io.stdout(`${JSON.stringify({ dir, ...sample.expected })}\n`);
  return 0;
}

/** A fatal error's message for the operator: refundkit errors and configuration errors as they are, others briefly. */
function describeFatal(error: unknown): string {
  if (error instanceof RelayConfigError || isRefundkitError(error)) return error.message;
  const e = error as NodeJS.ErrnoException & { code?: string };
  if (e?.code === 'ENOENT' && e.path) return `no such file: ${e.path}`;
  if (e?.code === 'SQLITE_CANTOPEN') return 'cannot open the outbox (does it exist? see --db / REFUND_RELAY_DB)';
  return error instanceof Error ? error.message : String(error);
}
