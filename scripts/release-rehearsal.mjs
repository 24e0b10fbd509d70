#!/usr/bin/env node
// Release rehearsal: proves that what we would publish installs and works for a user.
//
// 1. Copies the workspace's publishable parts (manifests, built dist, docs, changesets) to a scratch folder, so the
//    rehearsal never edits the checkout.
// 2. Starts a local npm registry (Verdaccio) on 127.0.0.1 and creates a publisher account on it.
// 3. Versions the packages with changesets (`changeset version`) and publishes them (`changeset publish`).
// 4. Checks every published tarball holds only built output, README, CHANGELOG, LICENSE and package.json.
// 5. Installs two throwaway consumers with plain npm from that registry, outside the workspace:
//    an ESM TypeScript app that depends only on @refundkit/kingdee-retail (type-checked against the published
//    .d.ts, then run), and a CommonJS app that require()s only @refundkit/wangdian-aftersales. Each makes one real
//    call against a sandbox started from the workspace's built @refundkit/sandbox, and neither install may hold the
//    other vendor's package.
//
// Run after `turbo run build`. Exits non-zero on the first failed check.
import { execFile, spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { freePort } from '../test-support/free-port.mjs';

const run = promisify(execFile);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// The JavaScript entry points of the tools the rehearsal runs (pnpm's .bin entries are shell wrappers).
const tools = {
  verdaccio: join(root, 'node_modules', 'verdaccio', 'bin', 'verdaccio'),
  changeset: join(root, 'node_modules', '@changesets', 'cli', 'bin.js'),
  tsc: join(root, 'node_modules', 'typescript', 'bin', 'tsc'),
};
const keep = process.env.REHEARSAL_KEEP === '1';
let passed = 0;

function ok(what) {
  passed += 1;
  console.log(`  ✓ ${what}`);
}

function check(condition, what) {
  if (!condition) throw new Error(`release rehearsal: ${what}`);
  ok(what);
}

async function exists(path) {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function sh(command, args, options = {}) {
  try {
    return await run(command, args, { maxBuffer: 64 * 1024 * 1024, ...options });
  } catch (error) {
    console.error(error.stdout ?? '', error.stderr ?? '');
    throw new Error(`release rehearsal: \`${command} ${args.join(' ')}\` failed in ${options.cwd ?? root}`);
  }
}

async function workspacePackages() {
  const found = [];
  for (const dir of await readdir(join(root, 'packages'))) {
    const manifestPath = join(root, 'packages', dir, 'package.json');
    if (!(await exists(manifestPath))) continue;
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
    if (manifest.private) continue;
    if (!(await exists(join(root, 'packages', dir, 'dist')))) {
      throw new Error(`release rehearsal: ${manifest.name} has no dist/: run the build first`);
    }
    found.push({ dir, name: manifest.name });
  }
  return found;
}

async function stageWorkspace(stage, packages) {
  for (const file of ['package.json', 'pnpm-workspace.yaml', 'pnpm-lock.yaml']) {
    await cp(join(root, file), join(stage, file));
  }
  await cp(join(root, '.changeset'), join(stage, '.changeset'), { recursive: true });
  for (const { dir } of packages) {
    const from = join(root, 'packages', dir);
    const to = join(stage, 'packages', dir);
    await mkdir(to, { recursive: true });
    for (const entry of ['package.json', 'bin', 'dist', 'README.md', 'LICENSE', 'CHANGELOG.md']) {
      if (await exists(join(from, entry))) await cp(join(from, entry), join(to, entry), { recursive: true });
    }
  }
}

async function startRegistry(scratch) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const config = join(scratch, 'verdaccio.yaml');
  // No uplinks: @refundkit/* can only come from what this rehearsal publishes; consumers take everything else
  // (ky, valibot, ...) from their usual registry.
  await writeFile(
    config,
    [
      `storage: ${join(scratch, 'storage')}`,
      'auth:',
      '  htpasswd:',
      `    file: ${join(scratch, 'htpasswd')}`,
      '    max_users: 10',
      'uplinks: {}',
      'packages:',
      "  '@refundkit/*':",
      '    access: $all',
      '    publish: $authenticated',
      "  '**':",
      '    access: $all',
      '    publish: $authenticated',
      'log: { type: stdout, format: pretty, level: error }',
      '',
    ].join('\n'),
  );
  const child = spawn(process.execPath, [tools.verdaccio, '--config', config, '--listen', `127.0.0.1:${port}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`release rehearsal: verdaccio exited early:\n${output}`);
    try {
      const response = await fetch(`${url}-/ping`);
      if (response.ok) break;
    } catch {}
    if (Date.now() > deadline) throw new Error(`release rehearsal: verdaccio did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const response = await fetch(`${url}-/user/org.couchdb.user:rehearsal`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'rehearsal', password: `rehearsal-${port}`, type: 'user', roles: [] }),
  });
  const { token } = await response.json();
  if (!token) throw new Error('release rehearsal: verdaccio gave no token for the publisher account');
  return { url, port, token, stop: () => child.kill('SIGTERM') };
}

/**
 * Makes sure `pnpm` is on PATH for changesets, which publishes through the package manager the workspace declares:
 * the pnpm running this script when there is one, else pnpm from PATH, else the pinned pnpm through npx (from the
 * user's own registry, not the rehearsal's).
 */
async function pnpmShim(scratch) {
  const shimDir = join(scratch, 'bin');
  await mkdir(shimDir, { recursive: true });
  const execPath = process.env.npm_execpath;
  let target;
  if (execPath && /pnpm/.test(execPath)) {
    target = `exec "${process.execPath}" "${execPath}" "$@"`;
  } else if (
    await sh('sh', ['-c', 'command -v pnpm']).then(
      () => true,
      () => false,
    )
  ) {
    return undefined;
  } else {
    const pinned = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')).packageManager;
    const { stdout } = await sh('npm', ['config', 'get', 'registry']);
    target = `npm_config_registry="${stdout.trim()}" exec npx -y ${pinned} "$@"`;
  }
  await writeFile(join(shimDir, 'pnpm'), `#!/bin/sh\n${target}\n`, { mode: 0o755 });
  return shimDir;
}

async function tarballEntries(registry, name, version, scratch) {
  const meta = await (await fetch(`${registry.url}${name.replace('/', '%2f')}`)).json();
  const tarball = meta.versions?.[version]?.dist?.tarball;
  if (!tarball) throw new Error(`release rehearsal: ${name}@${version} is not on the registry`);
  const file = join(scratch, `${name.replace('/', '-')}-${version}.tgz`);
  await writeFile(file, Buffer.from(await (await fetch(tarball)).arrayBuffer()));
  const { stdout } = await sh('tar', ['-tzf', file]);
  return stdout.split('\n').filter((line) => line && !line.endsWith('/'));
}

function allowedInTarball(entry) {
  const path = entry.replace(/^package\//, '');
  // bin/ holds committed command launchers (see packages/sandbox/bin), which run the built dist/.
  return (
    path.startsWith('dist/') ||
    path.startsWith('bin/') ||
    ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md'].includes(path)
  );
}

async function installedRefundkitPackages(project) {
  const scopeDir = join(project, 'node_modules', '@refundkit');
  return (await exists(scopeDir)) ? (await readdir(scopeDir)).map((name) => `@refundkit/${name}`) : [];
}

async function consumerProject(scratch, name, manifest, registry) {
  const dir = join(scratch, name);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'package.json'), `${JSON.stringify({ name, private: true, ...manifest }, null, 2)}\n`);
  await writeFile(join(dir, '.npmrc'), `@refundkit:registry=${registry.url}\n`);
  return dir;
}

const kingdeeConsumer = `import { createKingdeeRetailClient, type KingdeeRefundSaveBody } from '@refundkit/kingdee-retail';

const sandbox = JSON.parse(process.env.REHEARSAL_KINGDEE ?? '{}');
const client = createKingdeeRetailClient({ ...sandbox.credentials, baseUrl: sandbox.url });
const body: KingdeeRefundSaveBody = {
  channel_order_no: null,
  cmd: 'pay.refund.query',
  mch_id: 'M1001',
  order_no: '10029',
  refund_amount: '5000',
  refund_desc: '客户退货。发起部分退款。',
  refund_no: 'REHEARSAL-KD-1',
  service_group_name: null,
  shop_id: 'S0002',
  sign_msg: '1',
  terminal_ip: '192.168.1.2',
  terminal_no: '0002',
};
const { outcome, data } = await client.refundSave(body);
console.log(JSON.stringify({ saved: data.refund_no ?? body.refund_no, outcome }));
`;

const wangdianConsumer = `'use strict';
const { createWangdianClient } = require('@refundkit/wangdian-aftersales');

const sandbox = JSON.parse(process.env.REHEARSAL_WANGDIAN || '{}');
const client = createWangdianClient({ ...sandbox.credentials, baseUrl: sandbox.url });
client
  .uploadRawRefunds('LCJ', [
    {
      refund_no: 'REHEARSAL-WD-1', num: 1, tid: 'TID6NAFAmwYMM', oid: 'deb718e2afe5', type: 1, status: 2,
      refund_version: '1', refund_amount: 1, actual_refund_amount: 1, title: 'test', logistics_name: '',
      logistics_no: '', buyer_nick: '123444', refund_time: '2020-05-22 09:07:18', is_aftersale: 0, reason: '',
    },
  ])
  .then((result) => console.log(JSON.stringify({ newCount: result.newCount })))
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
`;

async function main() {
  const packages = await workspacePackages();
  console.log(`release rehearsal: ${packages.length} published packages: ${packages.map((p) => p.name).join(', ')}`);
  const scratch = await mkdtemp(join(tmpdir(), 'refundkit-rehearsal-'));
  const stage = join(scratch, 'workspace');
  let registry;
  let sandboxes = [];
  try {
    await stageWorkspace(stage, packages);
    registry = await startRegistry(scratch);
    ok(`verdaccio listening on ${registry.url}`);
    const shim = await pnpmShim(scratch);
    const path = shim ? `${shim}:${process.env.PATH}` : process.env.PATH;
    // The publisher's npm user config: the registry and its token. pnpm publishes by running `npm publish` on a packed
    // tarball from a temporary folder, where no project .npmrc applies, so the token goes where every npm and pnpm
    // process of the publish step reads it.
    const userconfig = join(scratch, 'publisher.npmrc');
    await writeFile(
      userconfig,
      `registry=${registry.url}\n//127.0.0.1:${registry.port}/:_authToken=${registry.token}\n`,
    );
    const env = { ...process.env, PATH: path, npm_config_registry: registry.url, npm_config_userconfig: userconfig };

    // pnpm resolves `workspace:` ranges at publish time from the linked packages, so link the staged workspace
    // (offline: the store already holds everything the real install fetched; no scripts: nothing here is built).
    await sh('pnpm', ['install', '--offline', '--ignore-scripts', '--filter', './packages/*'], {
      cwd: stage,
      env: { ...process.env, PATH: path },
    });
    await sh(process.execPath, [tools.changeset, 'version'], { cwd: stage, env });
    const versions = new Map();
    for (const { dir, name } of packages) {
      versions.set(name, JSON.parse(await readFile(join(stage, 'packages', dir, 'package.json'), 'utf8')).version);
    }
    ok(`changeset version: ${[...versions].map(([name, version]) => `${name}@${version}`).join(', ')}`);

    await sh(process.execPath, [tools.changeset, 'publish'], { cwd: stage, env });
    for (const { name } of packages) {
      const version = versions.get(name);
      const entries = await tarballEntries(registry, name, version, scratch);
      const stray = entries.filter((entry) => !allowedInTarball(entry));
      check(
        stray.length === 0 && entries.some((entry) => entry.startsWith('package/dist/')),
        `${name}@${version} published; tarball holds only dist, bin, README, CHANGELOG, LICENSE, package.json${stray.length ? ` (stray: ${stray.join(', ')})` : ''}`,
      );
    }

    const names = new Set(packages.map((p) => p.name));
    const sandboxPath = join(root, 'packages', 'sandbox', 'dist', 'index.js');
    const canCall = names.has('@refundkit/sandbox') && (await exists(sandboxPath));
    const sandboxModule = canCall ? await import(pathToFileURL(sandboxPath).href) : undefined;

    if (names.has('@refundkit/kingdee-retail')) {
      const dir = await consumerProject(
        scratch,
        'consumer-kingdee-esm',
        { type: 'module', dependencies: { '@refundkit/kingdee-retail': versions.get('@refundkit/kingdee-retail') } },
        registry,
      );
      await writeFile(join(dir, 'index.ts'), kingdeeConsumer);
      await writeFile(
        join(dir, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            target: 'ES2022',
            module: 'NodeNext',
            moduleResolution: 'NodeNext',
            strict: true,
            outDir: 'out',
            typeRoots: [join(root, 'node_modules', '@types')],
            types: ['node'],
          },
          files: ['index.ts'],
        }),
      );
      await sh('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir });
      const installed = await installedRefundkitPackages(dir);
      check(
        installed.includes('@refundkit/kingdee-retail') &&
          !installed.some((pkg) => pkg.includes('wangdian') || pkg === '@refundkit/sandbox'),
        `ESM consumer installs @refundkit/kingdee-retail from the registry without any Wangdian package (${installed.join(', ')})`,
      );
      await sh(process.execPath, [tools.tsc, '-p', dir], { cwd: dir });
      ok('ESM consumer type-checks against the published .d.ts');
      if (sandboxModule) {
        const kd = await sandboxModule.startKingdeeSandbox();
        sandboxes.push(kd);
        const { stdout } = await sh(process.execPath, [join(dir, 'out', 'index.js')], {
          cwd: dir,
          env: { ...process.env, REHEARSAL_KINGDEE: JSON.stringify({ url: kd.url, credentials: kd.credentials }) },
        });
        check(JSON.parse(stdout.trim()).saved !== undefined, 'ESM consumer saved a refund through the Kingdee sandbox');
      }
    }

    if (names.has('@refundkit/wangdian-aftersales')) {
      const dir = await consumerProject(
        scratch,
        'consumer-wangdian-cjs',
        {
          type: 'commonjs',
          dependencies: { '@refundkit/wangdian-aftersales': versions.get('@refundkit/wangdian-aftersales') },
        },
        registry,
      );
      await writeFile(join(dir, 'index.js'), wangdianConsumer);
      await sh('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir });
      const installed = await installedRefundkitPackages(dir);
      check(
        installed.includes('@refundkit/wangdian-aftersales') &&
          !installed.some((pkg) => pkg.includes('kingdee') || pkg === '@refundkit/sandbox'),
        `CommonJS consumer installs @refundkit/wangdian-aftersales from the registry without any Kingdee package (${installed.join(', ')})`,
      );
      if (sandboxModule) {
        const wd = await sandboxModule.startWangdianSandbox();
        sandboxes.push(wd);
        const { stdout } = await sh(process.execPath, [join(dir, 'index.js')], {
          cwd: dir,
          env: { ...process.env, REHEARSAL_WANGDIAN: JSON.stringify({ url: wd.url, credentials: wd.credentials }) },
        });
        check(
          JSON.parse(stdout.trim()).newCount === 1,
          'CommonJS consumer require()d the package and uploaded a refund to the Wangdian sandbox',
        );
      } else {
        await sh(process.execPath, ['-e', "require('@refundkit/wangdian-aftersales')"], { cwd: dir });
        ok('CommonJS consumer require()s the package');
      }
    }
    console.log(`release rehearsal: ${passed} passed, 0 failed`);
  } finally {
    await Promise.all(sandboxes.map((s) => s.close()));
    sandboxes = [];
    registry?.stop();
    if (keep) console.log(`release rehearsal: scratch kept at ${scratch}`);
    else await rm(scratch, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  console.log(`release rehearsal: ${passed} passed, 1 failed`);
  process.exit(1);
});
