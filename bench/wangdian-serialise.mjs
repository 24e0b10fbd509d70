// Serialising and signing a 100-row upload, against an inline JSON.stringify + node:crypto md5 baseline.
import { loadBuilt } from './lib/built.mjs';
import { rawRefundRows } from './lib/fixtures.mjs';
import { compareMicro } from './lib/micro.mjs';
import { inlineWangdianSign, microRow, WANGDIAN_PARAMS, WANGDIAN_SECRET } from './signing.mjs';

export const benchmarks = [
  {
    id: 'wangdian.serialise-sign',
    name: 'Wangdian serialise+sign, 100-row upload',
    async run(settings) {
      // The client's own serialiser (exact decimals, no exponents) and the shared signer.
      const { toWangdianJson } = await loadBuilt('wangdian-aftersales', ['toWangdianJson']);
      const { wangdianSign } = await loadBuilt('signing', ['wangdianSign']);
      const args = ['LCJ', rawRefundRows(100)];
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
];
