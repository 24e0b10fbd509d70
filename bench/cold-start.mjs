// Importing each vendor package in a fresh Node process, against a bare `node -e 0` timed in the same rounds, and
// what each of their dependencies costs imported alone, so a slow start points at the package that causes it.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { builtUrl, root } from './lib/built.mjs';
import { timeNode } from './lib/processes.mjs';
import { BenchmarkSkipped, measuredRow } from './lib/rows.mjs';
import { pairedRatios, summarise } from './lib/stats.mjs';

/** The cold-start budget: importing a vendor package adds at most this much to a bare start, in ms. */
export const COLD_START_BUDGET_MS = 40;

const VENDORS = [
  ['kingdee', 'kingdee-retail'],
  ['wangdian', 'wangdian-aftersales'],
];

/**
 * What the vendor packages load, each imported alone: valibot (where refund-model installs it), Node's crypto
 * (which signing's Node build hashes with), and the shared workspace packages, each of which loads the ones before it.
 */
const DEPENDENCIES = [
  ['valibot', pathToFileURL(join(root, 'packages/refund-model/node_modules/valibot/dist/index.mjs'))],
  ['node:crypto', 'node:crypto'],
  ['@refundkit/refund-model', builtUrl('refund-model')],
  ['@refundkit/signing', builtUrl('signing')],
  ['@refundkit/transport', builtUrl('transport', 'internal.js')],
];

const BARE = ['-e', '0'];
const importArgs = (target) => [
  '--input-type=module',
  '-e',
  `await import(${JSON.stringify(typeof target === 'string' ? target : target.href)});`,
];
const available = (target) => typeof target === 'string' || existsSync(target);

// Every command shares one set of rounds (and one bare baseline per round), measured once per run.
let measured;
function measure(settings) {
  measured ??= (async () => {
    const commands = [
      ['bare', BARE],
      ...VENDORS.filter(([, member]) => existsSync(builtUrl(member))).map(([vendor, member]) => [
        vendor,
        importArgs(builtUrl(member)),
      ]),
      ...DEPENDENCIES.filter(([, target]) => available(target)).map(([name, target]) => [name, importArgs(target)]),
    ];
    const times = Object.fromEntries(commands.map(([name]) => [name, []]));
    // One warm-up round fills the file-system cache and is discarded.
    for (const [, args] of commands) await timeNode(args);
    for (let round = 0; round < settings.processRounds; round++) {
      // Rotate the order each round so no command always runs right after another.
      const order = commands.map((_, index) => commands[(index + round) % commands.length]);
      for (const [name, args] of order) times[name].push(await timeNode(args));
    }
    return times;
  })();
  return measured;
}

/** The time an import adds to a bare start, round by round (each round's bare start is its own baseline). */
function added(times, name) {
  return times[name].map((value, index) => value - times.bare[index]);
}

function coldStart(vendor, member) {
  return {
    id: `cold-start.${vendor}`,
    name: `cold start: import @refundkit/${member}, added to node -e 0`,
    async run(settings) {
      if (!existsSync(builtUrl(member))) throw new BenchmarkSkipped(`${member}/dist not built`);
      const times = await measure(settings);
      return measuredRow({
        id: this.id,
        name: this.name,
        unit: 'ms',
        subject: summarise(added(times, vendor)),
        baseline: { label: 'node -e 0', ...summarise(times.bare) },
        ratio: pairedRatios(times[vendor], times.bare),
        better: 'lower',
        target: { on: 'subject', op: '<=', value: COLD_START_BUDGET_MS, label: `≤ ${COLD_START_BUDGET_MS} ms added` },
        notes: [
          `whole start ${summarise(times[vendor]).median.toFixed(1)} ms; what each dependency adds alone: the cold-start.dependency rows`,
        ],
      });
    },
  };
}

function dependencyCost(name, target) {
  return {
    id: `cold-start.dependency.${name.replace(/^@refundkit\//, '').replace(/[^a-z0-9-]/g, '-')}`,
    name: `cold start: import ${name} alone, added to node -e 0`,
    async run(settings) {
      if (!available(target)) throw new BenchmarkSkipped(`${name} is not built or installed`);
      const times = await measure(settings);
      return measuredRow({
        id: this.id,
        name: this.name,
        unit: 'ms',
        subject: summarise(added(times, name)),
        baseline: { label: 'node -e 0', ...summarise(times.bare) },
        ratio: pairedRatios(times[name], times.bare),
        better: 'lower',
        target: null,
      });
    },
  };
}

export const benchmarks = [
  ...VENDORS.map(([vendor, member]) => coldStart(vendor, member)),
  ...DEPENDENCIES.map(([name, target]) => dependencyCost(name, target)),
];
