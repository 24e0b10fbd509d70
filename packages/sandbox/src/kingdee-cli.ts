/**
 * The Kingdee part of the `refundkit-sandbox` command: its start-up flags (refund outcomes) and the commands a
 * running sandbox takes on standard input (rotate the app secret, expire tokens, set an outcome, show counters).
 */
import type { KingdeeRefundOutcomeInput } from './kingdee-refund-save.js';
import type { KingdeeSandbox, KingdeeSandboxOptions } from './kingdee-sandbox.js';

/** The Kingdee flags, in `node:util` `parseArgs` form. */
export const KINGDEE_CLI_OPTIONS = {
  'kingdee-refuse': { type: 'string', multiple: true },
  'kingdee-pending': { type: 'string', multiple: true },
} as const;

/** Help lines of the Kingdee flags. */
export const KINGDEE_CLI_USAGE = `  --kingdee-refuse <refund_no>[=<err>]
                        the channel refuses this refund (repeatable; err defaults to 支付失败，签名异常)
  --kingdee-pending <refund_no>
                        this refund stays pending at the channel (repeatable)`;

/** Help lines of the commands a running sandbox reads on standard input. */
export const KINGDEE_COMMAND_USAGE = `Commands on standard input, one per line:
  kingdee rotate-app-secret [--keep-tokens]   rotate the appSecret (business calls then answer 1030002006)
  kingdee expire-tokens                       every app-token issued so far expires (next call: 4011)
  kingdee refuse <refund_no> [<err>]          the channel refuses this refund
  kingdee pending <refund_no>                 this refund is pending at the channel
  kingdee succeed <refund_no>                 this refund succeeds
  kingdee counters                            print the counters as one JSON line`;

/** Reads the Kingdee flags into sandbox options; throws a `RangeError` naming a bad flag value. */
export function kingdeeOptionsFromCli(values: {
  'kingdee-refuse'?: string[] | undefined;
  'kingdee-pending'?: string[] | undefined;
}): Pick<KingdeeSandboxOptions, 'refundOutcomes'> {
  const outcomes: Record<string, KingdeeRefundOutcomeInput> = {};
  for (const entry of values['kingdee-refuse'] ?? []) {
    const at = entry.indexOf('=');
    const refundNo = at < 0 ? entry : entry.slice(0, at);
    if (refundNo === '') throw new RangeError('--kingdee-refuse needs a refund_no');
    outcomes[refundNo] = at < 0 ? 'refused' : { kind: 'refused', err: entry.slice(at + 1) };
  }
  for (const refundNo of values['kingdee-pending'] ?? []) {
    if (refundNo === '') throw new RangeError('--kingdee-pending needs a refund_no');
    outcomes[refundNo] = 'pending';
  }
  return Object.keys(outcomes).length > 0 ? { refundOutcomes: outcomes } : {};
}

/**
 * Runs one Kingdee command (the words after `kingdee`) against a running sandbox and answers the line to print.
 * Throws a `RangeError` for an unknown command or missing argument.
 *
 * @example
 * runKingdeeCommand(kd, ['refuse', 'R-1', '余额不足']); // 'kingdee: refund R-1 will be refused'
 */
export function runKingdeeCommand(kd: KingdeeSandbox, words: readonly string[]): string {
  const [command, ...args] = words;
  const refundNo = () => {
    const value = args[0];
    if (!value) throw new RangeError(`kingdee ${command} needs a refund_no`);
    return value;
  };
  switch (command) {
    case 'rotate-app-secret': {
      const keepTokens = args.includes('--keep-tokens');
      kd.rotateAppSecret({ keepTokens });
      return `kingdee: app secret rotated${keepTokens ? ' (tokens kept)' : '; tokens issued before answer 1030002006'}`;
    }
    case 'expire-tokens':
      kd.expireTokens();
      return 'kingdee: every app-token issued so far has expired';
    case 'refuse': {
      const no = refundNo();
      const err = args.slice(1).join(' ');
      kd.setRefundOutcome(no, err === '' ? 'refused' : { kind: 'refused', err });
      return `kingdee: refund ${no} will be refused`;
    }
    case 'pending': {
      const no = refundNo();
      kd.setRefundOutcome(no, 'pending');
      return `kingdee: refund ${no} is pending`;
    }
    case 'succeed': {
      const no = refundNo();
      kd.setRefundOutcome(no, 'succeeded');
      return `kingdee: refund ${no} succeeds`;
    }
    case 'counters':
      return JSON.stringify(kd.counters);
    default:
      throw new RangeError(`unknown kingdee command ${JSON.stringify(command ?? '')}; see --help`);
  }
}
