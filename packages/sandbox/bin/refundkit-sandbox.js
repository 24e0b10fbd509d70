#!/usr/bin/env node
// The `refundkit-sandbox` command: runs the built CLI (dist/cli.js). It is a committed file, not the built one, so
// that installing a clone of the repository can link the command before anything is built.
try {
  await import('../dist/cli.js');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('cli.js')) throw error;
  process.stderr.write('refundkit-sandbox: not built yet; run `npx -y pnpm@10.34.9 build` in the repository first\n');
  process.exitCode = 1;
}
