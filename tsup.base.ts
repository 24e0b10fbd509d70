import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig, type Options } from 'tsup';

/** The version of the package being built (tsup runs in its folder), written into its bundle as `__PACKAGE_VERSION__`. */
function packageVersion(): string {
  return (JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')) as { version: string }).version;
}

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
    // So the code reads its version without importing package.json (whose every field would land in a bundle).
    define: { __PACKAGE_VERSION__: JSON.stringify(packageVersion()) },
    ...overrides,
  });
}
