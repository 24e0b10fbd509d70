import { describe, expect, it } from 'vitest';
import { migrate, REFUNDKIT_POSTGRES_MIGRATIONS, runMigrations } from './postgres-migrations.js';
import { useTestDatabase } from './test-support.js';

const { newPool } = useTestDatabase();

describe('migrate', () => {
  it('is safe when several processes run it at once: one migrates, the others find it done', async () => {
    const results = await Promise.all(Array.from({ length: 5 }, () => migrate(newPool())));
    const to = REFUNDKIT_POSTGRES_MIGRATIONS.steps.length;
    expect(results.filter((r) => r.from === 0)).toHaveLength(1);
    expect(results.every((r) => r.to === to)).toBe(true);
    const { rows } = await newPool().query('SELECT version FROM refundkit_schema_versions WHERE component = $1', [
      REFUNDKIT_POSTGRES_MIGRATIONS.component,
    ]);
    expect(rows).toEqual([{ version: to }]);
    expect(await migrate(newPool())).toEqual({ from: to, to });
  });

  it('applies only the new steps of a component and refuses a database from a newer release', async () => {
    const pool = newPool();
    const component = 'test-component';
    await runMigrations(pool, { component, steps: ['CREATE TABLE t1 (id int)'] });
    expect(
      await runMigrations(pool, { component, steps: ['CREATE TABLE t1 (id int)', 'ALTER TABLE t1 ADD c int'] }),
    ).toEqual({
      from: 1,
      to: 2,
    });
    await pool.query('INSERT INTO t1 (id, c) VALUES (1, 2)');
    await expect(runMigrations(pool, { component, steps: ['CREATE TABLE t1 (id int)'] })).rejects.toThrow(
      /schema version 2, newer than this release's 1/,
    );
  });

  it('rolls a failing step back whole', async () => {
    const pool = newPool();
    const component = 'failing-component';
    await expect(runMigrations(pool, { component, steps: ['CREATE TABLE t2 (id int)', 'NOT SQL'] })).rejects.toThrow();
    const { rows } = await pool.query("SELECT to_regclass('t2') AS t");
    expect(rows).toEqual([{ t: null }]);
  });
});
