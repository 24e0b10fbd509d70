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

// Two builds of the same source, chosen by the `exports` conditions in package.json, each with two entries (the
// root and `./internal`, the unchecked cores the vendor clients sign with) sharing their code in chunks:
// - dist/index.js and dist/internal.js (+ their .d.ts, the types of both builds): hashing on node:crypto, for the
//   `node` condition;
// - dist/portable/index.js and dist/portable/internal.js: hashing on @noble/hashes and no `node:` import, for every
//   other runtime (`default`).
// The first build cleans dist/ but leaves the second's folder, so the two may run side by side.
export default [
  packageConfig({ entry: ['src/index.ts', 'src/internal.ts'], splitting: true, clean: ['!portable', '!portable/**'] }),
  packageConfig({
    entry: { 'portable/index': 'src/index.ts', 'portable/internal': 'src/internal.ts' },
    splitting: true,
    // Its shared chunk goes in its own folder too, so that the first build's clean leaves it alone.
    esbuildOptions(options) {
      options.chunkNames = 'portable/[name]-[hash]';
    },
    platform: 'neutral',
    dts: false,
    clean: false,
    esbuildPlugins: [usePortableHash],
  }),
];
