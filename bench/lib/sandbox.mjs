// Both sandboxes in one child process (see sandbox-host.mjs), started once and shared by the HTTP benchmarks.
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { builtUrl } from './built.mjs';
import { BenchmarkSkipped } from './rows.mjs';

let host;
let started;
let nextId = 0;

/**
 * Starts (once) a child process running `startKingdeeSandbox()` and `startWangdianSandbox()` from the built
 * @refundkit/sandbox and returns `{ kingdee: { url, credentials }, wangdian: { url, credentials }, counters(),
 * reset() }`. Throws BenchmarkSkipped when the sandbox is not built or does not start.
 */
export function sandboxes() {
  started ??= start();
  return started;
}

async function start() {
  if (!existsSync(builtUrl('sandbox'))) throw new BenchmarkSkipped('sandbox/dist not built');
  host = fork(fileURLToPath(new URL('./sandbox-host.mjs', import.meta.url)), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise((resolve, reject) => {
    host.once('message', resolve);
    host.once('exit', (code) => reject(new BenchmarkSkipped(`sandbox host exited with code ${code} before starting`)));
  });
  const ask = (type) =>
    new Promise((resolve) => {
      const id = nextId++;
      const listener = (message) => {
        if (message?.id !== id) return;
        host.off('message', listener);
        resolve(message);
      };
      host.on('message', listener);
      host.send({ type, id });
    });
  return {
    kingdee: ready.kingdee,
    wangdian: ready.wangdian,
    /** Both sandboxes' counters, `{ kingdee, wangdian }`. */
    counters: () => ask('counters'),
    /** Forgets both sandboxes' state (refunds, tokens, nonces, counters). */
    reset: () => ask('reset'),
  };
}

/** Stops the sandbox host if it was started. */
export async function closeSandboxes() {
  if (!host || host.exitCode !== null) return;
  const exited = new Promise((resolve) => host.once('exit', resolve));
  host.disconnect();
  const timer = setTimeout(() => host.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
