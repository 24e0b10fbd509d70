#!/usr/bin/env node
// refundkit benchmarks: `pnpm bench` (build, then every benchmark, full rounds) or `node bench/run.mjs --smoke`
// (one short round of everything, as CI runs it so the benchmarks cannot rot). Prints one table; writes the figures
// to bench/results/latest.json (full) or to the OS temp folder (smoke), with the machine they came from.
//
// Every figure is a ratio to a baseline measured in the same run on the same inputs. Targets are printed as
// met/missed and never fail the run: the exit code is non-zero only when a benchmark crashes.
//
// Options: --smoke (or BENCH_SMOKE=1), --only <id-prefix>[,<id-prefix>…] to run some benchmarks (ids in the JSON).
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { root } from './lib/built.mjs';
import { describeMachine, machineLine } from './lib/machine.mjs';
import { BenchmarkSkipped, crashedRow, skippedRow } from './lib/rows.mjs';
import { closeSandboxes } from './lib/sandbox.mjs';
import { renderTable } from './lib/table.mjs';

// Modules in the order they run: the cheap, early-landing ones first, the relay last.
const MODULES = ['signing', 'wangdian-serialise', 'size', 'cold-start', 'kingdee', 'wangdian', 'relay'];

const { values: options } = parseArgs({
  options: { smoke: { type: 'boolean', default: false }, only: { type: 'string' } },
});
const smoke = options.smoke || process.env.BENCH_SMOKE === '1';
const only = options.only?.split(',').filter(Boolean);

/** Rounds and sizes of each kind of benchmark: full runs for the report, one short round for smoke. */
const settings = smoke
  ? {
      mode: 'smoke',
      microRounds: 1,
      microTimeMs: 40,
      processRounds: 1,
      httpRounds: 1,
      httpWarmupCalls: 8,
      latencyCalls: 20,
      throughputCalls: 96,
      concurrency: 32,
      uploadCalls: 4,
      relayRefunds: 200,
      relayRounds: 1,
      postgresRelayRefunds: 100,
      followRefunds: 300,
    }
  : {
      mode: 'full',
      microRounds: 7,
      microTimeMs: 250,
      processRounds: 15,
      httpRounds: 5,
      httpWarmupCalls: 64,
      latencyCalls: 200,
      throughputCalls: 1000,
      concurrency: 32,
      uploadCalls: 30,
      relayRefunds: 10_000,
      relayRounds: 2,
      postgresRelayRefunds: 4_000,
      followRefunds: 10_000,
    };

const started = performance.now();
const machine = describeMachine(root);
console.log(`refundkit benchmarks (${settings.mode}) on ${machineLine(machine)}`);

const rows = [];
try {
  for (const name of MODULES) {
    let benchmarks;
    try {
      ({ benchmarks } = await import(`./${name}.mjs`));
    } catch (error) {
      rows.push(crashedRow({ id: name, name: `module ${name}.mjs`, error }));
      continue;
    }
    for (const benchmark of benchmarks) {
      if (only && !only.some((prefix) => benchmark.id.startsWith(prefix))) continue;
      const begun = performance.now();
      process.stdout.write(`  ${benchmark.id} … `);
      let produced;
      try {
        produced = [await benchmark.run(settings)].flat();
      } catch (error) {
        const { id, name: title } = benchmark;
        produced = [
          error instanceof BenchmarkSkipped
            ? skippedRow({ id, name: title, reason: error.message })
            : crashedRow({ id, name: title, error }),
        ];
        if (!(error instanceof BenchmarkSkipped)) console.error(error);
      }
      console.log(
        `${produced.map((row) => row.verdict).join(', ')} (${((performance.now() - begun) / 1000).toFixed(1)} s)`,
      );
      rows.push(...produced);
    }
  }
} finally {
  await closeSandboxes();
}

const durationSeconds = Math.round((performance.now() - started) / 100) / 10;
console.log(`\n${renderTable(rows)}\n`);
for (const row of rows) if (row.notes?.length) console.log(`- ${row.id}: ${row.notes.join('; ')}`);
console.log(`Finished in ${durationSeconds} s. Ratios are subject/baseline (median of paired rounds, [p25–p75]).`);

const report = { schema: 1, mode: settings.mode, machine, settings, durationSeconds, rows };
// Only a full run of everything replaces the committed figures; smoke and --only runs write to the temp folder.
const file =
  smoke || only
    ? join(tmpdir(), `refundkit-bench-${smoke ? 'smoke' : 'partial'}.json`)
    : join(root, 'bench', 'results', 'latest.json');
await mkdir(join(file, '..'), { recursive: true });
await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
console.log(`Figures written to ${file}`);

const crashed = rows.filter((row) => row.status === 'crashed');
if (crashed.length > 0) {
  console.error(`${crashed.length} benchmark(s) crashed: ${crashed.map((row) => row.id).join(', ')}`);
  process.exitCode = 1;
}
