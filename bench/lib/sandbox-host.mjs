// Child process that hosts both sandboxes from @refundkit/sandbox's built output, so the gateways' work runs on
// another core than the client being measured. Driven over IPC by sandbox.mjs.
import { builtUrl } from './built.mjs';

const { startKingdeeSandbox, startWangdianSandbox } = await import(builtUrl('sandbox').href);
// A short request log: the benchmarks send tens of thousands of requests and read only the counters.
const kingdee = await startKingdeeSandbox({ logLimit: 100 });
const wangdian = await startWangdianSandbox({ logLimit: 100 });

const describe = (sandbox) => ({ url: sandbox.url, credentials: { ...sandbox.credentials } });
process.send({ type: 'ready', kingdee: describe(kingdee), wangdian: describe(wangdian) });

process.on('message', (message) => {
  if (message?.type === 'counters') {
    process.send({ type: 'counters', id: message.id, kingdee: kingdee.counters, wangdian: wangdian.counters });
  } else if (message?.type === 'reset') {
    kingdee.reset();
    wangdian.reset();
    process.send({ type: 'reset', id: message.id });
  }
});

process.on('disconnect', async () => {
  await Promise.allSettled([kingdee.close(), wangdian.close()]);
  process.exit(0);
});
