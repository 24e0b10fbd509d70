// Test helper: the runtime binaries the npm packages `bun`, `deno` and `workerd` ship, started as child processes.
import { execFile, type SpawnOptions, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The runtimes package folder: the programs run from here, so package names resolve through its node_modules. */
export const RUNTIMES_DIR = fileURLToPath(new URL('..', import.meta.url));

const BINARIES = {
  bun: join('bin', 'bun.exe'),
  deno: 'deno',
  workerd: join('bin', 'workerd'),
} as const;

/** A runtime package of runtimes/package.json. */
export type RuntimePackage = keyof typeof BINARIES;

/** The packages every runtime program imports, which must be built (their `exports` point into dist/). */
const BUILT = ['signing', 'refund-model', 'transport', 'kingdee-retail', 'wangdian-aftersales'];

/**
 * Resolves the binary of a runtime package and proves it starts (`--version`), answering the version it prints.
 * Throws an error that says which runtime cannot start and how to fix it: a runtime is never skipped silently.
 */
export async function startableRuntime(name: RuntimePackage): Promise<{ binary: string; version: string }> {
  const missing = BUILT.filter((pkg) => !existsSync(join(RUNTIMES_DIR, '..', 'packages', pkg, 'dist', 'index.js')));
  if (missing.length > 0) {
    throw new Error(`the runtime suites run the built packages; build them first (pnpm build): no dist/ in ${missing}`);
  }
  const binary = join(RUNTIMES_DIR, 'node_modules', name, BINARIES[name]);
  const fix =
    `its binary comes from the npm package "${name}" (runtimes/package.json), placed by the package's install ` +
    `script: run \`npx -y pnpm@10.34.9 install\` with "${name}" listed under onlyBuiltDependencies in ` +
    'pnpm-workspace.yaml';
  const version = await new Promise<string>((resolve, reject) => {
    execFile(binary, ['--version'], { timeout: 30_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${name} cannot start (${binary} --version: ${error.message} ${stderr}); ${fix}`));
      else resolve(stdout.trim());
    });
  });
  return { binary, version };
}

/** The environment of a runtime program: this one without any credential variable, so a fallback finds nothing. */
export function programEnv(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && !/^(KINGDEE|WANGDIAN)_/.test(entry[0]),
    ),
  );
}

/**
 * Runs a program to its end with `input` on stdin and answers its stdout; a non-zero exit throws with its stderr.
 */
export function runToEnd(binary: string, args: readonly string[], input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const options: SpawnOptions = { cwd: RUNTIMES_DIR, env: programEnv(), stdio: ['pipe', 'pipe', 'pipe'] };
    const child = spawn(binary, args, options);
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`${binary} ${args.join(' ')} ended with ${signal ?? code}:\n${stderr.slice(-4000)}`));
    });
    child.stdin?.end(input);
  });
}
