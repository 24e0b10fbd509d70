// Test helper: the reliability suites (fuzzing, fault soak, crash points) record their figures here, and only when
// RELIABILITY_FIGURES=1 is set, so ordinary test runs leave the tree untouched. Sections are merged into one JSON file
// under a lock, because the suites run in parallel processes.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';

/** Where the figures go: `apps/refund-relay/test/reliability-figures.json`. */
export const FIGURES_FILE = fileURLToPath(new URL('./reliability-figures.json', import.meta.url));

/** Whether this run records figures (`RELIABILITY_FIGURES=1`). */
export const recordingFigures = process.env.RELIABILITY_FIGURES === '1';

/**
 * Stores `figures` under `section` in the figures file (other sections are kept), with the machine it was measured
 * on. Does nothing unless RELIABILITY_FIGURES=1.
 */
export function recordFigures(section: string, figures: unknown): void {
  if (!recordingFigures) return;
  withLock(() => {
    const current = existsSync(FIGURES_FILE)
      ? (JSON.parse(readFileSync(FIGURES_FILE, 'utf8')) as Record<string, unknown>)
      : {};
    current.machine = { node: process.version, cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length };
    current[section] = figures;
    writeFileSync(FIGURES_FILE, `${JSON.stringify(current, null, 2)}\n`);
  });
}

function withLock(body: () => void): void {
  const lock = `${FIGURES_FILE}.lock`;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let tries = 0; ; tries++) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || tries > 3000) throw error;
      Atomics.wait(pause, 0, 0, 10);
    }
  }
  try {
    body();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
