// The relay benchmark's baseline, run as its own process: the same vendor calls the relay makes for a file of
// refunds (Kingdee refundSave per refund; Wangdian uploads of whole refunds up to 100 rows), made directly with the
// two clients at the relay's default concurrency, with no outbox, no rate limit and no retries.
//
// Usage: node relay-direct.mjs <refunds.jsonl> <kingdee origin> <wangdian origin> <kingdee conc> <wangdian conc>
// (credentials from the environment: KINGDEE_*, WANGDIAN_*, as the relay reads them).
import { readFile } from 'node:fs/promises';
import { builtUrl } from './built.mjs';

const [file, kingdeeUrl, wangdianUrl, kingdeeConcurrency, wangdianConcurrency] = process.argv.slice(2);
const { parseRefund } = await import(builtUrl('refund-model').href);
const { createKingdeeRetailClient, toKingdeeRefundSave } = await import(builtUrl('kingdee-retail').href);
const { createWangdianClient, toWangdianRawRefunds } = await import(builtUrl('wangdian-aftersales').href);

const MAX_ROWS = 100;
const refunds = (await readFile(file, 'utf8'))
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => parseRefund(JSON.parse(line)));

const kingdee = createKingdeeRetailClient({ baseUrl: kingdeeUrl, retry: false, timeout: 30_000 });
const wangdian = createWangdianClient({ baseUrl: wangdianUrl, retry: false, timeout: 30_000, maxBatch: MAX_ROWS });

/** Runs `work(item)` over the items with at most `concurrency` at once. */
async function pool(items, concurrency, work) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

// Whole refunds per upload, at most 100 rows, one shop per call: the relay's batching.
const batches = [];
let current = { shop: undefined, rows: [] };
for (const refund of refunds) {
  const rows = toWangdianRawRefunds(refund);
  if (
    current.rows.length + rows.length > MAX_ROWS ||
    (current.shop !== undefined && current.shop !== refund.shopCode)
  ) {
    batches.push(current);
    current = { shop: undefined, rows: [] };
  }
  current.shop = refund.shopCode;
  current.rows.push(...rows);
}
if (current.rows.length > 0) batches.push(current);

await Promise.all([
  pool(refunds, Number(kingdeeConcurrency), (refund) =>
    kingdee.refundSave(toKingdeeRefundSave(refund, { cmd: 'pay.refund', signMsg: '1' })),
  ),
  pool(batches, Number(wangdianConcurrency), (batch) => wangdian.uploadRawRefunds(batch.shop, batch.rows)),
]);
