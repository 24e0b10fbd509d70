// The signers against an inline node:crypto baseline computing the same digest of the same bytes.
import { createHash, createHmac } from 'node:crypto';
import { loadBuilt } from './lib/built.mjs';
import { rawRefundRows } from './lib/fixtures.mjs';
import { compareMicro } from './lib/micro.mjs';
import { measuredRow } from './lib/rows.mjs';

// The worked example `kingdee-refund-save` of docs/protocols-kingdee.md: POST /jdy/v2/ls/refundSave, no query.
const KINGDEE_SECRET = 'f2adcfef73369bfc4e1384677d38a0ff';
const KINGDEE_REQUEST = {
  method: 'POST',
  path: '/jdy/v2/ls/refundSave',
  nonce: '1234567890',
  timestamp: 1700000000000,
};
const KINGDEE_EXPECTED = 'ZjBmMjdmN2JkM2NiNDk1Mjc5NTQ3ZjY3MDU4OTBkOTgyZWIwYTUyZTkxZDM4MWVmMmZkNmZhMDEzNGQxOTAyMA==';
const KINGDEE_STRING_TO_SIGN =
  'POST\n%2Fjdy%2Fv2%2Fls%2FrefundSave\n\nx-api-nonce:1234567890\nx-api-timestamp:1700000000000\n';

/** Query parameters of a `RawRefund.upload` call (sign excluded), as in the worked example
 * `wangdian-raw-refund-upload` of docs/protocols-wangdian.md. */
export const WANGDIAN_PARAMS = {
  sid: 'wdtapi3',
  key: 'appkey',
  salt: 'testsalt',
  method: 'aftersales.refund.RawRefund.upload',
  timestamp: 448900499,
  v: '1.0',
};
export const WANGDIAN_SECRET = 'testsecret';

/** The inline Wangdian baseline: md5(secret + sorted key/value concatenation + secret), lower-case hex. */
export function inlineWangdianSign(secret, params, body) {
  const entries = Object.entries({ ...params, body }).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  let text = secret;
  for (const [key, value] of entries) text += key + value;
  return createHash('md5')
    .update(text + secret, 'utf8')
    .digest('hex');
}

function sameSignature(subject, baseline) {
  if (subject !== baseline) throw new Error(`subject and baseline disagree: ${subject} vs ${baseline}`);
}

export const benchmarks = [
  {
    id: 'signing.kingdee',
    name: 'signKingdeeRequest, POST no query',
    async run(ctx) {
      const { signKingdeeRequest } = await loadBuilt('signing', ['signKingdeeRequest']);
      const request = { clientSecret: KINGDEE_SECRET, ...KINGDEE_REQUEST };
      const result = compareMicro({
        rounds: ctx.microRounds,
        timeMs: ctx.microTimeMs,
        subject: () => signKingdeeRequest(request),
        // One HMAC-SHA256 + hex + Base64 of the same (precomputed) string to sign.
        baseline: () =>
          Buffer.from(createHmac('sha256', KINGDEE_SECRET).update(KINGDEE_STRING_TO_SIGN).digest('hex')).toString(
            'base64',
          ),
        check: (subject, baseline) => {
          sameSignature(subject, baseline);
          sameSignature(subject, KINGDEE_EXPECTED);
        },
      });
      return microRow(this, result, 1.5, 'node:crypto HMAC');
    },
  },
  {
    id: 'signing.wangdian',
    name: 'wangdianSign, 100-row RawRefund body',
    async run(ctx) {
      const { wangdianSign } = await loadBuilt('signing', ['wangdianSign']);
      const body = JSON.stringify(['LCJ', rawRefundRows(100)]);
      const entries = Object.entries({ ...WANGDIAN_PARAMS, body }).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      // The same concatenation, built once: the baseline times the md5 alone.
      const concatenation = WANGDIAN_SECRET + entries.map(([key, value]) => key + value).join('') + WANGDIAN_SECRET;
      const result = compareMicro({
        rounds: ctx.microRounds,
        timeMs: ctx.microTimeMs,
        subject: () => wangdianSign({ secret: WANGDIAN_SECRET, params: WANGDIAN_PARAMS, body }),
        baseline: () => createHash('md5').update(concatenation, 'utf8').digest('hex'),
        check: sameSignature,
      });
      const row = microRow(this, result, 1.2, 'node:crypto md5');
      row.notes.push(`body ${Buffer.byteLength(body)} bytes`);
      return row;
    },
  },
];

/**
 * Turns a compareMicro result into a row: time per operation in µs (with ops/s beside it), the paired ratio and the
 * benchmark's "≤ N× the baseline" target.
 */
export function microRow(benchmark, result, target, baselineLabel) {
  return measuredRow({
    id: benchmark.id,
    name: benchmark.name,
    unit: 'µs',
    subject: { ...result.subject, suffix: ` (${formatOps(result.subject.opsPerSecond)} ops/s)` },
    baseline: { label: baselineLabel, ...result.baseline },
    ratio: result.ratio,
    better: 'lower',
    target: { on: 'ratio', op: '<=', value: target },
  });
}

function formatOps(value) {
  return value >= 1000 ? `${Math.round(value / 1000).toLocaleString('en-US')}k` : value.toFixed(0);
}
