// Refunds through the relay (`refund-relay push`, SQLite outbox) to both sandboxes, beside the same vendor
// calls made directly with the clients and no outbox: the cost of durability, in refunds per second and peak memory.
// Both sides run as fresh child processes on the same input file, against the same sandboxes (another process).
// Beside it, the same push with the PostgreSQL outbox (an embedded PostgreSQL 17 server) and 1, 2 and 4 relay
// processes sharing it, beside one relay on SQLite in the same rounds. And what following costs: the vendor calls
// `refund-relay follow --until-final` makes per 1,000 delivered refunds, counted by the sandboxes.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startPostgresServer, stopPostgresServer } from '../test-support/postgres-server.mjs';
import { builtUrl } from './lib/built.mjs';
import { refundInput } from './lib/fixtures.mjs';
import { BenchmarkSkipped, measuredRow } from './lib/rows.mjs';
import { sandboxes } from './lib/sandbox.mjs';
import { pairedRatios, summarise } from './lib/stats.mjs';

// The relay's default concurrency per vendor (refund-relay --help); the baseline uses the same.
const KINGDEE_CONCURRENCY = 4;
const WANGDIAN_CONCURRENCY = 2;

const here = (file) => fileURLToPath(new URL(file, import.meta.url));

// BENCH_RELAY_CPU_PROF=<folder>: each measured child also writes a V8 CPU profile there (`node --cpu-prof`), to see
// where a run's time goes; the figures of such a run include the profiler's own cost.
const profileFolder = process.env.BENCH_RELAY_CPU_PROF;

/**
 * Runs `node --import report-usage.mjs ...args`; resolves `{ ms, maxRssMiB, cpuMs, stdout }`, rejects on a non-zero
 * exit.
 */
function runMeasured(args, env, folder) {
  const usageFile = join(folder, `usage-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
  const profile = profileFolder ? ['--cpu-prof', '--cpu-prof-dir', profileFolder] : [];
  return new Promise((resolve, reject) => {
    const begun = performance.now();
    const child = spawn(
      process.execPath,
      [...profile, '--import', new URL('./lib/report-usage.mjs', import.meta.url).href, ...args],
      {
        env: { ...process.env, ...env, CI: '1', BENCH_USAGE_FILE: usageFile },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('exit', async (code) => {
      const ms = performance.now() - begun;
      if (code !== 0) {
        // The line that names the problem (an error's message or the relay's own "refund-relay: …"), not a stack.
        const lines = `${stderr}\n${stdout}`.split('\n').map((line) => line.trim());
        const reason = lines.find((line) => /^(\w*Error\b|refund-relay:)/.test(line)) ?? lines.find(Boolean) ?? '';
        reject(new Error(`${args[0].split('/').pop()} exited with ${code}: ${reason}`));
        return;
      }
      try {
        const { maxRssKiB, cpuMs } = JSON.parse(await readFile(usageFile, 'utf8'));
        resolve({ ms, maxRssMiB: maxRssKiB / 1024, cpuMs, stdout });
      } catch (error) {
        reject(error);
      }
    });
  });
}

/** Runs several commands side by side and resolves the wall time until the last exits (each must exit 0). */
async function runTogether(commands, env, folder) {
  const begun = performance.now();
  await Promise.all(commands.map((args) => runMeasured(args, env, folder)));
  return performance.now() - begun;
}

/** Checks the sandboxes stored every refund exactly once (Kingdee: one new refund each; Wangdian: one new row per line). */
async function expectDelivered(sandbox, side, refunds, rows) {
  const { kingdee, wangdian } = await sandbox.counters();
  if (kingdee.newRefunds !== refunds || wangdian.newRows !== rows) {
    throw new Error(
      `${side}: the sandboxes stored ${kingdee.newRefunds}/${refunds} Kingdee refunds and ${wangdian.newRows}/${rows} Wangdian rows`,
    );
  }
}

/** The built relay CLI, or BenchmarkSkipped when it or a package it runs is not built. */
function builtRelay() {
  const cli = builtUrl('refund-relay', 'cli.js');
  if (!existsSync(cli)) throw new BenchmarkSkipped('not available: apps/refund-relay/dist/cli.js not built');
  for (const member of ['kingdee-retail', 'wangdian-aftersales', 'refund-model', 'postgres']) {
    if (!existsSync(builtUrl(member))) throw new BenchmarkSkipped(`${member}/dist not built`);
  }
  return cli;
}

/** The credentials of both sandboxes, as the relay reads them from the environment. */
function sandboxEnv({ kingdee: kd, wangdian: wd }) {
  return {
    KINGDEE_CLIENT_ID: kd.credentials.clientId,
    KINGDEE_CLIENT_SECRET: kd.credentials.clientSecret,
    KINGDEE_APP_KEY: kd.credentials.appKey,
    KINGDEE_APP_SECRET: kd.credentials.appSecret,
    KINGDEE_DOMAIN: kd.credentials.domain,
    WANGDIAN_SID: wd.credentials.sid,
    WANGDIAN_APP_KEY: wd.credentials.appKey,
    WANGDIAN_APP_SECRET: wd.credentials.appSecret,
  };
}

let measured;
function measure(settings) {
  measured ??= (async () => {
    const cli = builtRelay();
    const sandbox = await sandboxes();
    const { kingdee: kd, wangdian: wd } = sandbox;
    const env = sandboxEnv(sandbox);
    const folder = await mkdtemp(join(tmpdir(), 'refundkit-bench-relay-'));
    try {
      const count = settings.relayRefunds;
      const inputs = Array.from({ length: count }, (_, index) => refundInput(index, 'RELAY'));
      const rows = inputs.reduce((sum, input) => sum + input.lines.length, 0);
      const file = join(folder, 'refunds.jsonl');
      await writeFile(file, `${inputs.map((input) => JSON.stringify(input)).join('\n')}\n`);

      const relay = async (round) =>
        runMeasured(
          [
            fileURLToPath(cli),
            'push',
            file,
            '--db',
            join(folder, `outbox-${round}.db`),
            '--json',
            '--kingdee-url',
            kd.url,
            '--wangdian-url',
            wd.url,
            '--kingdee-rate',
            '0',
            '--wangdian-rate',
            '0',
          ],
          env,
          folder,
        );
      const direct = async () =>
        runMeasured(
          [here('./lib/relay-direct.mjs'), file, kd.url, wd.url, `${KINGDEE_CONCURRENCY}`, `${WANGDIAN_CONCURRENCY}`],
          env,
          folder,
        );
      const results = { relay: [], direct: [] };
      for (let round = 0; round < settings.relayRounds; round++) {
        const order = round % 2 === 0 ? ['relay', 'direct'] : ['direct', 'relay'];
        for (const side of order) {
          await sandbox.reset();
          results[side].push(side === 'relay' ? await relay(round) : await direct());
          await expectDelivered(sandbox, side, count, rows);
        }
      }
      return { count, rows, results };
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  })();
  return measured;
}

/** Relay processes sharing the PostgreSQL outbox in the PostgreSQL benchmark. */
const POSTGRES_RELAYS = [1, 2, 4];

let measuredPostgres;
/**
 * Per round, on the same input and sandboxes: one relay on a new SQLite outbox, then 1, 2 and 4 relay processes
 * started together on a new PostgreSQL database, all of them pushing the same file (each refund is stored once; the
 * others find it a duplicate) and sharing the deliveries. Time is wall time until the last relay exits.
 */
function measurePostgres(settings) {
  measuredPostgres ??= (async () => {
    const cli = fileURLToPath(builtRelay());
    const sandbox = await sandboxes();
    const { kingdee: kd, wangdian: wd } = sandbox;
    const env = sandboxEnv(sandbox);
    const folder = await mkdtemp(join(tmpdir(), 'refundkit-bench-relay-pg-'));
    let server;
    try {
      server = await startPostgresServer();
    } catch (error) {
      throw new BenchmarkSkipped(`no embedded PostgreSQL: ${error.message.split('\n')[0]}`);
    }
    try {
      const count = settings.postgresRelayRefunds;
      const inputs = Array.from({ length: count }, (_, index) => refundInput(index, 'PGRELAY'));
      const rows = inputs.reduce((sum, input) => sum + input.lines.length, 0);
      const file = join(folder, 'refunds.jsonl');
      await writeFile(file, `${inputs.map((input) => JSON.stringify(input)).join('\n')}\n`);
      const common = ['--json', '--kingdee-url', kd.url, '--wangdian-url', wd.url, '--kingdee-rate', '0'];
      let databases = 0;
      const newDatabase = async () => {
        const name = `bench_${process.pid}_${databases++}`;
        const admin = new pg.Client({ connectionString: server.url });
        await admin.connect();
        await admin.query(`CREATE DATABASE ${name}`);
        await admin.end();
        return server.url.replace(/\/postgres$/, `/${name}`);
      };
      const sides = ['sqlite', ...POSTGRES_RELAYS.map((n) => `postgres-${n}`)];
      const results = Object.fromEntries(sides.map((side) => [side, []]));
      for (let round = 0; round < settings.relayRounds; round++) {
        const order = round % 2 === 0 ? sides : [...sides].reverse();
        for (const side of order) {
          await sandbox.reset();
          let commands;
          if (side === 'sqlite') {
            commands = [[cli, 'push', file, '--db', join(folder, `outbox-${round}.db`), ...common]];
          } else {
            const url = await newDatabase();
            const relays = Number(side.split('-')[1]);
            commands = Array.from({ length: relays }, () => [cli, 'push', file, '--database', url, ...common]);
          }
          const ms = await runTogether(commands, env, folder);
          await expectDelivered(sandbox, side, count, rows);
          results[side].push(count / (ms / 1000));
        }
      }
      return { count, rows, results };
    } finally {
      await stopPostgresServer(server);
      await rm(folder, { recursive: true, force: true });
    }
  })();
  return measuredPostgres;
}

let measuredFollow;
/** An ERP step of the follow benchmark's Wangdian sandbox, real time. */
const FOLLOW_STEP_MS = 2_000;
/**
 * Pushes `settings.followRefunds` returns through the relay CLI to both sandboxes (started here, from the built
 * package; the ERP moves each refund a step every 2 s and holds every 退换单 in review until the push is over, so
 * how long the push takes does not decide what following sees), then runs `refund-relay follow --until-final` (a
 * pass a second) until every refund is done, and counts the vendor calls the follow run made, by method, from the
 * sandboxes' per-route counters.
 */
function measureFollow(settings) {
  measuredFollow ??= (async () => {
    const cli = fileURLToPath(builtRelay());
    const { startKingdeeSandbox, startWangdianSandbox } = await import(builtUrl('sandbox').href);
    const kd = await startKingdeeSandbox({ logLimit: 100 });
    const wd = await startWangdianSandbox({ logLimit: 100, erp: { stepMs: FOLLOW_STEP_MS } });
    const folder = await mkdtemp(join(tmpdir(), 'refundkit-bench-follow-'));
    try {
      const count = settings.followRefunds;
      const inputs = Array.from({ length: count }, (_, index) => refundInput(index, 'FOLLOW'));
      const file = join(folder, 'refunds.jsonl');
      await writeFile(file, `${inputs.map((input) => JSON.stringify(input)).join('\n')}\n`);
      const env = sandboxEnv({ kingdee: kd, wangdian: wd });
      const common = ['--db', join(folder, 'outbox.db'), '--json', '--kingdee-url', kd.url, '--wangdian-url', wd.url];
      const rates = ['--kingdee-rate', '0', '--wangdian-rate', '0'];
      for (const input of inputs) wd.erp.holdInReview(input.refundNo);
      await runMeasured([cli, 'push', file, ...common, ...rates], env, folder);
      for (const input of inputs) wd.erp.holdInReview(input.refundNo, false);
      const before = { kingdee: kd.counters.byRoute, wangdian: wd.counters.byRoute };
      const follow = ['follow', '--until-final', '--follow-interval', '1s', '--follow-timeout', '10m'];
      const run = await runMeasured([cli, ...follow, ...common, ...rates], env, folder);
      const report = JSON.parse(run.stdout);
      if (!report.follow?.final) {
        throw new Error(`following ${count} refunds did not reach the end: ${JSON.stringify(report.follow)}`);
      }
      const spent = (vendor, counters) =>
        Object.fromEntries(
          Object.entries(counters)
            .map(([route, n]) => [route, n - (before[vendor][route] ?? 0)])
            .filter(([, n]) => n > 0),
        );
      const calls = {
        kingdee: spent('kingdee', kd.counters.byRoute),
        wangdian: spent('wangdian', wd.counters.byRoute),
      };
      const total = Object.values(calls).reduce(
        (sum, routes) => sum + Object.values(routes).reduce((a, n) => a + n, 0),
        0,
      );
      return { count, passes: report.follow.passes, calls, total, ms: run.ms };
    } finally {
      await Promise.allSettled([kd.close(), wd.close()]);
      await rm(folder, { recursive: true, force: true });
    }
  })();
  return measuredFollow;
}

export const benchmarks = [
  {
    id: 'relay.throughput',
    name: 'relay push to both vendors, throughput',
    async run(settings) {
      const { count, rows, results } = await measure(settings);
      const perSecond = (run) => count / (run.ms / 1000);
      const relay = results.relay.map(perSecond);
      const direct = results.direct.map(perSecond);
      const ratio = pairedRatios(relay, direct);
      // CPU time does not wait on other processes, so it tells the relay's own cost apart from a busy machine's.
      const cpu = (side) => summarise(results[side].map((run) => run.cpuMs / 1000)).median;
      const cpuRatio = pairedRatios(
        results.direct.map((run) => run.cpuMs),
        results.relay.map((run) => run.cpuMs),
      );
      return measuredRow({
        id: this.id,
        name: `${this.name} (${count.toLocaleString('en-US')} refunds)`,
        unit: 'refunds/s',
        subject: summarise(relay),
        baseline: { label: 'clients, no outbox', ...summarise(direct) },
        ratio,
        better: 'higher',
        // The target: the durable relay at no less than 0.7× the speed of the same calls made directly.
        target: { on: 'ratio', op: '>=', value: 0.7 },
        notes: [
          `cost of durability: the relay takes ${(1 / ratio.median).toFixed(2)}× the time of the direct calls`,
          `CPU time (user + system) per run: relay ${cpu('relay').toFixed(2)} s, direct ${cpu('direct').toFixed(2)} s; direct/relay ${cpuRatio.median.toFixed(2)}× [${cpuRatio.p25.toFixed(2)}–${cpuRatio.p75.toFixed(2)}]`,
          `${count} refunds = ${count} Kingdee saves + ${rows} Wangdian rows in uploads of ≤100; concurrency 4/2; whole process wall time`,
        ],
      });
    },
  },
  {
    id: 'relay.peak-rss',
    name: 'relay push to both vendors, peak RSS',
    async run(settings) {
      const { count, results } = await measure(settings);
      const relay = results.relay.map((run) => run.maxRssMiB);
      const direct = results.direct.map((run) => run.maxRssMiB);
      return measuredRow({
        id: this.id,
        name: `${this.name} (${count.toLocaleString('en-US')} refunds)`,
        unit: 'MiB',
        subject: summarise(relay),
        baseline: { label: 'clients, no outbox', ...summarise(direct) },
        ratio: pairedRatios(relay, direct),
        better: 'lower',
        target: null,
      });
    },
  },
  {
    id: 'relay.follow-calls',
    name: 'relay follow to the end, vendor calls per 1,000 refunds followed',
    async run(settings) {
      const { count, passes, calls, total, ms } = await measureFollow(settings);
      const perThousand = (n) => n / (count / 1000);
      // What following would cost with one lookup per refund per pass (what a window query replaces).
      const perRefund = count * passes;
      const routes = (vendor) =>
        Object.entries(calls[vendor])
          .map(([route, n]) => `${route.split('.').slice(-2).join('.')} ${n}`)
          .join(', ');
      return measuredRow({
        id: this.id,
        name: `${this.name} (${count.toLocaleString('en-US')} delivered refunds)`,
        unit: 'calls/1k refunds',
        subject: summarise([perThousand(total)]),
        baseline: {
          label: 'one lookup per refund per pass',
          ...summarise([perThousand(perRefund)]),
        },
        ratio: summarise([total / perRefund]),
        better: 'lower',
        target: null,
        notes: [
          `${count} returns followed to done in ${passes} pass${passes === 1 ? '' : 'es'} a second apart (${(ms / 1000).toFixed(1)} s; the ERP moves each a step every ${FOLLOW_STEP_MS / 1000} s): ${total} vendor calls`,
          `Wangdian: ${routes('wangdian') || 'none'}; Kingdee: ${routes('kingdee') || 'none'} (outcomes came with the saves)`,
        ],
      });
    },
  },
  ...POSTGRES_RELAYS.map((relays) => ({
    id: `relay.postgres.${relays}`,
    name: `relay push on PostgreSQL, ${relays} relay process${relays === 1 ? '' : 'es'}, throughput`,
    async run(settings) {
      const { count, rows, results } = await measurePostgres(settings);
      const subject = results[`postgres-${relays}`];
      return measuredRow({
        id: this.id,
        name: `${this.name} (${count.toLocaleString('en-US')} refunds)`,
        unit: 'refunds/s',
        subject: summarise(subject),
        baseline: { label: 'one relay on SQLite', ...summarise(results.sqlite) },
        ratio: pairedRatios(subject, results.sqlite),
        better: 'higher',
        target: null,
        notes: [
          `${relays} relay process${relays === 1 ? '' : 'es'} started together on one new database, each pushing the same file; wall time until the last exits`,
          `${count} Kingdee saves + ${rows} Wangdian rows; concurrency 4/2 per relay; the vendors are two sandboxes in one process on this machine`,
        ],
      });
    },
  })),
];
