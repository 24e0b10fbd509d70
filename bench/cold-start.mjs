// Importing each vendor package in a fresh Node process, as a ratio to a bare `node -e 0` timed in the
// same rounds.
import { existsSync } from 'node:fs';
import { builtUrl } from './lib/built.mjs';
import { timeNode } from './lib/processes.mjs';
import { BenchmarkSkipped, measuredRow } from './lib/rows.mjs';
import { pairedRatios, summarise } from './lib/stats.mjs';

const VENDORS = [
  ['kingdee', 'kingdee-retail'],
  ['wangdian', 'wangdian-aftersales'],
];

const BARE = ['-e', '0'];
const importArgs = (member) => ['--input-type=module', '-e', `await import(${JSON.stringify(builtUrl(member).href)});`];

// Both vendors share one set of rounds (and one bare baseline per round), measured once per run.
let measured;
function measure(settings) {
  measured ??= (async () => {
    const available = VENDORS.filter(([, member]) => existsSync(builtUrl(member)));
    const commands = [['bare', BARE], ...available.map(([vendor, member]) => [vendor, importArgs(member)])];
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

function coldStart(vendor, member) {
  return {
    id: `cold-start.${vendor}`,
    name: `cold start: import @refundkit/${member}`,
    async run(settings) {
      if (!existsSync(builtUrl(member))) throw new BenchmarkSkipped(`${member}/dist not built`);
      const times = await measure(settings);
      const subject = summarise(times[vendor]);
      return measuredRow({
        id: this.id,
        name: this.name,
        unit: 'ms',
        subject,
        baseline: { label: 'node -e 0', ...summarise(times.bare) },
        ratio: pairedRatios(times[vendor], times.bare),
        better: 'lower',
        target: null,
        notes: [`import adds ${(subject.median - summarise(times.bare).median).toFixed(1)} ms over a bare start`],
      });
    },
  };
}

export const benchmarks = VENDORS.map(([vendor, member]) => coldStart(vendor, member));
