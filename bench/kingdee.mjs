// Kingdee refundSave through the client, beside a hand-written fetch with precomputed signed headers, both
// against the same sandbox endpoint (run in a child process, see lib/sandbox.mjs).
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadBuilt, root } from './lib/built.mjs';
import { kingdeeRefundSaveBody } from './lib/fixtures.mjs';
import { compareCalls } from './lib/load.mjs';
import { measuredRow } from './lib/rows.mjs';
import { sandboxes } from './lib/sandbox.mjs';

const REFUND_SAVE_PATH = '/jdy/v2/ls/refundSave';
const TOKEN_PATH = '/jdyconnector/app_management/kingdee_auth_token';

/** One POST with `fetch`, answering the parsed JSON: the hand-written baseline's call. */
async function postWithFetch(url, headers, body) {
  const response = await fetch(url, { method: 'POST', headers, body });
  return { status: response.status, answer: await response.json() };
}

/**
 * The same POST through ky with the options @refundkit/transport gives it (no retry, no HTTP errors thrown): what ky
 * alone costs over `fetch`, measured to tell ky's share of the client's overhead from refundkit's own.
 */
async function kyPoster() {
  const kyPath = createRequire(join(root, 'packages/transport/package.json')).resolve('ky');
  const { default: ky } = await import(pathToFileURL(kyPath).href);
  return async (url, headers, body) => {
    const response = await ky(url, { method: 'POST', headers, body, retry: 0, throwHttpErrors: false, timeout: false });
    return { status: response.status, answer: await response.json() };
  };
}

/**
 * The hand-written baseline: an app-token fetched once, then for each batch of calls the signed headers (a distinct
 * 12-digit nonce per call, as the sandbox refuses a replayed nonce, and a fresh timestamp) and the JSON body
 * precomputed untimed; each timed call is one `post` (a `fetch` unless given) and reading its JSON answer.
 */
async function handWrittenBaseline(kd, signing, post = postWithFetch) {
  const { signKingdeeRequest, kingdeeAppSignature } = signing;
  const { clientId, clientSecret, appKey, appSecret, domain } = kd.credentials;
  const signed = (method, path, query, nonce) => {
    const timestamp = Date.now();
    return {
      'X-Api-ClientID': clientId,
      'X-Api-Auth-Version': '2.0',
      'X-Api-TimeStamp': String(timestamp),
      'X-Api-Nonce': nonce,
      'X-Api-SignHeaders': 'X-Api-TimeStamp,X-Api-Nonce',
      'X-Api-Signature': signKingdeeRequest({ clientSecret, method, path, query, nonce, timestamp }),
    };
  };
  const nonceBase = 100_000_000_000 + Math.floor(Math.random() * 800_000_000_000);
  const query = { app_key: appKey, app_signature: kingdeeAppSignature({ appKey, appSecret }) };
  const tokenResponse = await fetch(`${kd.url}${TOKEN_PATH}?${new URLSearchParams(query)}`, {
    headers: signed('GET', TOKEN_PATH, query, String(nonceBase - 1)),
  });
  const token = (await tokenResponse.json())?.data?.['app-token'];
  if (typeof token !== 'string') throw new Error('the baseline could not get an app-token from the sandbox');

  const url = `${kd.url}${REFUND_SAVE_PATH}`;
  let prepared = new Map();
  return {
    prepare(start, count) {
      prepared = new Map();
      for (let index = start; index < start + count; index++) {
        const headers = {
          ...signed('POST', REFUND_SAVE_PATH, undefined, String(nonceBase + index)),
          'Content-Type': 'application/json',
          'app-token': token,
          'X-GW-Router-Addr': domain,
        };
        prepared.set(index, { headers, body: JSON.stringify(kingdeeRefundSaveBody(`KB-${nonceBase}-${index}`)) });
      }
    },
    async call(index) {
      const { headers, body } = prepared.get(index);
      const { status, answer } = await post(url, headers, body);
      if (answer.errcode !== 0) throw new Error(`baseline refundSave failed: ${status} ${answer.errcode}`);
      return answer.data;
    },
  };
}

/** The subject: `client.refundSave(body)` with a client built from the sandbox's credentials, default settings. */
function clientSubject(client) {
  const run = `${Date.now()}`;
  let bodies = new Map();
  return {
    prepare(start, count) {
      bodies = new Map();
      for (let index = start; index < start + count; index++) {
        bodies.set(index, kingdeeRefundSaveBody(`KS-${run}-${index}`));
      }
    },
    call: (index) => client.refundSave(bodies.get(index)),
  };
}

// Latency and throughput share one client, one baseline and one sandbox; set up once per run.
let setup;
function prepare() {
  setup ??= (async () => {
    const { createKingdeeRetailClient } = await loadBuilt('kingdee-retail', ['createKingdeeRetailClient']);
    const signing = await loadBuilt('signing', ['signKingdeeRequest', 'kingdeeAppSignature']);
    const { kingdee: kd } = await sandboxes();
    const client = createKingdeeRetailClient({ ...kd.credentials, baseUrl: kd.url });
    return {
      subject: clientSubject(client),
      baseline: await handWrittenBaseline(kd, signing),
      bareKy: await handWrittenBaseline(kd, signing, await kyPoster()),
    };
  })();
  return setup;
}

/**
 * A latency benchmark at concurrency 1: `subjectOf(setup)` against a baseline (default the hand-written fetch), 200
 * sequential calls a round (fewer in smoke runs).
 */
function latencyBenchmark({
  id,
  name,
  subjectOf,
  baselineOf = (setup) => setup.baseline,
  baselineLabel = 'hand-written fetch',
  target,
  note,
}) {
  return {
    id,
    name,
    async run(settings) {
      const setup = await prepare();
      const result = await compareCalls({
        subject: subjectOf(setup),
        baseline: baselineOf(setup),
        mode: 'latency',
        rounds: settings.httpRounds,
        calls: settings.latencyCalls,
        warmupCalls: settings.httpWarmupCalls,
      });
      return measuredRow({
        id,
        name,
        unit: 'ms',
        subject: result.subject,
        baseline: { label: baselineLabel, ...result.baseline },
        ratio: result.ratio,
        better: 'lower',
        ...(target ? { target } : {}),
        notes: [`${settings.latencyCalls} sequential calls per round${note ? `; ${note}` : ''}`],
      });
    },
  };
}

export const benchmarks = [
  latencyBenchmark({
    id: 'kingdee.refund-save-latency',
    name: 'Kingdee refundSave latency, c=1',
    subjectOf: (setup) => setup.subject,
  }),
  latencyBenchmark({
    id: 'kingdee.refund-save-vs-ky-latency',
    name: 'Kingdee refundSave latency against a bare ky call, c=1',
    subjectOf: (setup) => setup.subject,
    baselineOf: (setup) => setup.bareKy,
    baselineLabel: 'bare ky call',
    target: { on: 'ratio', op: '<=', value: 1.05 },
    note: "the baseline sends the hand-written fetch's precomputed request through ky",
  }),
  {
    id: 'kingdee.refund-save-throughput',
    name: 'Kingdee refundSave throughput, c=32',
    async run(settings) {
      const { subject, baseline } = await prepare();
      const result = await compareCalls({
        subject,
        baseline,
        mode: 'throughput',
        rounds: settings.httpRounds,
        calls: settings.throughputCalls,
        warmupCalls: settings.httpWarmupCalls,
        concurrency: settings.concurrency,
      });
      return measuredRow({
        id: this.id,
        name: this.name,
        unit: 'req/s',
        subject: result.subject,
        baseline: { label: 'hand-written fetch', ...result.baseline },
        ratio: result.ratio,
        better: 'higher',
        target: { on: 'ratio', op: '>=', value: 0.8 },
        notes: [`${settings.throughputCalls} calls per round, ${settings.concurrency} in flight`],
      });
    },
  },
  latencyBenchmark({
    id: 'kingdee.ky-floor-latency',
    name: 'bare ky call (same precomputed request), c=1',
    subjectOf: (setup) => setup.bareKy,
    note: "ky's own share of the client's overhead: the baseline's request, sent through ky as transport does",
  }),
];
