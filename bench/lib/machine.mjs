// What the figures were measured on: printed above the table and stored with the results.
import { execFileSync } from 'node:child_process';
import os from 'node:os';

/**
 * Describes this machine and run: Node version, CPU model, logical core count, OS, memory, date, and the commit the
 * working tree is on (read-only `git rev-parse`; absent outside a git checkout).
 */
export function describeMachine(root) {
  const cpus = os.cpus();
  let commit;
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    commit = undefined;
  }
  return {
    node: process.version,
    v8: process.versions.v8,
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism?.() ?? cpus.length,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    date: new Date().toISOString(),
    ...(commit ? { commit } : {}),
  };
}

/** One line naming the machine, for the console and BENCHMARKS.md. */
export function machineLine(machine) {
  const commit = machine.commit ? `, commit ${machine.commit}` : '';
  return `Node ${machine.node} · ${machine.cpu} · ${machine.cores} cores · ${machine.memoryGiB} GiB · ${machine.os} · ${machine.date}${commit}`;
}
