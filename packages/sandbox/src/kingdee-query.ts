/**
 * The sandbox's own reading of the query parameters of the Kingdee retail GET endpoints, as tables, and the one
 * checker that reads a query string against a table. The parameters travel in the signed query string, so the
 * signature already covers them; these checks add the types and ranges.
 */

/** How one query parameter is read. */
export type KingdeeQueryRule =
  /** Any non-empty text. */
  | 'text'
  /** `true` or `false`. */
  | 'boolean'
  /** A non-negative integer of digits. */
  | 'integer'
  /** A page number: an integer from 1. */
  | 'page'
  /** A page size: an integer from 1 to `KINGDEE_MAX_PAGE_SIZE`. */
  | 'page-size'
  /** Epoch milliseconds as digits, or `-1` for no bound. */
  | 'epoch-ms'
  /** A comma-separated list of non-empty items. */
  | 'list';

/** A table of the parameters an endpoint takes. */
export type KingdeeQueryTable = Readonly<Record<string, KingdeeQueryRule>>;

/** The largest page the retail list endpoints answer. */
export const KINGDEE_MAX_PAGE_SIZE = 100;
/** The page size when a caller sends none. */
export const KINGDEE_DEFAULT_PAGE_SIZE = 10;

/** `GET /jdy/v2/ls/retail_bill` (零售单列表). */
export const RETAIL_BILL_LIST_QUERY: KingdeeQueryTable = {
  member_id: 'text',
  store_id: 'text',
  cashier_id: 'text',
  fetch_detail: 'boolean',
  biz_type: 'text',
  start_time: 'epoch-ms',
  end_time: 'epoch-ms',
  bill_no: 'text',
  page_no: 'page',
  page_size: 'page-size',
  product_ids: 'list',
  pos_id: 'text',
  ids: 'list',
};

/** `GET /jdy/v2/ls/retail_bill_detail` (零售单详情): one or more of the bill's three keys. */
export const RETAIL_BILL_DETAIL_QUERY: KingdeeQueryTable = {
  bill_id: 'text',
  bill_no: 'text',
  inner_no: 'text',
};

/** `GET /jdy/v2/ls/store` (门店列表). */
export const STORE_LIST_QUERY: KingdeeQueryTable = {
  number: 'text',
  name: 'text',
  id: 'text',
  enable: 'integer',
  start_modified: 'epoch-ms',
  end_modified: 'epoch-ms',
  page: 'page',
  page_size: 'page-size',
};

/** A parameter's value as read: text, a boolean, a number, a list, or `undefined` for "no bound" (`-1`). */
export type KingdeeQueryValue = string | boolean | number | string[] | undefined;

/** Problems found in a query, each naming its parameter (never its value). */
export type KingdeeQueryCheck =
  | { ok: true; values: Record<string, KingdeeQueryValue> }
  | { ok: false; problems: string[]; values: Record<string, KingdeeQueryValue> };

function readValue(name: string, rule: KingdeeQueryRule, raw: string): { value: KingdeeQueryValue } | string {
  if (raw === '') return `${name} must not be empty`;
  switch (rule) {
    case 'text':
      return { value: raw };
    case 'boolean':
      return raw === 'true' || raw === 'false' ? { value: raw === 'true' } : `${name} must be true or false`;
    case 'integer':
      return /^\d{1,9}$/.test(raw) ? { value: Number(raw) } : `${name} must be a non-negative integer`;
    case 'page':
      return /^\d{1,9}$/.test(raw) && Number(raw) >= 1
        ? { value: Number(raw) }
        : `${name} must be an integer from 1 (the first page is 1)`;
    case 'page-size':
      return /^\d{1,9}$/.test(raw) && Number(raw) >= 1 && Number(raw) <= KINGDEE_MAX_PAGE_SIZE
        ? { value: Number(raw) }
        : `${name} must be an integer from 1 to ${KINGDEE_MAX_PAGE_SIZE}`;
    case 'epoch-ms':
      if (raw === '-1') return { value: undefined };
      return /^\d{1,16}$/.test(raw) ? { value: Number(raw) } : `${name} must be epoch milliseconds (digits) or -1`;
    case 'list': {
      const items = raw.split(',');
      return items.every((item) => item !== '')
        ? { value: items }
        : `${name} must be a comma-separated list of non-empty values`;
    }
  }
}

/**
 * Reads a query string against a table: every parameter must be in the table and appear at most once, and its value
 * must follow its rule. Returns the values read, or every problem found.
 */
export function checkKingdeeQuery(query: URLSearchParams, table: KingdeeQueryTable): KingdeeQueryCheck {
  const problems: string[] = [];
  const values: Record<string, KingdeeQueryValue> = {};
  const seen = new Set<string>();
  for (const [name, raw] of query) {
    const rule = Object.hasOwn(table, name) ? table[name] : undefined;
    if (rule === undefined) {
      problems.push(`${name} is not a parameter of this endpoint`);
      continue;
    }
    if (seen.has(name)) {
      problems.push(`${name} is given more than once`);
      continue;
    }
    seen.add(name);
    const read = readValue(name, rule, raw);
    if (typeof read === 'string') problems.push(read);
    else values[name] = read.value;
  }
  return problems.length > 0 ? { ok: false, problems, values } : { ok: true, values };
}

function windowProblem(values: Record<string, KingdeeQueryValue>, from: string, to: string): string | undefined {
  const start = values[from];
  const end = values[to];
  return typeof start === 'number' && typeof end === 'number' && start > end
    ? `${from} must not be after ${to}`
    : undefined;
}

function withRules(
  checked: KingdeeQueryCheck,
  rule: (values: Record<string, KingdeeQueryValue>) => string | undefined,
): KingdeeQueryCheck {
  // The rule reads the parameters that were read well, so it is reported beside any other problem.
  const problem = rule(checked.values);
  if (problem === undefined) return checked;
  return { ok: false, problems: [...(checked.ok ? [] : checked.problems), problem], values: checked.values };
}

/** The retail bill list query: its table, and a window whose start is not after its end. */
export function checkRetailBillListQuery(query: URLSearchParams): KingdeeQueryCheck {
  return withRules(checkKingdeeQuery(query, RETAIL_BILL_LIST_QUERY), (values) =>
    windowProblem(values, 'start_time', 'end_time'),
  );
}

/** The retail bill detail query: its table, and at least one of the bill's keys. */
export function checkRetailBillDetailQuery(query: URLSearchParams): KingdeeQueryCheck {
  return withRules(checkKingdeeQuery(query, RETAIL_BILL_DETAIL_QUERY), (values) =>
    values.bill_id === undefined && values.bill_no === undefined && values.inner_no === undefined
      ? 'bill_id is required when neither bill_no nor inner_no is given'
      : undefined,
  );
}

/** The store list query: its table, and a modification window whose start is not after its end. */
export function checkStoreListQuery(query: URLSearchParams): KingdeeQueryCheck {
  return withRules(checkKingdeeQuery(query, STORE_LIST_QUERY), (values) =>
    windowProblem(values, 'start_modified', 'end_modified'),
  );
}
