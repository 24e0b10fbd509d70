/**
 * Child processes for tests that need several real processes running our TypeScript source: `bundleChildScript`
 * bundles a `.ts` entry with esbuild into one ES module (imports of `@refundkit/<name>` from the packages' source,
 * their dependencies and pg included; CommonJS dependencies get a real `require`), once per entry and test run.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const bundles = new Map<string, Promise<string>>();

/** Bundles `entry` (an absolute path to a `.ts` file) and resolves the bundle's path. */
export function bundleChildScript(entry: string): Promise<string> {
  let bundled = bundles.get(entry);
  if (!bundled) {
    const dir = join(root, 'node_modules', '.cache', 'refundkit-test-children');
    mkdirSync(dir, { recursive: true });
    const outfile = join(dir, `${basename(entry, '.ts')}-${process.pid}-${Date.now()}.mjs`);
    bundled = build({
      entryPoints: [entry],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      // pg's optional native binding is never installed; its require sits in a try.
      external: ['pg-native'],
      banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
      logLevel: 'error',
      plugins: [
        {
          name: 'refundkit-source',
          setup(plugin) {
            plugin.onResolve({ filter: /^@refundkit\/[a-z-]+$/ }, (args) => ({
              path: join(root, 'packages', args.path.slice('@refundkit/'.length), 'src', 'index.ts'),
            }));
          },
        },
      ],
    }).then(() => outfile);
    bundles.set(entry, bundled);
  }
  return bundled;
}

/** A child process started by `startChild`: its messages so far, a wait for one, its exit, and a way to speak. */
export interface Child {
  process: ChildProcess;
  /** JSON lines the child wrote to stdout, parsed. */
  messages: unknown[];
  stderr(): string;
  /** Resolves the first message (now or later) for which `match` holds. */
  message<T>(match: (message: T) => boolean): Promise<T>;
  send(message: unknown): void;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs a bundled script with `env` added to this process's environment; it speaks JSON lines both ways. */
export function startChild(script: string, env: Record<string, string>): Child {
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const messages: unknown[] = [];
  const waiters: Array<{ match: (message: never) => boolean; resolve: (message: never) => void }> = [];
  let pending = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    let newline = pending.indexOf('\n');
    while (newline >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      newline = pending.indexOf('\n');
      if (line.trim() === '') continue;
      const message = JSON.parse(line) as never;
      messages.push(message);
      for (const waiter of [...waiters]) {
        if (waiter.match(message)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(message);
        }
      }
    }
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  return {
    process: child,
    messages,
    stderr: () => stderr,
    message<T>(match: (message: T) => boolean) {
      const seen = messages.find((message) => match(message as T));
      if (seen !== undefined) return Promise.resolve(seen as T);
      return new Promise<T>((resolve, reject) => {
        waiters.push({ match: match as (message: never) => boolean, resolve: resolve as (message: never) => void });
        exit.then(({ code, signal }) =>
          reject(new Error(`the child exited (${code ?? signal}) before the awaited message: ${stderr.slice(-2000)}`)),
        );
      });
    },
    send(message) {
      child.stdin?.write(`${JSON.stringify(message)}\n`);
    },
    exit,
  };
}
