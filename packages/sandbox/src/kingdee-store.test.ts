import { describe, expect, it } from 'vitest';
import { type KingdeeSandboxOptions, startKingdeeSandbox } from './kingdee-sandbox.js';
import { type KingdeeAnswer, kingdeeSandboxPerTest, openKingdeeSession } from './kingdee-test-session.js';

const STORE = '/jdy/v2/ls/store';

const startSandbox = kingdeeSandboxPerTest();

async function start(options: KingdeeSandboxOptions = {}) {
  const kd = await startSandbox(options);
  return { kd, session: await openKingdeeSession(kd) };
}

function page(answer: KingdeeAnswer) {
  expect(answer.body.errcode).toBe(0);
  return answer.body.data as {
    total_page: number;
    cur_page_size: number;
    count: number;
    page_size: number;
    page: number;
    rows: Record<string, string>[];
  };
}

describe('store list (GET /jdy/v2/ls/store)', () => {
  it('answers the seeded stores: 19-digit ids as exact strings, numbers S0001…, enabled', async () => {
    const { kd, session } = await start();
    const answer = await session.get(STORE);
    const data = page(answer);
    expect(data).toMatchObject({ total_page: 1, cur_page_size: 5, count: 5, page_size: 10, page: 1 });
    expect(data.rows.map((row) => row.number)).toEqual(['S0001', 'S0002', 'S0003', 'S0004', 'S0005']);
    expect(data.rows).toEqual(kd.stores);
    for (const row of data.rows) {
      expect(row.id).toMatch(/^\d{19}$/);
      expect(BigInt(row.id ?? '0')).toBeGreaterThan(BigInt(Number.MAX_SAFE_INTEGER));
      expect(answer.text).toContain(`"id":"${row.id}"`);
      expect(row.enable).toBe('1');
    }
    expect(kd.counters.storeQueries).toBe(1);
  });

  it('pages from 1 across 3+ pages with the paging fields', async () => {
    const { kd, session } = await start({ stores: 23 });
    const pages = await Promise.all(
      [1, 2, 3, 4].map(async (n) => page(await session.get(STORE, { page: String(n), page_size: '10' }))),
    );
    expect(pages.map((p) => [p.page, p.cur_page_size, p.count, p.total_page, p.page_size])).toEqual([
      [1, 10, 23, 3, 10],
      [2, 10, 23, 3, 10],
      [3, 3, 23, 3, 10],
      [4, 0, 23, 3, 10],
    ]);
    expect(pages.flatMap((p) => p.rows.map((row) => row.id))).toEqual(kd.stores.map((store) => store.id));
  });

  it('filters by id, number, part of the name, enable and the modification window (inclusive, epoch ms)', async () => {
    const rows = [
      { id: '1420169116878110721', number: 'A1', name: '南山店', enable: '1', modify_time: '1000', create_time: '1' },
      { id: '1420169116878110722', number: 'A2', name: '福田店', enable: '0', modify_time: '2000', create_time: '1' },
      { id: '1420169116878110723', number: 'A3', name: '南山二店', enable: '1', modify_time: '3000', create_time: '1' },
    ];
    const { session } = await start({ stores: rows });
    const numbers = async (query: Record<string, string>) =>
      page(await session.get(STORE, query)).rows.map((row) => row.number);
    expect(await numbers({ id: '1420169116878110722' })).toEqual(['A2']);
    expect(await numbers({ number: 'A3' })).toEqual(['A3']);
    expect(await numbers({ name: '南山' })).toEqual(['A1', 'A3']);
    expect(await numbers({ enable: '0' })).toEqual(['A2']);
    expect(await numbers({ start_modified: '2000', end_modified: '3000' })).toEqual(['A2', 'A3']);
    expect(await numbers({ end_modified: '1999' })).toEqual(['A1']);
    expect(await numbers({ start_modified: '-1', end_modified: '-1' })).toEqual(['A1', 'A2', 'A3']);
  });

  it('refuses bad parameters, naming each (errcode 1001)', async () => {
    const { session } = await start();
    for (const [query, message] of [
      [{ page: '0' }, 'page must be an integer from 1'],
      [{ page_size: '500' }, 'page_size must be an integer from 1 to 100'],
      [{ enable: 'yes' }, 'enable must be a non-negative integer'],
      [{ start_modified: '5', end_modified: '4' }, 'start_modified must not be after end_modified'],
      [{ page_no: '1' }, 'page_no is not a parameter of this endpoint'],
    ] as const) {
      const answer = await session.get(STORE, query);
      expect(answer.body.errcode).toBe(1001);
      expect(String(answer.body.description)).toContain(message);
    }
  });

  it('checks the stores option at start-up', async () => {
    await expect(startKingdeeSandbox({ stores: -1 })).rejects.toThrow(RangeError);
    await expect(startKingdeeSandbox({ stores: [{ id: '1', number: 'x' } as never] })).rejects.toThrow(
      /stores\[0\]\.name/,
    );
    await expect(
      startKingdeeSandbox({ stores: [{ id: '1', number: 'x', name: 'n', enable: 1 } as never] }),
    ).rejects.toThrow(/stores\[0\]\.enable must be a string/);
  });
});
