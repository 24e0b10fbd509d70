// Serialising, signing and validating a 100-row upload, each beside a JSON.stringify baseline of the same rows.
import { loadBuilt } from './lib/built.mjs';
import { rawRefundRows } from './lib/fixtures.mjs';
import { compareMicro } from './lib/micro.mjs';
import { measuredRow } from './lib/rows.mjs';
import { inlineWangdianSign, microRow, WANGDIAN_PARAMS, WANGDIAN_SECRET } from './signing.mjs';

const SHOP = 'LCJ';

export const benchmarks = [
  {
    id: 'wangdian.serialise-sign',
    name: 'Wangdian serialise+sign, 100-row upload',
    async run(settings) {
      // The client's own serialiser (exact decimals, no exponents) and the shared signer.
      const { toWangdianJson } = await loadBuilt('wangdian-aftersales', ['toWangdianJson']);
      const { wangdianSign } = await loadBuilt('signing', ['wangdianSign']);
      const args = [SHOP, rawRefundRows(100)];
      const result = compareMicro({
        rounds: settings.microRounds,
        timeMs: settings.microTimeMs,
        subject: () => {
          const body = toWangdianJson(args);
          return [body, wangdianSign({ secret: WANGDIAN_SECRET, params: WANGDIAN_PARAMS, body })];
        },
        baseline: () => {
          const body = JSON.stringify(args);
          return [body, inlineWangdianSign(WANGDIAN_SECRET, WANGDIAN_PARAMS, body)];
        },
        check: ([subjectBody, subjectSign], [baselineBody, baselineSign]) => {
          if (subjectBody !== baselineBody) throw new Error('toWangdianJson and JSON.stringify disagree on the rows');
          if (subjectSign !== baselineSign) throw new Error(`signs disagree: ${subjectSign} vs ${baselineSign}`);
        },
      });
      return microRow(this, result, 1.3, 'JSON.stringify+md5');
    },
  },
  {
    id: 'wangdian.validate-rows',
    name: 'Wangdian validateWangdianRawRefunds, 100 rows',
    async run(settings) {
      // What uploadRawRefunds checks before anything is sent: every field of every row, then repeated refund lines.
      const { validateWangdianRawRefunds } = await loadBuilt('wangdian-aftersales', ['validateWangdianRawRefunds']);
      const rows = rawRefundRows(100);
      const result = compareMicro({
        rounds: settings.microRounds,
        timeMs: settings.microTimeMs,
        subject: () => validateWangdianRawRefunds(SHOP, rows),
        // A yardstick, not the same work: one pass of JSON.stringify over the same rows.
        baseline: () => JSON.stringify([SHOP, rows]),
        check: (validated) => {
          if (validated.length !== rows.length) throw new Error(`validation answered ${validated.length} rows`);
        },
      });
      return measuredRow({
        id: this.id,
        name: this.name,
        unit: 'ms',
        subject: inMs(result.subject),
        baseline: { label: 'JSON.stringify of the rows', ...inMs(result.baseline) },
        ratio: result.ratio,
        better: 'lower',
        target: { on: 'subject', op: '<=', value: 0.5 },
        notes: ['the target is on the time itself; the ratio to one JSON.stringify of the same rows is a yardstick'],
      });
    },
  },
  {
    id: 'wangdian.exact-writer',
    name: 'Wangdian toWangdianJson of 100 validated rows',
    async run(settings) {
      // The body uploadRawRefunds writes: validated rows hold Decimals, which must be written as their exact digits.
      const { toWangdianJson, validateWangdianRawRefunds } = await loadBuilt('wangdian-aftersales', [
        'toWangdianJson',
        'validateWangdianRawRefunds',
      ]);
      const rows = rawRefundRows(100);
      const validated = [SHOP, validateWangdianRawRefunds(SHOP, rows)];
      const plain = [SHOP, rows];
      const result = compareMicro({
        rounds: settings.microRounds,
        timeMs: settings.microTimeMs,
        subject: () => toWangdianJson(validated),
        baseline: () => JSON.stringify(plain),
        check: (subject, baseline) => {
          if (subject !== baseline)
            throw new Error('toWangdianJson of the validated rows differs from the rows as sent');
        },
      });
      return microRow(this, result, 1.5, 'JSON.stringify of the caller’s rows');
    },
  },
];

/** A summary in µs (what compareMicro measures) as ms. */
function inMs(summary) {
  const scaled = { ...summary };
  for (const key of ['median', 'p25', 'p75', 'mad', 'min', 'max']) scaled[key] = summary[key] / 1000;
  return scaled;
}
