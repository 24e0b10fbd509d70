/**
 * The sandbox's own reading of the Kingdee request rules, as one function: what a route's body or query checks
 * refuse, before any gateway rule. Users can hold their own request builders against it; our client's test holds
 * the client's endpoint definitions against it on generated inputs.
 */
import { parseKingdeeJson } from './kingdee-json.js';
import { checkRetailBillDetailQuery, checkRetailBillListQuery, checkStoreListQuery } from './kingdee-query.js';
import { checkRefundSaveBody } from './kingdee-refund-save.js';
import { checkRetailBillSaveBody } from './kingdee-retail-bill.js';
import type { KingdeeRoute } from './kingdee-sandbox.js';

/** The routes whose requests carry checked business fields. */
export type KingdeeCheckedRoute = Exclude<KingdeeRoute, 'authorize' | 'token'>;

/** The verdict: the problems the sandbox would answer (errcode 1001), and the fields they name. */
export interface KingdeeRequestVerdict {
  ok: boolean;
  /** Each problem as the sandbox words it, field path first (`material_entries[0].qty must be a string`). */
  problems: string[];
  /** The field paths the problems name, in order, without repeats. */
  fields: string[];
}

const GET_CHECKS = {
  retailBillList: checkRetailBillListQuery,
  retailBillDetail: checkRetailBillDetailQuery,
  storeList: checkStoreListQuery,
} as const;

function toQuery(input: unknown): URLSearchParams {
  if (input instanceof URLSearchParams) return input;
  const query = new URLSearchParams();
  if (typeof input !== 'object' || input === null) return query;
  for (const [name, value] of Object.entries(input)) {
    if (value === undefined || value === null) continue;
    query.append(name, Array.isArray(value) ? value.map(String).join(',') : String(value));
  }
  return query;
}

function verdict(problems: readonly string[]): KingdeeRequestVerdict {
  const fields = [...new Set(problems.map((problem) => problem.split(' ')[0] as string))];
  return { ok: problems.length === 0, problems: [...problems], fields };
}

/**
 * Checks a request as the Kingdee sandbox checks it. For the GET routes `input` is the query (an object whose
 * lists become comma-separated values, or a `URLSearchParams`); for the POST routes the body, as a value (sent as
 * `JSON.stringify` would send it) or as JSON text. `storeIds` are the stores a retail bill may name (default: any).
 *
 * @example
 * checkKingdeeRequest('retailBillList', { page_no: 0 }); // { ok: false, fields: ['page_no'], problems: [...] }
 */
export function checkKingdeeRequest(
  route: KingdeeCheckedRoute,
  input: unknown,
  options: { storeIds?: Iterable<string> } = {},
): KingdeeRequestVerdict {
  if (route === 'retailBillList' || route === 'retailBillDetail' || route === 'storeList') {
    const checked = GET_CHECKS[route](toQuery(input));
    return verdict(checked.ok ? [] : checked.problems);
  }
  let body: unknown;
  try {
    body = parseKingdeeJson(typeof input === 'string' ? input : (JSON.stringify(input) ?? ''));
  } catch {
    return verdict(['body is not valid JSON']);
  }
  if (route === 'refundSave') {
    const checked = checkRefundSaveBody(body);
    return verdict(checked.ok ? [] : checked.problems);
  }
  const stores = options.storeIds === undefined ? undefined : new Set(options.storeIds);
  const checked = checkRetailBillSaveBody(body, (id) => stores === undefined || stores.has(id));
  return verdict(checked.ok ? [] : checked.problems);
}
