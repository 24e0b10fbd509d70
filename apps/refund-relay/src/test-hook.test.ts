import { describe, expect, it } from 'vitest';
import { RelayConfigError, resolveRelayConfig } from './relay-config.js';
import { CRASH_AT_ENV, parseCrashAt } from './test-hook.js';

describe('the crash test hook', () => {
  it('reads <point>[@<vendor>][:<n>] and refuses anything else', () => {
    expect(parseCrashAt('after-commit:25')).toEqual({ point: 'after-commit', nth: 25, action: 'kill' });
    expect(parseCrashAt('before-send')).toEqual({ point: 'before-send', nth: 1, action: 'kill' });
    expect(parseCrashAt('mid-batch@kingdee:2')).toEqual({
      point: 'mid-batch',
      nth: 2,
      action: 'kill',
      vendor: 'kingdee',
    });
    const bad = ['', 'somewhere', 'intake:0', 'intake:-1', 'intake:x', 'mid-batch:1:2', 'mid-batch@shopify', 'a@:1'];
    for (const text of bad) expect(parseCrashAt(text)).toMatch(/must be <point>\[@<vendor>\]\[:<n>\]/);
  });

  it('comes from --pause-after or the environment, never both', () => {
    expect(resolveRelayConfig({}, {}).testHook).toBeUndefined();
    expect(resolveRelayConfig({ 'pause-after': '4' }, {}).testHook).toEqual({
      point: 'after-answer',
      nth: 5,
      action: 'pause',
    });
    expect(resolveRelayConfig({}, { [CRASH_AT_ENV]: 'intake:3' }).testHook).toEqual({
      point: 'intake',
      nth: 3,
      action: 'kill',
    });
    expect(() => resolveRelayConfig({ 'pause-after': '1' }, { [CRASH_AT_ENV]: 'intake' })).toThrow(RelayConfigError);
    expect(() => resolveRelayConfig({}, { [CRASH_AT_ENV]: 'nowhere' })).toThrow(/must be <point>/);
  });
  // The pause acts in the built CLI (test/cli.test.ts, --pause-after) and the kill in test/crash-points.test.ts: both
  // stop the process for good, so they are not run in the test process itself.
});
