// The built packages on Cloudflare's workerd. workerd resolves no package names itself: a Workers project bundles
// with Wrangler, which resolves `exports` with the conditions `workerd`, `worker`, `browser` and leaves `node:`
// built-ins to the runtime. The program is bundled here the same way (esbuild, which Wrangler uses) and served by
// one workerd process three times: at an old compatibility date (no `process` global), at a current one, and
// with the nodejs_compat flag (which adds the `node:` modules). All must pick the packages' portable builds and make the same calls.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { build, type Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeCheckInput, RuntimeReport } from '../src/runtime-checks.ts';
import { programEnv, RUNTIMES_DIR, startableRuntime } from './runtime-process.ts';
import { describeRuntime, type StartedRuntime } from './runtime-suite.ts';

/** The conditions Wrangler resolves `exports` with. */
const WRANGLER_CONDITIONS = ['workerd', 'worker', 'browser'];
/**
 * The workers one workerd process serves, each on its own socket. From recent compatibility dates workerd defines
 * a `process` global even without nodejs_compat, so an older date is the case that has none.
 */
const WORKERS = {
  'no-process': { title: 'workerd, compatibility date 2024-09-23 (no process global)', date: '2024-09-23', flags: [] },
  current: { title: 'workerd, compatibility date 2026-11-01', date: '2026-11-01', flags: [] },
  'nodejs-compat': { title: 'workerd, 2026-11-01 with nodejs_compat', date: '2026-11-01', flags: ['nodejs_compat'] },
} as const;
type WorkerName = keyof typeof WORKERS;

/** The workerd config: one socket per worker on 127.0.0.1 (port chosen by the system), fetches allowed to the
 * loopback addresses where the sandboxes listen (workerd's default outbound network allows only public ones). */
function workerdConfig(): string {
  const services = Object.keys(WORKERS).map((name) => `(name = "${name}", worker = .${camel(name)})`);
  const sockets = Object.keys(WORKERS).map(
    (name) => `(name = "${name}", address = "127.0.0.1:0", http = (), service = "${name}")`,
  );
  const workers = Object.entries(WORKERS).map(
    ([name, { date, flags }]) =>
      `const ${camel(name)} :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js")],
  compatibilityDate = "${date}",
  compatibilityFlags = [${flags.map((flag) => `"${flag}"`).join(', ')}],
  globalOutbound = "loopback",
);`,
  );
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [${[...services, '(name = "loopback", network = (allow = ["local"]))'].join(', ')}],
  sockets = [${sockets.join(', ')}],
);
${workers.join('\n')}
`;
}

function camel(name: string): string {
  return `${name.replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase())}Worker`;
}

/** The running workerd: the bundle's metafile, and each worker's origin once workerd reports it listening. */
interface Workerd {
  metafile: Metafile;
  origins: Record<WorkerName, string>;
  close(): Promise<void>;
}

async function startWorkerd(): Promise<Workerd> {
  const { binary } = await startableRuntime('workerd');
  const dir = await mkdtemp(join(tmpdir(), 'refundkit-workerd-'));
  const { metafile } = await build({
    entryPoints: [join(RUNTIMES_DIR, 'src', 'workerd-worker.ts')],
    absWorkingDir: RUNTIMES_DIR,
    outfile: join(dir, 'worker.js'),
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    conditions: WRANGLER_CONDITIONS,
    mainFields: ['browser', 'module', 'main'],
    external: ['node:*'],
    metafile: true,
    logLevel: 'silent',
  });
  await writeFile(join(dir, 'config.capnp'), workerdConfig());

  // workerd reports each socket's port on the control descriptor (fd 3) as one JSON line.
  const child = spawn(binary, ['serve', 'config.capnp', '--control-fd=3'], {
    cwd: dir,
    env: programEnv(),
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<never>((_, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => reject(new Error(`workerd ended with ${signal ?? code}:\n${stderr}`)));
  });
  const listening = new Promise<Record<WorkerName, string>>((resolve) => {
    const origins: Partial<Record<WorkerName, string>> = {};
    const control = child.stdio[3];
    if (control === null || control === undefined || !('on' in control)) throw new Error('no control pipe');
    createInterface({ input: control as NodeJS.ReadableStream }).on('line', (line) => {
      const message = JSON.parse(line) as { event?: string; socket?: WorkerName; port?: number };
      if (message.event === 'listen' && message.socket !== undefined) {
        origins[message.socket] = `http://127.0.0.1:${message.port}`;
      }
      if (Object.keys(WORKERS).every((name) => name in origins)) resolve(origins as Record<WorkerName, string>);
    });
  });
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const ended = new Promise((resolve) => child.once('exit', resolve));
      child.kill();
      await ended;
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    return { metafile, origins: await Promise.race([listening, exited]), close };
  } catch (error) {
    await close();
    throw new Error(`workerd cannot start: ${(error as Error).message}`);
  }
}

let workerd: Promise<Workerd> | undefined;
/** Starts workerd once for the file; both suites and the bundle checks share it. */
function sharedWorkerd(): Promise<Workerd> {
  workerd ??= startWorkerd();
  return workerd;
}
afterAll(async () => {
  await (await workerd)?.close();
});

function servedBy(name: WorkerName): () => Promise<StartedRuntime> {
  return async () => {
    const { origins } = await sharedWorkerd();
    return {
      async run(input: RuntimeCheckInput): Promise<RuntimeReport> {
        const response = await fetch(origins[name], { method: 'POST', body: JSON.stringify(input) });
        if (!response.ok) throw new Error(`the ${name} worker answered ${response.status}: ${await response.text()}`);
        return (await response.json()) as RuntimeReport;
      },
    };
  };
}

describe('workerd bundle', () => {
  let metafile: Metafile;
  beforeAll(async () => {
    ({ metafile } = await sharedWorkerd());
  });

  it("takes each package's portable build through Wrangler's conditions", () => {
    const built = Object.keys(metafile.inputs)
      .flatMap((file) => /(?:^|\/)packages\/([\w-]+\/dist\/[\w./-]+)$/.exec(file)?.[1] ?? [])
      .sort();
    // signing's `default` build (its root, its `./internal` and their shared chunk), never its `node` one; the
    // other packages have one build (split into chunks).
    const signing = built.filter((file) => file.startsWith('signing/'));
    expect(signing.length).toBeGreaterThan(0);
    expect(signing.filter((file) => !file.startsWith('signing/dist/portable/'))).toEqual([]);
    expect(signing).toContain('signing/dist/portable/internal.js');
    expect([...new Set(built.map((file) => file.split('/')[0]))]).toEqual([
      'kingdee-retail',
      'refund-model',
      'signing',
      'transport',
      'wangdian-aftersales',
    ]);
  });

  it('imports no node: built-in, so it runs without nodejs_compat', () => {
    const imports = Object.values(metafile.outputs).flatMap((output) => output.imports.map(({ path }) => path));
    expect(imports).toEqual([]);
  });
});

for (const [name, { title }] of Object.entries(WORKERS)) {
  describeRuntime({
    name: title,
    start: servedBy(name as WorkerName),
    hasProcess: name !== 'no-process',
    fallback: 'unset',
  });
}
