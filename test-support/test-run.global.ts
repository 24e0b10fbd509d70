/**
 * Global setup of a test run: gives the workers one scratch folder for the run (REFUNDKIT_TEST_RUN_DIR), where the
 * leak scan leaves its totals and one-off work such as a build is marked done, then prints the leak scan's totals
 * and stops the run's PostgreSQL server when a test started one (see `postgres.ts`).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { POSTGRES_SERVER_FILE } from './postgres.ts';
import { type PostgresServer, stopPostgresServer } from './postgres-server.mjs';

export default function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'refundkit-test-run-'));
  process.env.REFUNDKIT_TEST_RUN_DIR = dir;
  return async () => {
    const serverFile = join(dir, POSTGRES_SERVER_FILE);
    if (existsSync(serverFile))
      await stopPostgresServer(JSON.parse(readFileSync(serverFile, 'utf8')) as PostgresServer);
    const totals = { files: 0, errors: 0, lines: 0, hits: 0 };
    for (const file of readdirSync(dir).filter((name) => name.startsWith('leak-scan-'))) {
      for (const line of readFileSync(join(dir, file), 'utf8').split('\n').filter(Boolean)) {
        const entry = JSON.parse(line) as { errors: number; lines: number; hits: number };
        totals.files += 1;
        totals.errors += entry.errors;
        totals.lines += entry.lines;
        totals.hits += entry.hits;
      }
    }
    rmSync(dir, { recursive: true, force: true });
    console.log(
      `leak scan: ${totals.errors} refundkit errors and ${totals.lines} log lines from ${totals.files} test files scanned, ${totals.hits} leaks`,
    );
  };
}
