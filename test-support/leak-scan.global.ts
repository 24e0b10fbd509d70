/**
 * Global setup of the leak scan: gives the workers a folder for their totals, then prints the run's totals.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'refundkit-leak-scan-'));
  process.env.REFUNDKIT_LEAK_SCAN_DIR = dir;
  return () => {
    const totals = { files: 0, errors: 0, lines: 0, hits: 0 };
    for (const file of readdirSync(dir)) {
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
