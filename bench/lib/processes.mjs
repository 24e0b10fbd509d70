// Times whole Node processes, for cold-start figures.
import { spawn } from 'node:child_process';

/**
 * Runs `node ...args` to completion and returns its wall time in ms, from spawn to exit. Throws (with the child's
 * stderr) when it exits non-zero, so a failing import is a crash, not a fast figure.
 */
export function timeNode(args) {
  return new Promise((resolve, reject) => {
    const begun = performance.now();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      const elapsed = performance.now() - begun;
      if (code === 0) resolve(elapsed);
      else reject(new Error(`node ${args.join(' ')} exited with ${code}: ${stderr.trim().slice(0, 500)}`));
    });
  });
}
