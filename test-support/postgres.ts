/**
 * One real PostgreSQL server per test run, shared by every test file that needs one, each file in databases of its
 * own. The first file to ask starts it (see `postgres-server.mjs`) under a lock in the run's folder
 * (REFUNDKIT_TEST_RUN_DIR) and writes where it listens there; the others read that. `test-run.global.ts` stops it
 * when the run ends.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { type PostgresServer, startPostgresServer } from './postgres-server.mjs';

/** The file in the run's folder that names the run's server. */
export const POSTGRES_SERVER_FILE = 'postgres-server.json';

let server: Promise<PostgresServer> | undefined;

async function runServer(): Promise<PostgresServer> {
  const runDir = process.env.REFUNDKIT_TEST_RUN_DIR;
  if (!runDir) throw new Error('REFUNDKIT_TEST_RUN_DIR is not set: run the tests through vitest (test-run.global.ts)');
  const info = join(runDir, POSTGRES_SERVER_FILE);
  const lock = join(runDir, 'postgres-server.lock');
  for (;;) {
    if (existsSync(info)) return JSON.parse(readFileSync(info, 'utf8')) as PostgresServer;
    try {
      mkdirSync(lock);
      break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  try {
    if (existsSync(info)) return JSON.parse(readFileSync(info, 'utf8')) as PostgresServer;
    const started = await startPostgresServer();
    writeFileSync(info, JSON.stringify(started));
    return started;
  } finally {
    rmdirSync(lock);
  }
}

/**
 * Creates a new, empty database on the run's PostgreSQL server (starting the server when it is the first ask) and
 * resolves its connection string.
 *
 * @example
 * const url = await createTestDatabase();
 * const pool = new pg.Pool({ connectionString: url });
 */
export async function createTestDatabase(): Promise<string> {
  server ??= runServer();
  const { url } = await server;
  const name = `test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const target = new URL(url);
  target.pathname = `/${name}`;
  return target.toString();
}
