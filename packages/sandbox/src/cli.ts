#!/usr/bin/env node
import { createInterface } from 'node:readline';
import { runSandboxCli } from './cli-main.js';

try {
  const running = await runSandboxCli(process.argv.slice(2), (line) => process.stdout.write(`${line}\n`));
  if (running) {
    const stop = () => {
      running.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    // Commands on standard input, one per line (see --help); an answer or an error per line.
    createInterface({ input: process.stdin }).on('line', (line) => {
      if (line.trim() === '') return;
      try {
        process.stdout.write(`${running.command(line)}\n`);
      } catch (error) {
        process.stderr.write(`refundkit-sandbox: ${error instanceof Error ? error.message : String(error)}\n`);
      }
    });
  }
} catch (error) {
  process.stderr.write(`refundkit-sandbox: ${error instanceof Error ? error.message : String(error)}\n`);
  // 1, as refund-relay answers a usage or configuration error.
  process.exit(1);
}
