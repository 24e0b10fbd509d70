/**
 * Stores (门店) of the Kingdee sandbox's account set: the seeded rows, the list filters and the page answer.
 */
import type { KingdeeQueryValue } from './kingdee-query.js';

/** A store row as `GET /jdy/v2/ls/store` answers it; every field is text, as the vendor's model documents. */
export interface KingdeeStoreRow {
  id: string;
  number: string;
  name: string;
  /** '1' enabled, '0' disabled. */
  enable: string;
  /** Epoch ms as digits: what start_modified/end_modified bound. */
  modify_time: string;
  create_time: string;
  sale_type?: string;
  remark?: string;
  region?: string;
  address?: string;
  group_id?: string;
  group_number?: string;
  group_name?: string;
  location_id?: string;
  location_number?: string;
  location_name?: string;
  sale_dept_id?: string;
  sale_dept_number?: string;
  sale_dept_name?: string;
  lng?: string;
  lat?: string;
  [field: string]: string | undefined;
}

/** A store row to seed: id, number and name, the other fields optional (enable '1', times '0'). */
export type KingdeeStoreInput = Pick<KingdeeStoreRow, 'id' | 'number' | 'name'> & Partial<KingdeeStoreRow>;

/** The first seeded store id: 19 digits, past what a binary float holds exactly. */
const FIRST_STORE_ID = 1_420_169_116_878_110_721n;

/**
 * The stores a sandbox starts with: `count` enabled stores numbered S0001, S0002, ... (the vendor's refundSave
 * example sends shop_id S0002), with 19-digit ids and modification times one minute apart from `since`.
 */
export function seedKingdeeStores(count: number, since: number): KingdeeStoreRow[] {
  return Array.from({ length: count }, (_, i) => {
    const n = i + 1;
    const time = String(since + i * 60_000);
    return {
      id: String(FIRST_STORE_ID + BigInt(i) * 1_000_003n),
      number: `S${String(n).padStart(4, '0')}`,
      name: `门店${n}`,
      enable: '1',
      sale_type: '1',
      region: '华南',
      address: `深圳市南山区科技园${n}号`,
      group_id: '1420169116878100001',
      group_number: 'G01',
      group_name: '直营店',
      modify_time: time,
      create_time: time,
    };
  });
}

/** Checks a seeded store row: id, number and name non-empty text; every field text. */
export function checkStoreRow(row: unknown, index: number): KingdeeStoreRow {
  const where = `stores[${index}]`;
  if (typeof row !== 'object' || row === null) throw new TypeError(`${where} must be an object`);
  for (const [name, value] of Object.entries(row)) {
    if (typeof value !== 'string') throw new TypeError(`${where}.${name} must be a string`);
  }
  const r = row as Partial<KingdeeStoreRow>;
  for (const name of ['id', 'number', 'name'] as const) {
    if (!r[name]) throw new TypeError(`${where}.${name} must be a non-empty string`);
  }
  const defaults: Record<string, string> = { enable: '1', modify_time: '0', create_time: '0' };
  return { ...defaults, ...(row as Record<string, string>) } as KingdeeStoreRow;
}

/**
 * The stores a list query selects, in seed order: `id` and `number` match exactly, `name` as a part of the name,
 * `enable` exactly, and `start_modified`/`end_modified` bound `modify_time`, both inclusive.
 */
export function selectStores(
  stores: readonly KingdeeStoreRow[],
  query: Record<string, KingdeeQueryValue>,
): KingdeeStoreRow[] {
  return stores.filter((store) => {
    if (typeof query.id === 'string' && store.id !== query.id) return false;
    if (typeof query.number === 'string' && store.number !== query.number) return false;
    if (typeof query.name === 'string' && !store.name.includes(query.name)) return false;
    if (typeof query.enable === 'number' && store.enable !== String(query.enable)) return false;
    const modified = Number(store.modify_time);
    if (typeof query.start_modified === 'number' && modified < query.start_modified) return false;
    if (typeof query.end_modified === 'number' && modified > query.end_modified) return false;
    return true;
  });
}

/** One page of a list, with the paging fields the store list answers. */
export function storePage(
  selected: readonly KingdeeStoreRow[],
  page: number,
  pageSize: number,
): {
  total_page: number;
  cur_page_size: number;
  count: number;
  page_size: number;
  page: number;
  rows: KingdeeStoreRow[];
} {
  const rows = selected.slice((page - 1) * pageSize, page * pageSize).map((row) => ({ ...row }));
  return {
    total_page: Math.ceil(selected.length / pageSize),
    cur_page_size: rows.length,
    count: selected.length,
    page_size: pageSize,
    page,
    rows,
  };
}
