import { fileURLToPath } from 'node:url';
import type { Plugin } from 'esbuild';
import { packageConfig } from '../../tsup.base.ts';

const portableHash = fileURLToPath(new URL('./src/hash-portable.ts', import.meta.url));

/** Resolves the hashing seam `./hash.js` to the @noble/hashes implementation instead of node:crypto. */
const usePortableHash: Plugin = {
  name: 'refundkit-portable-hash',
  setup(build) {
    build.onResolve({ filter: /^\.\/hash\.js$/ }, () => ({ path: portableHash }));
  },
};

// Two builds of the same source, chosen by the `exports` conditions in package.json:
// - dist/index.js (+ index.d.ts, the types of both): hashing on node:crypto, for the `node` condition;
// - dist/portable.js: hashing on @noble/hashes and no `node:` import, for every other runtime (`default`).
// The first build cleans dist/ but leaves the second's files, so the two may run side by side.
export default [
  packageConfig({ clean: ['!portable.js', '!portable.js.map'] }),
  packageConfig({
    entry: { portable: 'src/index.ts' },
    platform: 'neutral',
    dts: false,
    clean: false,
    esbuildPlugins: [usePortableHash],
  }),
];
