import { packageConfig } from '../../tsup.base.ts';

// `endpoints` holds the definitions a client is given on request; both entries share their code in chunks.
export default packageConfig({ entry: ['src/index.ts', 'src/endpoints/index.ts'], splitting: true });
