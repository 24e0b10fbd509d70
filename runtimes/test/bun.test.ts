// The built packages on Bun, resolved from runtimes/node_modules with Bun's own conditions (`bun`, then `node`).
import { runToEnd, startableRuntime } from './runtime-process.ts';
import { describeRuntime } from './runtime-suite.ts';

describeRuntime({
  name: 'Bun',
  async start() {
    const { binary } = await startableRuntime('bun');
    return { run: async (input) => JSON.parse(await runToEnd(binary, ['src/bun-main.ts'], JSON.stringify(input))) };
  },
  resolves: {
    '@refundkit/signing': 'signing/dist/index.js',
    '@refundkit/kingdee-retail': 'kingdee-retail/dist/index.js',
    '@refundkit/wangdian-aftersales': 'wangdian-aftersales/dist/index.js',
  },
  hasProcess: true,
  fallback: 'unset',
});
