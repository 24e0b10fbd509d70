/**
 * Seeds every fast-check property of a run (vitest setup file). `FUZZ_SEED=<integer>` fixes the seed. Under CI (the
 * `CI` variable set) and without FUZZ_SEED, the seed comes from the commit under test, so a CI run on one commit
 * repeats exactly and its failure replays with `FUZZ_SEED=<seed>`, while each new commit explores new cases.
 * Anywhere else fast-check draws a fresh seed per run. A failing property prints its seed either way.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';

function commitSeed(): number | undefined {
  try {
    const root = fileURLToPath(new URL('..', import.meta.url));
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8', stdio: 'pipe' }).trim();
    return /^[0-9a-f]{8}/.test(head) ? Number.parseInt(head.slice(0, 8), 16) | 0 : undefined;
  } catch {
    return undefined; // not a git checkout
  }
}

/** The seed for this run, or undefined for fast-check's own choice. */
export function fuzzSeed(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const fixed = env.FUZZ_SEED?.trim();
  if (fixed) {
    const seed = Number(fixed);
    if (!Number.isSafeInteger(seed)) throw new RangeError('FUZZ_SEED must be an integer');
    return seed | 0;
  }
  return env.CI ? commitSeed() : undefined;
}

const seed = fuzzSeed();
if (seed !== undefined) fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
