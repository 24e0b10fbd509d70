#!/usr/bin/env node
import { main } from './cli-main.js';

// The process shell around `main`: real streams and environment, and Ctrl-C handling (the first stops claiming new
// work and lets calls under way be recorded; a second ends the process at once, which the outbox survives too).
const controller = new AbortController();
process.on('SIGINT', () => {
  if (controller.signal.aborted) process.exit(130);
  process.stderr.write('\nstopping after the calls under way (Ctrl-C again to stop now)\n');
  controller.abort();
});

process.exitCode = await main(process.argv.slice(2), {
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  progressTty: Boolean(process.stderr.isTTY) && !process.env.CI,
  signal: controller.signal,
});
