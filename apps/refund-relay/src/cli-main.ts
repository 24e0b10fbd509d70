import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isRefundkitError } from '@refundkit/transport';
import { systemClock } from './clock.js';
import { refundInputsToCsv } from './csv-refunds.js';
import { runDemo } from './demo.js';
import { printablePath } from './printable-path.js';
import { DEFAULT_STUCK_AFTER_MS, type ReconcileCommandOptions, reconcileCommand } from './reconcile-command.js';
import { RECONCILE_EXIT_CODES } from './reconcile-report.js';
import {
  type CommandIo,
  deliverCommand,
  followCommand,
  purgeCommand,
  pushCommand,
  statusCommand,
} from './relay-commands.js';
import { CONFIG_OPTIONS, durationMs, type RelayConfig, RelayConfigError, resolveRelayConfig } from './relay-config.js';
import { generateSampleRefunds } from './sample-refunds.js';

/** One option as help shows it: its spellings with their argument, and what it does. */
type OptionHelp = readonly [flags: string, text: string];

/** Help lines of the options every delivering command takes, by option name. */
const DELIVERY_OPTION_HELP: Record<string, OptionHelp> = {
  'max-attempts': ['--max-attempts <n>', 'attempts before a retryable failure is dead-lettered (8)'],
  'backoff-ms': ['--backoff-ms <ms>', 'first retry delay before jitter (1000)'],
  'backoff-max-ms': ['--backoff-max-ms <ms>', 'longest retry delay (300000)'],
  'timeout-ms': ['--timeout-ms <ms>', "one vendor call's time limit (30000)"],
  sandbox: ['--sandbox', 'use in-process sandboxes even when credentials are set'],
  'kingdee-concurrency': ['--kingdee-concurrency <n>', 'Kingdee calls at once (4)'],
  'kingdee-rate': ['--kingdee-rate <n>', 'Kingdee calls per minute, 0 = no limit (500)'],
  'kingdee-burst': ['--kingdee-burst <n>', 'Kingdee calls that may go at once (min(50, rate/10))'],
  'kingdee-cmd': ['--kingdee-cmd <text>', 'refundSave cmd (pay.refund)'],
  'kingdee-sign-msg': ['--kingdee-sign-msg <text>', 'refundSave sign_msg (1)'],
  'kingdee-amount-unit': ['--kingdee-amount-unit <u>', 'refund_amount in fen (default) or yuan'],
  'kingdee-url': ['--kingdee-url <origin>', 'gateway origin (env KINGDEE_BASE_URL; default https://api.kingdee.com)'],
  'wangdian-concurrency': ['--wangdian-concurrency <n>', 'Wangdian uploads at once (2)'],
  'wangdian-rate': ['--wangdian-rate <n>', 'Wangdian calls per minute, 0 = no limit (0)'],
  'wangdian-burst': ['--wangdian-burst <n>', 'Wangdian calls that may go at once'],
  'wangdian-shop': [
    '--wangdian-shop <shop_no>',
    "upload every refund to this shop (env WANGDIAN_SHOP_NO; default each refund's shopCode)",
  ],
  'wangdian-batch': ['--wangdian-batch <n>', 'rows per upload, at most 100 (100)'],
  'wangdian-rate-limit-pause-ms': [
    '--wangdian-rate-limit-pause-ms <ms>',
    'wait after a Wangdian rate-limit answer (60000)',
  ],
  'wangdian-url': ['--wangdian-url <origin>', 'gateway origin (env WANGDIAN_BASE_URL; default http://wdt.wangdian.cn)'],
  'wangdian-push': [
    '--wangdian-push <method>',
    'upload (platform shops, default) or upload2 (own-platform shops: refused rows are reported one by one)',
  ],
  'pause-after': ['--pause-after <n>', 'test hook: freeze right after vendor call n + 1 returns (see README)'],
};

/** Help lines of the options that concern the outbox file and the output, by option name. */
const OUTBOX_OPTION_HELP: Record<string, OptionHelp> = {
  db: ['--db <path>', 'outbox file (env REFUND_RELAY_DB; default ~/.refund-relay/outbox.db)'],
  database: [
    '--database <postgres://…>',
    'a PostgreSQL outbox several relays share, instead of the file (env REFUND_RELAY_DATABASE_URL)',
  ],
  config: ['--config <file>', 'JSON config file (see README)'],
  json: ['--json', 'machine-readable report on stdout, no progress'],
  'allow-shared-database-file': [
    '--allow-shared-database-file',
    'use an outbox file other users may read (refused by default: it holds buyer data)',
  ],
};

/** Help lines of the options of following, by option name. */
const FOLLOW_OPTION_HELP: Record<string, OptionHelp> = {
  'follow-timeout': ['--follow-timeout <duration>', 'stop following after <duration>: <n>d, <n>h, <n>m or <n>s (10m)'],
  'follow-interval': ['--follow-interval <duration>', 'time between two follow passes (30s)'],
  'missing-after': ['--missing-after <duration>', 'a refund the vendor still does not show counts as missing (30m)'],
};

/** The highest `--faults` share the demo takes. */
const MAX_FAULT_RATE = 0.9;

/** Each command: how it is called, what it does, and the options it takes (every other option is refused). */
const COMMANDS: Record<string, { usage: string; summary: string; options: Record<string, OptionHelp> }> = {
  demo: {
    usage: 'refund-relay demo [options]',
    summary: 'relay the bundled sample through in-process sandboxes (no credentials)',
    options: {
      faults: ['--faults <share>', `share of faulted vendor calls, 0 to ${MAX_FAULT_RATE} (0.1)`],
      'keep-db': ['--keep-db', 'keep the demo outbox'],
      ...OUTBOX_OPTION_HELP,
      ...DELIVERY_OPTION_HELP,
    },
  },
  push: {
    usage: 'refund-relay push <files…> [options]',
    summary: 'validate and store refunds (JSON array, JSON Lines, CSV), then deliver',
    options: { ...OUTBOX_OPTION_HELP, ...DELIVERY_OPTION_HELP },
  },
  status: {
    usage: 'refund-relay status [--failed] [--refund <no>] [options]',
    summary: 'deliveries and lifecycle per vendor and state; --refund shows one refund’s history',
    options: {
      failed: ['--failed', 'list failed and dead deliveries with their reasons'],
      refund: ['--refund <no>', 'the full history of one refund at both vendors: deliveries and every observation'],
      ...OUTBOX_OPTION_HELP,
    },
  },
  reconcile: {
    usage: 'refund-relay reconcile [--since <time>] [options]',
    summary: 'what was sent vs what each vendor holds, per refund: done, in progress, refused, missing, different',
    options: {
      since: ['--since <time>', 'only refunds delivered since: an ISO time (2026-12-01T08:00+08:00) or 24h, 7d ago'],
      'stuck-after': [
        '--stuck-after <duration>',
        `in progress and unchanged this long counts as stuck (${DEFAULT_STUCK_AFTER_MS / 3_600_000}h)`,
      ],
      ...OUTBOX_OPTION_HELP,
    },
  },
  retry: {
    usage: 'refund-relay retry [options]',
    summary: 'put failed and dead deliveries back to pending, then deliver',
    options: { ...OUTBOX_OPTION_HELP, ...DELIVERY_OPTION_HELP },
  },
  deliver: {
    usage: 'refund-relay deliver [--follow [--follow-timeout <duration>]] [options]',
    summary: 'deliver what is pending (e.g. after an interrupted run); --follow then follows it to the end',
    options: {
      follow: ['--follow', 'after delivering, follow every delivered refund until it is final at its vendor'],
      ...FOLLOW_OPTION_HELP,
      ...OUTBOX_OPTION_HELP,
      ...DELIVERY_OPTION_HELP,
    },
  },
  follow: {
    usage: 'refund-relay follow [--until-final] [options]',
    summary: 'follow delivered refunds at the vendors and record every state seen (one pass)',
    options: {
      'until-final': ['--until-final', 'pass after pass until every delivered refund is final, or the timeout'],
      ...FOLLOW_OPTION_HELP,
      ...OUTBOX_OPTION_HELP,
      ...DELIVERY_OPTION_HELP,
    },
  },
  purge: {
    usage: 'refund-relay purge --older-than <duration> [options]',
    summary: 'remove the buyer data of refunds final at both vendors for at least <duration> (30d, 12h)',
    options: {
      'older-than': ['--older-than <duration>', 'how long a refund must have been final: <n>d, <n>h, <n>m or <n>s'],
      ...OUTBOX_OPTION_HELP,
    },
  },
  sample: {
    usage: 'refund-relay sample [options]',
    summary: 'write a generated sample (refunds.jsonl, refunds-update.csv)',
    options: {
      count: ['--count <n>', 'refund records, at least 10 (300)'],
      seed: ['--seed <n>', 'generator seed (20240615)'],
      'out-dir': ['--out-dir <dir>', 'where to write the two files (.)'],
    },
  },
};

const HELP_OPTION: OptionHelp = ['-h, --help', 'show this help'];

function optionLines(options: readonly OptionHelp[]): string {
  const width = Math.max(...options.map(([flags]) => flags.length));
  return options.map(([flags, text]) => `  ${flags.padEnd(width)}  ${text}`).join('\n');
}

/** The text of `refund-relay --help`. */
export const HELP = `refund-relay: a durable outbox that delivers refunds to Kingdee 精斗云 and Wangdian 旺店通 exactly once

Usage
${optionLines(Object.values(COMMANDS).map(({ usage, summary }) => [usage.replace(' [options]', ''), summary]))}

Run refund-relay <command> --help for the options of a command.

Credentials come from the environment (KINGDEE_CLIENT_ID, KINGDEE_CLIENT_SECRET, KINGDEE_APP_KEY, KINGDEE_APP_SECRET,
KINGDEE_DOMAIN or KINGDEE_OUTER_INSTANCE_ID; WANGDIAN_SID, WANGDIAN_APP_KEY, WANGDIAN_APP_SECRET) or the config file.
A vendor without credentials is served by an in-process sandbox. Secrets are never printed.

Exit codes: 0 everything delivered, 2 something was not (or input was invalid), 1 usage or configuration error.
reconcile: ${RECONCILE_EXIT_CODES['all-done']} every refund done at both vendors, ${RECONCILE_EXIT_CODES['needs-person']} something needs a person (refused, missing, different,
stuck), ${RECONCILE_EXIT_CODES['in-progress']} nothing needs a person but some refunds are still in progress, 1 usage or configuration error.
`;

/** A command's description, looked up as an own key only (so `__proto__` or `toString` is no command). */
function commandSpec(command: string): (typeof COMMANDS)[string] | undefined {
  return Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
}

/** The text of `refund-relay <command> --help`. */
export function commandHelp(command: string): string {
  const spec = commandSpec(command);
  if (!spec) return HELP;
  return `${spec.usage}\n\n${spec.summary}\n\nOptions\n${optionLines([...Object.values(spec.options), HELP_OPTION])}\n`;
}

const OPTIONS = {
  ...CONFIG_OPTIONS,
  failed: { type: 'boolean' },
  follow: { type: 'boolean' },
  'until-final': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  faults: { type: 'string' },
  'keep-db': { type: 'boolean' },
  count: { type: 'string' },
  seed: { type: 'string' },
  'out-dir': { type: 'string' },
  'older-than': { type: 'string' },
  refund: { type: 'string' },
  since: { type: 'string' },
  'stuck-after': { type: 'string' },
} as const satisfies Record<string, { type: 'string' | 'boolean'; short?: string }>;

/** A usage mistake: printed as one `refund-relay:` line, exit code 1. */
class UsageError extends RelayConfigError {}

/** Text from the command line fit to quote back: short and printable, else nothing is echoed. */
function quotable(text: string): string | undefined {
  return /^[\w.:/@+=-]{1,40}$/.test(text) ? text : undefined;
}

/**
 * Parses the command line the way each command takes it: the command first, then only its own options, each string
 * option with a value. Every mistake is a `UsageError` naming the option, never `parseArgs`'s own text.
 */
function parseCommandLine(argv: readonly string[]): {
  command: string | undefined;
  values: Values;
  positionals: string[];
} {
  const { tokens } = parseArgs({
    args: [...argv],
    options: OPTIONS,
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  const positionals = tokens.filter((token) => token.kind === 'positional').map((token) => token.value);
  const command = positionals.shift();
  const spec = command === undefined ? undefined : commandSpec(command);
  if (command !== undefined && !spec && command !== 'help') {
    const name = quotable(command);
    throw new UsageError(`${name ? `unknown command "${name}"` : 'unknown command'} (see refund-relay --help)`);
  }
  const values: Record<string, string | boolean> = {};
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const name = token.name;
    const flag = token.rawName.startsWith('--') ? token.rawName : `-${name}`;
    const type = Object.hasOwn(OPTIONS, name) ? (OPTIONS as Record<string, { type: string }>)[name]!.type : undefined;
    if (name === 'help') {
      values.help = true;
      continue;
    }
    const where = command && spec ? `refund-relay ${command} --help` : 'refund-relay --help';
    if (type === undefined) {
      const shown = quotable(token.rawName);
      throw new UsageError(`${shown ? `unknown option ${shown}` : 'unknown option'} (see ${where})`);
    }
    if (spec && !Object.hasOwn(spec.options, name))
      throw new UsageError(`${flag} is not an option of ${command} (see ${where})`);
    if (type === 'boolean') {
      if (token.inlineValue) throw new UsageError(`${flag} takes no value`);
      values[name] = true;
      continue;
    }
    if (token.value === undefined || (!token.inlineValue && token.value.startsWith('--'))) {
      throw new UsageError(`${flag} needs a value`);
    }
    values[name] = token.value;
  }
  return { command, values: values as Values, positionals };
}

/**
 * Runs the CLI with `argv` (without node and the script) and returns the exit code. Everything the process would
 * touch comes through `io`, so tests call it in-process.
 *
 * @example
 * process.exitCode = await main(process.argv.slice(2), { env: process.env, stdout: (t) => process.stdout.write(t), ... });
 */
export async function main(argv: readonly string[], io: CommandIo): Promise<number> {
  try {
    const { command, values, positionals: rest } = parseCommandLine(argv);
    if (command === 'help') {
      io.stdout(commandHelp(rest[0] ?? ''));
      return 0;
    }
    if (values.help || command === undefined) {
      io.stdout(command === undefined ? HELP : commandHelp(command));
      return command === undefined && !values.help ? 1 : 0;
    }
    if (rest.length > 0 && command !== 'push') {
      throw new UsageError(`${command} takes no file arguments (see refund-relay ${command} --help)`);
    }
    switch (command) {
      case 'demo':
        return (await runDemo(demoConfig(values, io), io, demoOptions(values))).exitCode;
      case 'push':
        if (rest.length === 0) throw new UsageError('push needs at least one file (see refund-relay push --help)');
        return (await pushCommand(rest, resolveRelayConfig(values, io.env), io)).exitCode;
      case 'status':
        return (
          await statusCommand(resolveRelayConfig(values, io.env), io, {
            failed: values.failed ?? false,
            ...(values.refund === undefined ? {} : { refundNo: values.refund }),
          })
        ).exitCode;
      case 'reconcile':
        return (await reconcileCommand(resolveRelayConfig(values, io.env), io, reconcileOptions(values, io))).exitCode;
      case 'retry':
      case 'deliver': {
        const options = { retry: command === 'retry', follow: values.follow ?? false };
        return (await deliverCommand(resolveRelayConfig(values, io.env), io, options)).exitCode;
      }
      case 'follow': {
        const options = { untilFinal: values['until-final'] ?? false };
        return (await followCommand(resolveRelayConfig(values, io.env), io, options)).exitCode;
      }
      case 'purge':
        return (await purgeCommand(resolveRelayConfig(values, io.env), io, { olderThanMs: olderThan(values) }))
          .exitCode;
      default:
        return writeSample(values, io);
    }
  } catch (error) {
    io.stderr(`refund-relay: ${describeFatal(error)}\n`);
    if (io.env.REFUND_RELAY_DEBUG) io.stderr(`${(error as Error).stack}\n`);
    return 1;
  }
}

/** Reads `--older-than`: a duration (see `duration`). */
function olderThan(values: Values): number {
  const raw = values['older-than'];
  if (raw === undefined) throw new UsageError('purge needs --older-than <duration>, such as 30d');
  return durationMs(raw, '--older-than');
}

/** An ISO 8601 date or time: `2026-12-01`, `2026-12-01T08:00`, `2026-12-01T08:00:00.000+08:00`, `…Z`. */
const ISO_TIME = /^\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d(?:\.\d{1,3})?)?(?:Z|[+-]\d\d:?\d\d)?)?$/;

/** Reads `reconcile`'s `--since` (an ISO time, or a duration back from now) and `--stuck-after` (a duration). */
function reconcileOptions(values: Values, io: CommandIo): ReconcileCommandOptions {
  const options: ReconcileCommandOptions = {};
  const since = values.since;
  if (since !== undefined) {
    const at = ISO_TIME.test(since) ? Date.parse(since) : Number.NaN;
    if (Number.isFinite(at)) options.since = at;
    else {
      try {
        options.since = (io.clock ?? systemClock).now() - durationMs(since, '--since');
      } catch {
        throw new UsageError(
          '--since must be an ISO time (such as 2026-12-01T08:00:00+08:00) or a duration back from now (such as 24h)',
        );
      }
    }
  }
  if (values['stuck-after'] !== undefined) options.stuckAfterMs = durationMs(values['stuck-after'], '--stuck-after');
  return options;
}

type Values = {
  [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]['type'] extends 'boolean' ? boolean : string;
};

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
    if (!/^\d*\.?\d+$/.test(values.faults) || !(rate >= 0 && rate <= MAX_FAULT_RATE)) {
      throw new RelayConfigError(`--faults must be a share from 0 to ${MAX_FAULT_RATE}, such as 0.1`);
    }
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
  if (e?.code === 'ENOENT' && e.path) return `no such file: ${printablePath(e.path)}`;
  return error instanceof Error ? error.message : String(error);
}
