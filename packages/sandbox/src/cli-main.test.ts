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
      expect(text).toContain(`http://127.0.0.1:${kPort}`);
      expect(text).toContain(`http://127.0.0.1:${wPort}/openapi`);
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
    await expect(runSandboxCli(['--nope'], () => {})).rejects.toThrow(/nope/);
    await expect(runSandboxCli(['--kingdee-port', 'x'], () => {})).rejects.toThrow(/--kingdee-port/);
    await expect(runSandboxCli(['--token-ttl', '0'], () => {})).rejects.toThrow(/--token-ttl/);
    await expect(runSandboxCli(['--erp-step-seconds', '0'], () => {})).rejects.toThrow(/--erp-step-seconds/);
  });
});
