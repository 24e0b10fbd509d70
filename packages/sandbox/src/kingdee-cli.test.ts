import { afterEach, describe, expect, it } from 'vitest';
import { CLI_USAGE, type RunningSandboxes, runSandboxCli } from './cli-main.js';
import { openKingdeeSession } from './kingdee-test-session.js';

const SAVE = '/jdy/v2/ls/refundSave';
const BODY = {
  channel_order_no: 'C1',
  cmd: 'pay.refund.query',
  mch_id: 'M1001',
  service_group_name: 'g',
  sign_msg: '1',
  terminal_ip: '192.168.1.2',
  terminal_no: '0002',
  refund_amount: '1.00',
};

let running: RunningSandboxes | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function cli(argv: string[]) {
  running = await runSandboxCli(argv, () => {});
  if (!running) throw new Error('the sandboxes did not start');
  return { running, session: await openKingdeeSession(running.kingdee) };
}

describe('refundkit-sandbox: Kingdee flags and commands', () => {
  it('starts with refunds the channel refuses or keeps pending', async () => {
    const { session } = await cli([
      '--kingdee-refuse',
      'R-1=余额不足',
      '--kingdee-refuse',
      'R-2',
      '--kingdee-pending',
      'R-3',
    ]);
    const outcome = async (refundNo: string) => {
      const answer = await session.post(SAVE, { ...BODY, refund_no: refundNo });
      expect(answer.body.errcode).toBe(0);
      const data = answer.body.data as Record<string, string>;
      return [data.err, data.refund_status];
    };
    expect(await outcome('R-1')).toEqual(['余额不足', '1SUCCESSd=false']);
    expect(await outcome('R-2')).toEqual(['支付失败，签名异常', '1SUCCESSd=false']);
    expect(await outcome('R-3')).toEqual(['', 'PROCESSING']);
    expect(await outcome('R-4')).toEqual(['', 'SUCCESS']);
  });

  it('rotates the secret and expires tokens on command, and sets outcomes of a running sandbox', async () => {
    const { running, session } = await cli([]);
    expect(running.command('kingdee rotate-app-secret')).toContain('rotated');
    expect((await session.post(SAVE, { ...BODY, refund_no: 'R-1' })).body.errcode).toBe(1030002006);
    await session.renew();
    expect(running.command('  kingdee   expire-tokens ')).toContain('expired');
    const expired = await session.post(SAVE, { ...BODY, refund_no: 'R-1' });
    expect([expired.status, expired.body.errcode]).toEqual([519, 4011]);
    await session.renew();
    expect(running.command('kingdee rotate-app-secret --keep-tokens')).toContain('tokens kept');
    expect(running.command('kingdee refuse R-1 卡已冻结 请联系银行')).toBe('kingdee: refund R-1 will be refused');
    const refused = (await session.post(SAVE, { ...BODY, refund_no: 'R-1' })).body.data as Record<string, string>;
    expect(refused.err).toBe('卡已冻结 请联系银行');
    running.command('kingdee succeed R-1');
    const done = (await session.post(SAVE, { ...BODY, refund_no: 'R-1' })).body.data as Record<string, string>;
    expect([done.err, done.refund_status]).toEqual(['', 'SUCCESS']);
    running.command('kingdee pending R-9');
    const counters = JSON.parse(running.command('kingdee counters'));
    expect(counters).toMatchObject({ tokensIssued: 3, tokenCalls: { '205022:abc': 3 }, newRefunds: 1 });
  });

  it('names a bad command or flag, and documents both in --help', async () => {
    const { running } = await cli([]);
    expect(() => running.command('kingdee nope')).toThrow(/unknown kingdee command "nope"/);
    expect(() => running.command('kingdee refuse')).toThrow(/needs a refund_no/);
    expect(() => running.command('wangdian x')).toThrow(/unknown command/);
    await expect(runSandboxCli(['--kingdee-refuse', '=x'], () => {})).rejects.toThrow(/--kingdee-refuse/);
    for (const text of [
      '--kingdee-refuse',
      '--kingdee-pending',
      'kingdee rotate-app-secret',
      'kingdee expire-tokens',
    ]) {
      expect(CLI_USAGE).toContain(text);
    }
  });
});
