/**
 * Retail bills (零售单) as the Kingdee sandbox reads, keeps and answers them: the save body's field tables and their
 * check, the stored bill, the list and detail rows projected from it, and the list filters.
 */
import { toShanghaiDateTime } from '@refundkit/refund-model';
import { isJsonInteger, isLosslessNumber } from './kingdee-json.js';
import type { KingdeeQueryValue } from './kingdee-query.js';

/** How one body field is read. */
type FieldRule =
  | 'text'
  | 'decimal'
  | 'integer'
  | 'date-time'
  | 'object'
  | { list: Readonly<Record<string, FieldRule>> };

const PACKAGE_ENTRY: Readonly<Record<string, FieldRule>> = {
  material_id: 'text',
  unit_id: 'text',
  price: 'decimal',
  dis_price: 'decimal',
  qty: 'decimal',
};

const MATERIAL_ENTRY: Readonly<Record<string, FieldRule>> = {
  index: 'text',
  material_id: 'text',
  sku_id: 'text',
  unit_id: 'text',
  free: 'text',
  price: 'decimal',
  dis_price: 'decimal',
  qty: 'decimal',
  discount_fee: 'decimal',
  all_amount: 'decimal',
  flavor: 'text',
  flavor_index: 'text',
  package_no: 'text',
  package_list: { list: PACKAGE_ENTRY },
};

const SETTLE_ENTRY: Readonly<Record<string, FieldRule>> = { pay_type: 'text', settle_amt: 'decimal' };

const PROMOTION_SUMMARY: Readonly<Record<string, FieldRule>> = {
  promotion_type: 'text',
  promotion_amt: 'decimal',
  schema_id: 'text',
  schema_type: 'text',
  activity_id: 'text',
  activity_name: 'text',
  coupon_no: 'text',
  point_rule_id: 'text',
  consume_points: 'decimal',
  gift_points: 'decimal',
};

const PROMOTION_DETAIL: Readonly<Record<string, FieldRule>> = {
  index: 'text',
  material_id: 'text',
  sku_id: 'text',
  unit: 'text',
  promotion_amt: 'decimal',
  promotion_type: 'text',
  qty: 'decimal',
  promotion_schema: 'text',
  schema_type: 'text',
  activity_id: 'text',
  activity_no: 'text',
  activity_name: 'text',
  coupon_no: 'text',
  point_rule_id: 'text',
};

/** The documented fields of the retail bill save body (零售单保存) and how the sandbox reads each. */
const SAVE_FIELDS: Readonly<Record<string, FieldRule>> = {
  source: 'integer',
  bill_no: 'text',
  src_bill_id: 'text',
  bill_date: 'date-time',
  store_id: 'text',
  member_id: 'text',
  amt: 'decimal',
  discount_fee: 'decimal',
  bal_amount: 'decimal',
  delivery_type: 'text',
  delivery_code: 'text',
  seat_code: 'text',
  short_code: 'text',
  lack_tip: 'text',
  delivery_start_time: 'text',
  delivery_end_time: 'text',
  receiver_name: 'text',
  receiver_mobile: 'text',
  receiver_address_id: 'text',
  receiver_address: 'text',
  receiver_longitude: 'text',
  receiver_latitude: 'text',
  order_status: 'text',
  create_time: 'text',
  modify_time: 'text',
  remark: 'text',
  encrypt_key: 'text',
  material_entries: { list: MATERIAL_ENTRY },
  client_id: 'text',
  settle_entries: { list: SETTLE_ENTRY },
  promotion_summary: { list: PROMOTION_SUMMARY },
  promotion_details: { list: PROMOTION_DETAIL },
  member_deals: 'object',
};

/** A decimal written as text: optional minus, digits, optional fraction; no exponent, no plus sign. */
const DECIMAL = /^-?\d{1,20}(\.\d{1,10})?$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/** Reads `YYYY-MM-DD HH:mm:ss` (Asia/Shanghai, +08:00) as epoch ms, or `undefined` when it is not a real time. */
export function readShanghaiDateTime(text: string): number | undefined {
  const match = DATE_TIME.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number) as [number, number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s) - 8 * 60 * 60 * 1000;
  if (Number.isNaN(ms) || y < 1000) return undefined;
  return toShanghaiDateTime(new Date(ms)) === text ? ms : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !isLosslessNumber(value);
}

/** Checks one object against a field table; `null` means absent. Pushes problems as `path must ...`. */
function checkFields(
  source: Record<string, unknown>,
  table: Readonly<Record<string, FieldRule>>,
  prefix: string,
  problems: string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(source)) {
    if (value === null) continue;
    const rule = Object.hasOwn(table, name) ? table[name] : undefined;
    const path = `${prefix}${name}`;
    if (rule === undefined) {
      // Fields outside the table are kept as sent.
      out[name] = value;
      continue;
    }
    if (rule === 'text' || rule === 'decimal' || rule === 'date-time') {
      if (typeof value !== 'string') problems.push(`${path} must be a string`);
      else if (rule === 'decimal' && !DECIMAL.test(value)) {
        problems.push(`${path} must be a decimal written as a string (digits, optional fraction, no exponent)`);
      } else if (rule === 'date-time' && readShanghaiDateTime(value) === undefined) {
        problems.push(`${path} must be a date-time "YYYY-MM-DD HH:mm:ss"`);
      }
      out[name] = value;
    } else if (rule === 'integer') {
      if (!isJsonInteger(value)) problems.push(`${path} must be a JSON integer`);
      out[name] = value;
    } else if (rule === 'object') {
      if (!isRecord(value)) problems.push(`${path} must be an object`);
      out[name] = value;
    } else if (!Array.isArray(value)) {
      problems.push(`${path} must be a list`);
    } else {
      out[name] = value.map((entry, index) => {
        const at = `${path}[${index}]`;
        if (!isRecord(entry)) {
          problems.push(`${at} must be an object`);
          return entry;
        }
        return checkFields(entry, rule.list, `${at}.`, problems);
      });
    }
  }
  return out;
}

/** A retail bill save body after the sandbox's checks (documented fields typed, others kept, nulls dropped). */
export interface KingdeeRetailBillBody {
  src_bill_id: string;
  store_id: string;
  bill_no?: string;
  bill_date?: string;
  [field: string]: unknown;
}

/**
 * Checks a parsed retail bill save body. `src_bill_id` (the caller's key of the bill) and `store_id` (a store that
 * exists) are required; every documented field must have its documented type: text fields strings, amounts and
 * quantities decimal strings, `source` a JSON integer, `bill_date` `YYYY-MM-DD HH:mm:ss`, lists lists of objects.
 * `null` counts as absent. Problems name fields, never values.
 */
export function checkRetailBillSaveBody(
  input: unknown,
  storeExists: (id: string) => boolean,
): { ok: true; body: KingdeeRetailBillBody } | { ok: false; problems: string[] } {
  if (!isRecord(input)) return { ok: false, problems: ['body must be a JSON object'] };
  const problems: string[] = [];
  const body = checkFields(input, SAVE_FIELDS, '', problems);
  for (const field of ['src_bill_id', 'store_id']) {
    if (body[field] === undefined) problems.push(`${field} is required`);
    else if (body[field] === '') problems.push(`${field} must not be empty`);
  }
  if (typeof body.store_id === 'string' && body.store_id !== '' && !storeExists(body.store_id)) {
    problems.push('store_id is not a store of this account set');
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, body: body as KingdeeRetailBillBody };
}

/** A retail bill the sandbox keeps. */
export interface KingdeeStoredRetailBill {
  /** The bill id the save answered (`bill_id`), a 19-digit decimal string. */
  id: string;
  /** The bill number: the one sent, or one the sandbox gave. */
  billNo: string;
  /** The caller's key, `src_bill_id`; the detail endpoint's `inner_no`. */
  innerNo: string;
  /** The body of the latest save, as checked (numbers are lossless-json `LosslessNumber`s). */
  body: KingdeeRetailBillBody;
  /** The bill's time (`bill_date`, or the first save's server time), epoch ms: what start_time/end_time bound. */
  billTime: number;
  /** Server time of the first save, epoch ms. */
  savedAt: number;
  /** Server time of the latest save, epoch ms. */
  modifiedAt: number;
  /** Accepted saves of this src_bill_id (1 + re-saves). */
  saves: number;
}

/** Header fields a list row shows, by the name both the save and the row use. */
const ROW_FIELDS = [
  'store_id',
  'cashier_id',
  'emp_id',
  'member_id',
  'customer_id',
  'amt',
  'bal_amount',
  'currency_id',
  'source',
  'biz_type',
  'pos_no',
  'customer_type',
  'remark',
  'shift_id',
  'daily_id',
  'balance_no',
  'balance_msg',
  'msg',
] as const;

const ROW_MATERIAL_FIELDS = [
  'index',
  'material_id',
  'barcode',
  'sku_id',
  'batch_no',
  'stock_id',
  'free',
  'unit_id',
  'qty',
  'price',
  'dis_price',
  'all_amount',
  'name',
] as const;

function pick(source: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of names) if (source[name] !== undefined) out[name] = source[name];
  return out;
}

function records(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

/**
 * The row the list (and, with the entries, the detail) answers for a stored bill: `id`, `bill_no`, `bill_date`,
 * the header fields the save sent, `order_state` from the save's `order_status`; with `detail`, the material,
 * settlement, promotion and payment entries. Save names map to row names where they differ: an entry's
 * `discount_fee` is its `dis_amount`, a settlement's `pay_type` its `pay_type_id`, a promotion's `promotion_amt`
 * its `amt`.
 */
export function retailBillRow(bill: KingdeeStoredRetailBill, detail: boolean): Record<string, unknown> {
  const { body } = bill;
  const row: Record<string, unknown> = {
    id: bill.id,
    bill_no: bill.billNo,
    bill_date: body.bill_date ?? toShanghaiDateTime(new Date(bill.billTime)),
    ...pick(body, ROW_FIELDS),
  };
  if (body.order_status !== undefined) row.order_state = body.order_status;
  if (!detail) return row;
  row.material_entries = records(body.material_entries).map((entry) => ({
    ...pick(entry, ROW_MATERIAL_FIELDS),
    ...(entry.discount_fee === undefined ? {} : { dis_amount: entry.discount_fee }),
  }));
  row.settle_entries = records(body.settle_entries).map((entry) => ({
    ...(entry.pay_type === undefined ? {} : { pay_type_id: entry.pay_type }),
    ...pick(entry, ['settle_amt']),
  }));
  row.promotion_summary = records(body.promotion_summary).map((entry) => ({
    ...pick(entry, ['promotion_type', 'schema_id', 'activity_id', 'activity_name']),
    ...(entry.promotion_amt === undefined ? {} : { amt: entry.promotion_amt }),
  }));
  row.payment_entries = [];
  return row;
}

function textOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : isLosslessNumber(value) ? value.value : undefined;
}

/**
 * The stored bills a list query selects, in the order the sandbox answers them (by id, which grows with each new
 * bill, so re-saves never move a bill between pages): text filters match exactly, `ids` and `product_ids` any of
 * their items, and `start_time`/`end_time` bound the bill's time, both inclusive.
 */
export function selectRetailBills(
  bills: Iterable<KingdeeStoredRetailBill>,
  query: Record<string, KingdeeQueryValue>,
): KingdeeStoredRetailBill[] {
  const matches = (bill: KingdeeStoredRetailBill): boolean => {
    const { body } = bill;
    for (const name of ['store_id', 'member_id', 'cashier_id', 'biz_type'] as const) {
      const wanted = query[name];
      if (typeof wanted === 'string' && textOf(body[name]) !== wanted) return false;
    }
    if (typeof query.pos_id === 'string' && textOf(body.pos_id ?? body.pos_no) !== query.pos_id) return false;
    if (typeof query.bill_no === 'string' && bill.billNo !== query.bill_no) return false;
    if (Array.isArray(query.ids) && !query.ids.includes(bill.id)) return false;
    if (Array.isArray(query.product_ids)) {
      const wanted = query.product_ids;
      const products = records(body.material_entries).map((entry) => textOf(entry.material_id));
      if (!products.some((id) => id !== undefined && wanted.includes(id))) return false;
    }
    if (typeof query.start_time === 'number' && bill.billTime < query.start_time) return false;
    if (typeof query.end_time === 'number' && bill.billTime > query.end_time) return false;
    return true;
  };
  return [...bills].filter(matches).sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
}
