// The built packages on Deno, resolved from runtimes/node_modules (Deno reads the package.json beside the program)
// with Deno's conditions (`deno`, then `node`). The only permission is the network to the sandboxes: the clients,
// given every credential in their settings, must not touch the environment.
import { runToEnd, startableRuntime } from './runtime-process.ts';
import { describeRuntime } from './runtime-suite.ts';

/** What a refundkit program needs from Deno: the vendor gateways' hosts (here the sandboxes on 127.0.0.1). */
const PERMISSIONS = ['--allow-net=127.0.0.1'];

describeRuntime({
  name: 'Deno',
  async start() {
    const { binary } = await startableRuntime('deno');
    const args = ['run', '--no-prompt', '--no-lock', ...PERMISSIONS, 'src/deno-main.ts'];
    return { run: async (input) => JSON.parse(await runToEnd(binary, args, JSON.stringify(input))) };
  },
  resolves: {
    '@refundkit/signing': 'signing/dist/index.js',
    '@refundkit/kingdee-retail': 'kingdee-retail/dist/index.js',
    '@refundkit/wangdian-aftersales': 'wangdian-aftersales/dist/index.js',
  },
  hasProcess: true,
  fallback: 'denied',
});
