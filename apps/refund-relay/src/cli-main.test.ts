import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { fuzzRuns } from '../../../test-support/fuzz.js';
import { commandHelp, HELP, main } from './cli-main.js';
import { CONFIG_OPTIONS } from './relay-config.js';
import { generateSampleRefunds } from './sample-refunds.js';
import { tempDir, validSampleRecords } from './test-support.js';

const COMMANDS = ['demo', 'push', 'status', 'reconcile', 'retry', 'deliver', 'purge', 'sample'] as const;
const { dir, cleanup } = tempDir();
afterAll(cleanup);

async function run(argv: readonly string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    env: {},
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    progressTty: false,
  });
  return { code, stdout, stderr };
}

/** A usage error: exit 1, nothing on stdout, exactly one `refund-relay:` line on stderr, no parseArgs text or help. */
async function usageError(argv: readonly string[]): Promise<string> {
  const { code, stdout, stderr } = await run(argv);
  expect(code).toBe(1);
  expect(stdout).toBe('');
  expect(stderr).toMatch(/^refund-relay: [^\n]+\n$/);
  expect(stderr).not.toMatch(/To specify a positional|Usage|Options/);
  expect((stderr.match(/"/g) ?? []).length % 2).toBe(0);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: binary input must not come back
  expect(stderr.slice(0, -1)).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  return stderr.trim();
}

describe('refund-relay usage', () => {
  it.each(COMMANDS)('%s answers its own --help with its usage and only its options', async (command) => {
    for (const flag of ['--help', '-h']) {
      const { code, stdout, stderr } = await run([command, flag]);
      expect(code).toBe(0);
      expect(stderr).toBe('');
      expect(stdout).toBe(commandHelp(command));
      expect(stdout).toMatch(new RegExp(`^refund-relay ${command}`));
    }
    expect((await run(['help', command])).stdout).toBe(commandHelp(command));
    const help = commandHelp(command);
    if (command === 'sample') expect(help).not.toContain('--db');
    if (command !== 'demo') expect(help).not.toContain('--faults');
    if (command === 'status' || command === 'purge' || command === 'reconcile') {
      expect(help).not.toContain('--kingdee-rate');
    }
  });

  it('lists every command in the general help', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    expect(stdout).toBe(HELP);
    for (const command of COMMANDS) expect(HELP).toContain(`refund-relay ${command}`);
  });

  it('answers unknown options, options of another command and missing values with one line naming the flag', async () => {
    expect(await usageError(['--nope'])).toBe('refund-relay: unknown option --nope (see refund-relay --help)');
    expect(await usageError(['push', '--nope', 'file.jsonl'])).toBe(
      'refund-relay: unknown option --nope (see refund-relay push --help)',
    );
    expect(await usageError(['status', '--count', '5'])).toBe(
      'refund-relay: --count is not an option of status (see refund-relay status --help)',
    );
    expect(await usageError(['status', '--db'])).toBe('refund-relay: --db needs a value');
    expect(await usageError(['status', '--db', '--json'])).toBe('refund-relay: --db needs a value');
    expect(await usageError(['status', '--json=yes'])).toBe('refund-relay: --json takes no value');
    expect(await usageError(['retry', 'file.jsonl'])).toMatch(/retry takes no file arguments/);
    expect(await usageError(['push'])).toMatch(/push needs at least one file/);
    expect(await usageError(['sample', '--count', 'many'])).toMatch(/--count must be a whole number/);
    expect(await usageError(['push', 'x.jsonl', '--max-attempts', '0'])).toMatch(/--max-attempts must be/);
  });

  it('reads reconcile’s --since as an ISO time or a duration back, and --stuck-after as a duration', async () => {
    const since = /^refund-relay: --since must be an ISO time/;
    for (const value of ['yesterday', '2026-13-01', '2026-12-01T25:00', '1 day', '12']) {
      expect(await usageError(['reconcile', '--since', value])).toMatch(since);
    }
    expect(await usageError(['reconcile', '--stuck-after', '2 days'])).toBe(
      'refund-relay: --stuck-after must be a whole number with a unit d, h, m or s (such as 30d)',
    );
    expect(await usageError(['reconcile', '--refund', 'R1'])).toBe(
      'refund-relay: --refund is not an option of reconcile (see refund-relay reconcile --help)',
    );
    expect(HELP).toMatch(/reconcile: 0 every refund done at both vendors, 2 something needs a person/);
  });

  it('says the same --faults range in the help and in the error', async () => {
    const range = /0 to ([\d.]+)/.exec(commandHelp('demo'))?.[1];
    expect(range).toBe('0.9');
    for (const value of ['2', '0.95', '-0.1', 'abc', '']) {
      expect(await usageError(['demo', '--faults', value])).toBe(
        `refund-relay: --faults must be a share from 0 to ${range}, such as 0.1`,
      );
    }
  });

  it('names the outbox path status could not open', async () => {
    const path = join(dir, 'missing', 'outbox.db');
    expect(await usageError(['status', '--db', path])).toBe(
      `refund-relay: no outbox at ${path} (nothing pushed there yet? see --db)`,
    );
    const notADatabase = join(dir, 'not-a-db');
    writeFileSync(notADatabase, 'hello, this is not SQLite', { mode: 0o600 });
    expect(await usageError(['status', '--db', notADatabase])).toContain(notADatabase);
  });

  it('never echoes binary input: commands, options or file names', async () => {
    expect(await usageError(['__proto__'])).toBe('refund-relay: unknown command "__proto__" (see refund-relay --help)');
    expect(await usageError(['status', '--toString'])).toBe(
      'refund-relay: unknown option --toString (see refund-relay status --help)',
    );
    expect(await usageError(['st\u0000\u0001atus'])).toBe('refund-relay: unknown command (see refund-relay --help)');
    expect(await usageError(['status', '--\u001b[31mred'])).toBe(
      'refund-relay: unknown option (see refund-relay status --help)',
    );
    expect(await usageError(['push', join(dir, 'no\u0007such.jsonl')])).toBe(
      `refund-relay: no such file: ${join(dir, 'no?such.jsonl')}`,
    );
    const odd = join(dir, 'odd\u001b[2J.csv');
    writeFileSync(odd, '\u0001\u0002,colour\n1,2\n');
    expect(await usageError(['push', odd, '--db', join(dir, 'odd.db')])).toBe(
      `refund-relay: ${join(dir, 'odd?[2J.csv')}: unknown CSV column(s) 1, 2 in the header (see the README)`,
    );
  });

  it('answers any unknown command or option with one clean line (property)', async () => {
    const known = new Set([...COMMANDS, 'help']);
    const optionNames = new Set([
      ...Object.keys(CONFIG_OPTIONS),
      ...['help', 'h', 'failed', 'faults', 'keep-db', 'count', 'refund', 'since'],
    ]);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc
            .string({ unit: 'binary', minLength: 1, maxLength: 12 })
            .filter((text) => !known.has(text) && !text.startsWith('-'))
            .map((text) => [text]),
          fc
            .tuple(
              fc.constantFrom(...COMMANDS),
              fc
                .string({ unit: 'binary', minLength: 1, maxLength: 12 })
                .filter((name) => !name.includes('=') && !optionNames.has(name) && !name.startsWith('-')),
            )
            .map(([command, name]) => [command, `--${name}`]),
        ),
        async (argv) => {
          await usageError(argv);
        },
      ),
      { numRuns: fuzzRuns(100) },
    );
  });
});

describe('refund-relay push and purge (in-process sandboxes)', () => {
  it('does not suggest status --failed or retry when every record was invalid', async () => {
    const file = join(dir, 'all-invalid.jsonl');
    writeFileSync(file, `${JSON.stringify({ refundNo: 'X1' })}\n${JSON.stringify({ refundNo: 'X2' })}\n`);
    const { code, stdout } = await run(['push', file, '--db', join(dir, 'invalid.db')]);
    expect(code).toBe(2);
    expect(stdout).toContain('read 2 records from 1 file');
    expect(stdout).toContain('2 records were invalid and not stored (listed above): correct them and push again');
    expect(stdout).not.toContain('status --failed');
    expect(stdout).not.toContain('retry');
  });

  it('purges the buyer data of delivered refunds and keeps the delivery facts', async () => {
    const { records } = generateSampleRefunds({ count: 12, seed: 3, batch: 'P' });
    const valid = validSampleRecords(records);
    const file = join(dir, 'purge.jsonl');
    writeFileSync(file, valid.map((record) => JSON.stringify(record)).join('\n'));
    const db = join(dir, 'purge.db');
    expect((await run(['push', file, '--db', db, '--kingdee-rate', '0'])).code).toBe(0);
    expect(await usageError(['purge', '--db', db])).toBe(
      'refund-relay: purge needs --older-than <duration>, such as 30d',
    );
    expect(await usageError(['purge', '--older-than', '30 days', '--db', db])).toMatch(/--older-than must be/);
    const notYet = await run(['purge', '--older-than', '1d', '--db', db, '--json']);
    expect(JSON.parse(notYet.stdout).purged).toEqual({ refunds: 0, versions: 0 });
    const purge = await run(['purge', '--older-than', '0s', '--db', db]);
    const refunds = new Set(valid.map((record) => record.refundNo)).size;
    expect(purge.code).toBe(0);
    expect(purge.stdout).toMatch(new RegExp(`^purged the buyer data of ${refunds} refunds`));
    const stored = new Database(db, { readonly: true });
    const bodies = stored.prepare('SELECT body FROM refunds').all() as { body: string }[];
    stored.close();
    expect(bodies).toHaveLength(refunds);
    for (const record of valid) {
      const nick = (record.buyer as { nick: string }).nick;
      expect(bodies.some(({ body }) => body.includes(nick))).toBe(false);
    }
    const status = await run(['status', '--db', db, '--json']);
    expect(JSON.parse(status.stdout).outbox.counts.kingdee.delivered).toBe(refunds);
    // Pushing the same file again finds every refund a duplicate: nothing is sent twice.
    const again = await run(['push', file, '--db', db, '--json', '--kingdee-rate', '0']);
    expect(JSON.parse(again.stdout).intake.duplicates).toBe(valid.length);
  });
});
