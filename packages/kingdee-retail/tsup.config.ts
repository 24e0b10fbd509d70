import { readFileSync } from 'node:fs';
import { packageConfig } from '../../tsup.base.ts';

// The User-Agent names this package's version; it is written into the bundle at build time, so nothing reads
// package.json at runtime.
const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

export default packageConfig({ define: { __KINGDEE_RETAIL_VERSION__: JSON.stringify(version) } });
