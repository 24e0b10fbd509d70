// What installing a package brings: its runtime dependency closure, resolved the way Node resolves it through the
// pnpm layout (node_modules symlinks into node_modules/.pnpm), with the bytes each package puts on disk.
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

function readManifest(folder) {
  return JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'));
}

/** Finds `name`'s folder from `fromFolder` as Node would: each ancestor's node_modules, nearest first. */
function resolvePackage(name, fromFolder) {
  for (let folder = fromFolder; ; folder = dirname(folder)) {
    const candidate = join(folder, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    if (dirname(folder) === folder) return undefined;
  }
}

function folderBytes(folder) {
  let total = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) total += folderBytes(path);
    else if (entry.isFile()) total += statSync(path).size;
  }
  return total;
}

/**
 * The bytes a package puts on disk when installed. A workspace member (not under node_modules) counts only what it
 * would publish: its `files` entries plus package.json, README, LICENSE and CHANGELOG; a registry package counts its
 * whole folder (nested node_modules excluded, they are counted as their own packages).
 */
function installedBytes(folder, manifest) {
  if (folder.includes(`${join('/', 'node_modules')}/`)) return folderBytes(folder);
  let total = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const published =
      /^(package\.json|readme|license|changelog)/i.test(entry.name) || (manifest.files ?? []).includes(entry.name);
    if (!published) continue;
    const path = join(folder, entry.name);
    total += entry.isDirectory() ? folderBytes(path) : statSync(path).size;
  }
  return total;
}

/**
 * Walks the runtime dependencies (`dependencies`, `optionalDependencies` and non-optional `peerDependencies`) from
 * the package in `folder`, and returns every package the install brings, itself included: `[{ name, version,
 * bytes }]`, sorted by name. A dependency that cannot be found is reported with `missing: true`.
 *
 * @example
 * installClosure('/repo/packages/kingdee-retail').map((p) => p.name);
 * // ['@refundkit/kingdee-retail', '@refundkit/refund-model', …, 'ky', 'valibot']
 */
export function installClosure(folder) {
  const seen = new Map();
  const visit = (packageFolder) => {
    const manifest = readManifest(packageFolder);
    const key = `${manifest.name}@${manifest.version}`;
    if (seen.has(key)) return;
    seen.set(key, { name: manifest.name, version: manifest.version, bytes: installedBytes(packageFolder, manifest) });
    const optionalPeers = manifest.peerDependenciesMeta ?? {};
    const names = [
      ...Object.keys(manifest.dependencies ?? {}),
      ...Object.keys(manifest.optionalDependencies ?? {}),
      ...Object.keys(manifest.peerDependencies ?? {}).filter((name) => !optionalPeers[name]?.optional),
    ];
    for (const name of new Set(names)) {
      const found = resolvePackage(name, packageFolder);
      if (found) visit(found);
      else if (!manifest.optionalDependencies?.[name]) seen.set(`${name}@?`, { name, version: '?', missing: true });
    }
  };
  visit(realpathSync(folder));
  return [...seen.values()].sort((a, b) => a.name.localeCompare(b.name));
}
