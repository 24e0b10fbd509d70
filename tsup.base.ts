import { defineConfig, type Options } from 'tsup';

/**
 * The build every refundkit package shares: ESM only, type declarations, sourcemaps, Node 20 syntax.
 * A package's own `tsup.config.ts` calls this, passing extra entry points (a CLI, say) when it has them.
 */
export function packageConfig(overrides: Options = {}) {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    dts: true,
    sourcemap: true,
    clean: true,
    splitting: false,
    treeshake: true,
    // Keep `node:` specifiers as written, so bundlers and runtimes see Node built-ins for what they are.
    removeNodeProtocol: false,
    ...overrides,
  });
}
