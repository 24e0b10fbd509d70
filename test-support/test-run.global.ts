/**
 * Global setup of a test run: gives the workers one scratch folder for the run (REFUNDKIT_TEST_RUN_DIR), where the
 * leak scan leaves its totals and one-off work such as a build is marked done, then prints the leak scan's totals.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'refundkit-test-run-'));
  process.env.REFUNDKIT_TEST_RUN_DIR = dir;
  return () => {
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
