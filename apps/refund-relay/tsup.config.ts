import { packageConfig } from '../../tsup.base.ts';

export default packageConfig({ entry: ['src/cli.ts'], dts: false });
