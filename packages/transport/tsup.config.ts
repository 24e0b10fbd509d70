import { packageConfig } from '../../tsup.base.ts';

// `internal` is what the vendor packages share and users do not need; both entries share their code in chunks.
export default packageConfig({ entry: ['src/index.ts', 'src/internal.ts'], splitting: true });
