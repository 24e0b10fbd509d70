// What a minimal consumer of each vendor package costs, bundled and installed, beside the floor any such
// client pays: a minimal use of its two third-party libraries, ky (HTTP) and valibot (validation).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { builtUrl, root } from './lib/built.mjs';
import { installClosure } from './lib/install-graph.mjs';
import { BenchmarkSkipped, measuredRow } from './lib/rows.mjs';

/** The bundle budget: 20 kB gzipped per consumer, kB meaning 1,000 bytes. */
export const BUNDLE_BUDGET_BYTES = 20_000;

const VENDORS = {
  kingdee: {
    member: 'kingdee-retail',
    label: 'Kingdee',
    other: 'wangdian-aftersales',
    // The least a user of the package writes: a client and one call, with the body in the vendor's field names.
    minimal: `
import { createKingdeeRetailClient } from '@refundkit/kingdee-retail';
export async function pushRefund(settings, body) {
  return createKingdeeRetailClient(settings).refundSave(body);
}`,
    // A consumer that also parses a canonical refund and maps it to the vendor's body.
    withModel: `
import { createKingdeeRetailClient, toKingdeeRefundSave } from '@refundkit/kingdee-retail';
import { parseRefund } from '@refundkit/refund-model';
export async function pushRefund(settings, input) {
  const client = createKingdeeRetailClient(settings);
  return client.refundSave(toKingdeeRefundSave(parseRefund(input), { cmd: 'pay.refund.query', signMsg: '1' }));
}`,
  },
  wangdian: {
    member: 'wangdian-aftersales',
    label: 'Wangdian',
    other: 'kingdee-retail',
    minimal: `
import { createWangdianClient } from '@refundkit/wangdian-aftersales';
export async function pushRefund(settings, shopNo, rows) {
  return createWangdianClient(settings).uploadRawRefunds(shopNo, rows);
}`,
    withModel: `
import { createWangdianClient, toWangdianRawRefunds } from '@refundkit/wangdian-aftersales';
import { parseRefund } from '@refundkit/refund-model';
export async function pushRefund(settings, shopNo, input) {
  const client = createWangdianClient(settings);
  return client.uploadRawRefunds(shopNo, toWangdianRawRefunds(parseRefund(input)));
}`,
  },
};

// The floor: validate a body with valibot and POST it with ky, the least a hand-written client would do.
const FLOOR_SOURCE = `
import ky from 'ky';
import * as v from 'valibot';
const Body = v.object({ refund_no: v.pipe(v.string(), v.maxLength(40)), refund_amount: v.string() });
export async function pushRefund(url, input) {
  return ky.post(url, { json: v.parse(Body, input), retry: 0 }).json();
}`;

// Where the floor's libraries are installed: ky with transport, valibot with refund-model.
const FLOOR_LIBRARIES = { ky: 'packages/transport', valibot: 'packages/refund-model' };

/**
 * esbuild plugin: `@refundkit/<name>` resolves to that member's built dist (what a user installs), and the floor's
 * `ky` / `valibot` resolve from the workspace member that depends on them.
 */
const workspaceResolver = {
  name: 'refundkit-workspace',
  setup(builder) {
    builder.onResolve({ filter: /^@refundkit\/[a-z-]+$/ }, ({ path }) => {
      const file = builtUrl(path.slice('@refundkit/'.length));
      if (!existsSync(file)) return { errors: [{ text: `${path} is not built` }] };
      return { path: file.pathname };
    });
    builder.onResolve({ filter: /^(ky|valibot)$/ }, ({ path, resolveDir, kind, pluginData }) => {
      // Only the floor's own imports (the stdin source, whose folder is the root); the packages resolve their own.
      if (pluginData === 'floor' || resolve(resolveDir) !== resolve(root)) return undefined;
      return builder.resolve(path, { kind, resolveDir: join(root, FLOOR_LIBRARIES[path]), pluginData: 'floor' });
    });
  },
};

/** Bundles `source` (platform node, ESM, minified) and returns its bytes, gzipped bytes and input files. */
async function bundle(source) {
  const result = await build({
    stdin: { contents: source, resolveDir: root, loader: 'js', sourcefile: '<stdin>' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    minify: true,
    write: false,
    metafile: true,
    logLevel: 'silent',
    plugins: [workspaceResolver],
  });
  const code = result.outputFiles[0].contents;
  // Minified bytes each package contributes to the output, largest first.
  const byPackage = new Map();
  for (const output of Object.values(result.metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = packageOf(input);
      byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
    }
  }
  return {
    bytes: code.byteLength,
    gzip: gzipSync(code, { level: 9 }).byteLength,
    inputs: Object.keys(result.metafile.inputs),
    contributions: Object.fromEntries([...byPackage].sort((a, b) => b[1] - a[1])),
  };
}

/** The package an esbuild input path belongs to: `@refundkit/<member>`, a node_modules package, or the entry. */
function packageOf(input) {
  const member = /(?:^|\/)packages\/([a-z-]+)\/dist\//.exec(input);
  if (member) return `@refundkit/${member[1]}`;
  const installed = /.*node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
  return installed ? installed[1] : 'entry';
}

const exact = (value) => ({ median: value, p25: value, p75: value, mad: 0, n: 1 });

function requireBuilt(member) {
  if (!existsSync(builtUrl(member))) throw new BenchmarkSkipped(`${member}/dist not built`);
}

let floorPromise;
/**
 * Measures (once per run) the floor: the ky+valibot bundle's raw and gzipped bytes, and the two libraries' install
 * bytes and package count.
 */
export function floor() {
  floorPromise ??= (async () => {
    const built = await bundle(FLOOR_SOURCE);
    const closure = ['packages/transport/node_modules/ky', 'packages/refund-model/node_modules/valibot'].flatMap(
      (folder) => installClosure(join(root, folder)),
    );
    return { ...built, installBytes: closure.reduce((sum, item) => sum + item.bytes, 0), packages: closure.length };
  })();
  return floorPromise;
}

const CONSUMERS = {
  minimal: { id: '', title: 'minimal consumer (client + one call)' },
  withModel: { id: '-with-model', title: 'consumer with parseRefund + mapping' },
};

function bundleBenchmark(vendor, kind) {
  const { member, label, other } = VENDORS[vendor];
  const source = VENDORS[vendor][kind];
  return {
    id: `size.${vendor}-bundle${CONSUMERS[kind].id}`,
    name: `bundle of a ${label} ${CONSUMERS[kind].title}, min+gzip`,
    async run() {
      requireBuilt(member);
      const [consumer, base] = await Promise.all([bundle(source), floor()]);
      const foreign = consumer.inputs.filter((input) => input.includes(`packages/${other}/`));
      if (foreign.length > 0) throw new Error(`the ${label} bundle includes ${other}: ${foreign.join(', ')}`);
      return measuredRow({
        id: this.id,
        name: this.name,
        unit: 'B',
        subject: { ...exact(consumer.gzip), suffix: ` (${consumer.bytes.toLocaleString('en-US')} B raw)` },
        baseline: { label: 'ky+valibot floor', ...exact(base.gzip), raw: base.bytes },
        ratio: exact(consumer.gzip / base.gzip),
        better: 'lower',
        target: { on: 'subject', op: '<=', value: BUNDLE_BUDGET_BYTES, label: '≤ 20 kB gzip' },
        notes: [
          `minified bytes by package: ${Object.entries(consumer.contributions)
            .map(([name, bytes]) => `${name} ${bytes}`)
            .join(', ')}`,
        ],
        extra: { rawBytes: consumer.bytes, contributions: consumer.contributions, inputs: consumer.inputs },
      });
    },
  };
}

function installBenchmark(vendor) {
  const { member, other } = VENDORS[vendor];
  return {
    id: `size.${vendor}-install`,
    name: `install of @refundkit/${member}`,
    async run() {
      requireBuilt(member);
      const closure = installClosure(join(root, 'packages', member));
      const base = await floor();
      const missing = closure.filter((item) => item.missing).map((item) => item.name);
      if (missing.length > 0) throw new Error(`dependencies not installed: ${missing.join(', ')}`);
      const foreign = closure.filter((item) => item.name === `@refundkit/${other}`);
      const bytes = closure.reduce((sum, item) => sum + item.bytes, 0);
      const names = closure.map((item) => item.name);
      return measuredRow({
        id: this.id,
        name: `${this.name}: ${closure.length} packages`,
        unit: 'B',
        subject: exact(bytes),
        baseline: { label: `ky+valibot (${base.packages} pkgs)`, ...exact(base.installBytes) },
        ratio: exact(bytes / base.installBytes),
        better: 'lower',
        target: { label: `no @refundkit/${other}`, met: foreign.length === 0 },
        notes: [`packages: ${names.join(', ')}`],
        extra: { packages: closure },
      });
    },
  };
}

export const benchmarks = [
  bundleBenchmark('kingdee', 'minimal'),
  bundleBenchmark('wangdian', 'minimal'),
  bundleBenchmark('kingdee', 'withModel'),
  bundleBenchmark('wangdian', 'withModel'),
  installBenchmark('kingdee'),
  installBenchmark('wangdian'),
];
