// Loads the packages' BUILT output (dist/), the code a user installs, by path relative to this folder.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BenchmarkSkipped } from './rows.mjs';

/** The repository root, as a path. */
export const root = fileURLToPath(new URL('../../', import.meta.url));

/** The URL of a workspace member's built file: `builtUrl('signing')` → packages/signing/dist/index.js. */
export function builtUrl(member, file = 'index.js') {
  const folder = member === 'refund-relay' ? 'apps/refund-relay' : `packages/${member}`;
  return new URL(`../../${folder}/dist/${file}`, import.meta.url);
}

/**
 * Imports a member's built entry and checks it exports every name in `names`; otherwise throws BenchmarkSkipped
 * naming what is missing, so an unfinished package makes a "skipped" row rather than a crash.
 *
 * @example
 * const { wangdianSign } = await loadBuilt('signing', ['wangdianSign']);
 */
export async function loadBuilt(member, names, file = 'index.js') {
  const url = builtUrl(member, file);
  if (!existsSync(url)) throw new BenchmarkSkipped(`${member}/dist/${file} not built`);
  const module = await import(url.href);
  const missing = names.filter((name) => typeof module[name] === 'undefined');
  if (missing.length > 0) throw new BenchmarkSkipped(`${member} does not export ${missing.join(', ')}`);
  return module;
}
