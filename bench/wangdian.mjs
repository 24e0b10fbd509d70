// Wangdian uploadRawRefunds of 100 rows through the client, beside a hand-written fetch with a precomputed
// signed query, both against the same sandbox (run in a child process, see lib/sandbox.mjs).
import { loadBuilt } from './lib/built.mjs';
import { rawRefundRows } from './lib/fixtures.mjs';
import { compareCalls } from './lib/load.mjs';
import { measuredRow } from './lib/rows.mjs';
import { sandboxes } from './lib/sandbox.mjs';

const SHOP = 'LCJ';
const ROWS_PER_CALL = 100;
const METHOD = 'aftersales.refund.RawRefund.upload';

/**
 * The hand-written baseline: for each batch of calls, the 100 fresh rows' JSON text and its signed query (a fresh
 * timestamp per batch) are precomputed untimed; each timed call is one `fetch` and reading its JSON answer.
 */
function handWrittenBaseline(wd, signing) {
  const { wangdianSign, wangdianTimestamp, parseWangdianAppSecret } = signing;
  const { sid, appKey, appSecret } = wd.credentials;
  const { secret, salt } = parseWangdianAppSecret(appSecret);
  const run = Date.now().toString(36);
  let prepared = new Map();
  return {
    prepare(start, count) {
      prepared = new Map();
      const timestamp = wangdianTimestamp();
      for (let index = start; index < start + count; index++) {
        const body = JSON.stringify([SHOP, rawRefundRows(ROWS_PER_CALL, `WB${run}-${index}`)]);
        const params = { key: appKey, method: METHOD, salt, sid, timestamp, v: '1.0' };
        const sign = wangdianSign({ secret, params, body });
        const query = new URLSearchParams({ ...params, timestamp: String(timestamp), sign });
        prepared.set(index, { url: `${wd.url}/openapi?${query}`, body });
      }
    },
    async call(index) {
      const { url, body } = prepared.get(index);
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json;charset=utf-8' },
        body,
      });
      const answer = await response.json();
      if ((answer.status ?? 0) !== 0 || answer.data?.new_count !== ROWS_PER_CALL) {
        throw new Error(`baseline upload failed: status ${answer.status}`);
      }
      return answer.data;
    },
  };
}

/** The subject: `client.uploadRawRefunds(shop, rows)` with a client built from the sandbox's credentials. */
function clientSubject(client) {
  const run = Date.now().toString(36);
  let rows = new Map();
  return {
    prepare(start, count) {
      rows = new Map();
      for (let index = start; index < start + count; index++) {
        rows.set(index, rawRefundRows(ROWS_PER_CALL, `WS${run}-${index}`));
      }
    },
    async call(index) {
      const result = await client.uploadRawRefunds(SHOP, rows.get(index));
      if (result.newCount !== ROWS_PER_CALL) throw new Error(`client upload stored ${result.newCount} rows`);
      return result;
    },
  };
}

export const benchmarks = [
  {
    id: 'wangdian.upload-latency',
    name: 'Wangdian uploadRawRefunds 100 rows, c=1',
    async run(settings) {
      const { createWangdianClient } = await loadBuilt('wangdian-aftersales', ['createWangdianClient']);
      const signing = await loadBuilt('signing', ['wangdianSign', 'wangdianTimestamp', 'parseWangdianAppSecret']);
      const { wangdian: wd } = await sandboxes();
      const client = createWangdianClient({ ...wd.credentials, baseUrl: wd.url });
      const result = await compareCalls({
        subject: clientSubject(client),
        baseline: handWrittenBaseline(wd, signing),
        mode: 'latency',
        rounds: settings.httpRounds,
        calls: settings.uploadCalls,
        warmupCalls: Math.min(settings.httpWarmupCalls, 10),
      });
      return measuredRow({
        id: this.id,
        name: this.name,
        unit: 'ms',
        subject: result.subject,
        baseline: { label: 'hand-written fetch', ...result.baseline },
        ratio: result.ratio,
        better: 'lower',
        target: { on: 'ratio', op: '<=', value: 1.15 },
        notes: [`${settings.uploadCalls} sequential uploads of ${ROWS_PER_CALL} new rows per round`],
      });
    },
  },
];
