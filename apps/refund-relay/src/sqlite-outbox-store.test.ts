import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { OUTBOX_SCHEMA_VERSION, openSqliteOutbox } from './sqlite-outbox-store.js';
import { tempDir } from './test-support.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function freshStore() {
  const { dir, cleanup } = tempDir();
  cleanups.push(cleanup);
  const path = join(dir, 'nested', 'outbox.db');
  return { path, store: openSqliteOutbox({ path }) };
}

// The OutboxStore contract both stores keep is in outbox-store.test.ts; these are the SQLite store's own.
describe('openSqliteOutbox', () => {
  it('creates the file in WAL mode and migrates to the current user_version', async () => {
    const { path, store } = freshStore();
    await store.close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(OUTBOX_SCHEMA_VERSION);
    const columns = db.prepare("SELECT name FROM pragma_table_info('deliveries')").all() as { name: string }[];
    expect(columns.map((c) => c.name)).toEqual(
      expect.arrayContaining(['state', 'attempts', 'next_attempt_at', 'solo']),
    );
    db.close();
    // Opening again does not re-run migrations.
    const again = openSqliteOutbox({ path });
    await again.close();
  });

  it('refuses a database written by a newer schema', async () => {
    const { path, store } = freshStore();
    await store.close();
    const db = new Database(path);
    db.pragma(`user_version = ${OUTBOX_SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => openSqliteOutbox({ path })).toThrow(/newer refund-relay/);
  });

  it('refuses a second relay while the holder of the outbox is alive', async () => {
    const { path, store } = freshStore();
    await store.close();
    // A live process that is not us: a sleeping child.
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    try {
      const db = new Database(path);
      db.prepare('INSERT INTO relay_lease (id, host, pid, acquired_at) VALUES (1, ?, ?, 0)').run(
        (await import('node:os')).hostname(),
        child.pid,
      );
      db.close();
      const second = openSqliteOutbox({ path });
      await expect(second.open({ now: 1 })).rejects.toThrow(/another refund-relay/);
      await second.close();
    } finally {
      child.kill('SIGKILL');
    }
    await new Promise((resolve) => child.once('exit', resolve));
    const third = openSqliteOutbox({ path });
    await expect(third.open({ now: 2 })).resolves.toEqual({ recovered: 0 });
    await third.close();
  });
});
