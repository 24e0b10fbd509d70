import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CLI_USAGE, runSandboxCli } from './cli-main.js';

describe('runSandboxCli', () => {
  it('starts both sandboxes and prints one JSON line with URLs and credentials', async () => {
    const lines: string[] = [];
    const running = await runSandboxCli(
      ['--json', '--max-batch', '5', '--token-ttl', '1000', '--erp-step-seconds', '2'],
      (l) => lines.push(l),
    );
    try {
      expect(lines).toHaveLength(1);
      const out = JSON.parse(lines[0]!);
      expect(out.kingdee.url).toBe(running!.kingdee.url);
      expect(out.kingdee.credentials).toEqual(running!.kingdee.credentials);
      expect(out.wangdian).toEqual({
        url: running!.wangdian.url,
        endpoint: `${running!.wangdian.url}/openapi`,
        credentials: { sid: 'wdtapi3', appKey: 'appkey', appSecret: 'testsecret:testsalt' },
      });
      expect(running!.kingdee.tokenTtlMs).toBe(1000);
      expect(running!.wangdian.erp.stepMs).toBe(2000);
      const res = await fetch(`${out.wangdian.endpoint}`, { method: 'POST', body: '[]' });
      expect(res.status).toBe(200);
    } finally {
      await running?.close();
    }
  });

  it('prints text with both URLs and takes fixed ports', async () => {
    const probe = await runSandboxCli([], () => {});
    const [kPort, wPort] = [probe!.kingdee.port, probe!.wangdian.port];
    await probe!.close();
    const lines: string[] = [];
    const running = await runSandboxCli(
      ['--kingdee-port', String(kPort), '--wangdian-port', String(wPort), '--seed', '9'],
      (l) => lines.push(l),
    );
    try {
      const text = lines.join('\n');
      // What each client's baseUrl takes: the origin (the Wangdian client adds /openapi itself).
      expect(text).toContain(`Kingdee sandbox   baseUrl http://127.0.0.1:${kPort}\n`);
      expect(text).toContain(`Wangdian sandbox  baseUrl http://127.0.0.1:${wPort}\n`);
      expect(text).not.toContain('/openapi');
      expect(text).toContain('clientId 205022');
      expect(text).toContain('appSecret testsecret:testsalt');
    } finally {
      await running?.close();
    }
  });

  it('prints the help and starts nothing for --help', async () => {
    const lines: string[] = [];
    expect(await runSandboxCli(['-h'], (l) => lines.push(l))).toBeUndefined();
    expect(lines).toEqual([CLI_USAGE]);
  });

  it('throws naming a bad flag or value', async () => {
    await expect(runSandboxCli(['--nope'], () => {})).rejects.toThrow(/^unknown option --nope \(see --help\)$/);
    await expect(runSandboxCli(['--seed'], () => {})).rejects.toThrow(/^--seed needs a value$/);
    await expect(runSandboxCli(['extra'], () => {})).rejects.toThrow(/^takes no arguments/);
    await expect(runSandboxCli(['--\u0001x'], () => {})).rejects.toThrow(/^unknown option \(see --help\)$/);
    await expect(runSandboxCli(['--kingdee-port', 'x'], () => {})).rejects.toThrow(/--kingdee-port/);
    await expect(runSandboxCli(['--token-ttl', '0'], () => {})).rejects.toThrow(/--token-ttl/);
    await expect(runSandboxCli(['--erp-step-seconds', '0'], () => {})).rejects.toThrow(/--erp-step-seconds/);
  });
});

describe('the refundkit-sandbox launcher (bin/)', () => {
  it('exists before any build, so an install can link it, and says what to do when dist/ is missing', () => {
    const launcher = fileURLToPath(new URL('../bin/refundkit-sandbox.js', import.meta.url));
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(manifest.bin).toEqual({ 'refundkit-sandbox': './bin/refundkit-sandbox.js' });
    expect(manifest.files).toContain('bin');
    // A copy without dist/ beside it: the state of a fresh clone.
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-launcher-'));
    try {
      mkdirSync(join(dir, 'bin'));
      copyFileSync(launcher, join(dir, 'bin', 'refundkit-sandbox.js'));
      writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
      const run = spawnSync(process.execPath, [join(dir, 'bin', 'refundkit-sandbox.js'), '--help'], {
        encoding: 'utf8',
      });
      expect(run.status).toBe(1); // the usage-error code refund-relay uses too
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe(
        'refundkit-sandbox: not built yet; run `npx -y pnpm@10.34.9 build` in the repository first\n',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
