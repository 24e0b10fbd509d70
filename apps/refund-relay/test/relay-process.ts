// Test helper: the built refund-relay CLI as a child process (build it, run it, collect its output and exit).
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../..', import.meta.url));

/** The built CLI. */
export const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

/**
 * Builds the app and the packages it imports with turbo (a cache hit when current), once per test run: the first
 * test file to ask builds under a lock in the run's folder (REFUNDKIT_TEST_RUN_DIR) and marks it done, so files that
 * run in parallel never rewrite dist/ while another one is running the CLI from it.
 */
export function buildRelay(): void {
  const runDir = process.env.REFUNDKIT_TEST_RUN_DIR;
  const lock = runDir && join(runDir, 'relay-build.lock');
  const done = runDir && join(runDir, 'relay-built');
  const deadline = Date.now() + 300_000;
  while (lock) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`waited too long for ${lock}`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    }
  }
  try {
    if (done && existsSync(done)) return;
    execFileSync('npx', ['turbo', 'run', 'build', '--filter=refund-relay...', '--output-logs=errors-only'], {
      cwd: root,
      stdio: 'pipe',
    });
    if (done) writeFileSync(done, '');
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: Buffer; stderr?: Buffer };
    const output = `${stdout?.toString() ?? ''}${stderr?.toString() ?? ''}`;
    throw new Error(`building refund-relay and its packages failed:\n${output.slice(-4000)}`);
  } finally {
    if (lock) rmdirSync(lock);
  }
  if (!existsSync(CLI)) throw new Error(`the build left no ${CLI}`);
}

/** A running CLI: the child, its output so far, and its exit. */
export interface RelayRun {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts `node dist/cli.js …args` with only the given environment (plus PATH, HOME and CI=1, so progress is plain
 * lines), output collected.
 */
export function runRelay(args: readonly string[], env: Record<string, string>, home: string): RelayRun {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: home, CI: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => stdout, stderr: () => stderr, exit };
}
