import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resolveKingdeeSettings } from './kingdee-settings.js';

const full = {
  clientId: '205022',
  clientSecret: 'client-secret-value',
  appKey: 'abc',
  appSecret: 'abc123',
  domain: 'https://tf.jdy.com',
};

/** The transport settings of a client given none: the default retry policy, everything else left out. */
const DEFAULT_TRANSPORT = expect.objectContaining({
  retry: expect.objectContaining({ attempts: 3, baseDelayMs: 250, maxDelayMs: 20_000 }),
  fetch: undefined,
  timeout: undefined,
});

describe('resolveKingdeeSettings', () => {
  beforeEach(() => {
    for (const name of [
      'KINGDEE_CLIENT_ID',
      'KINGDEE_CLIENT_SECRET',
      'KINGDEE_APP_KEY',
      'KINGDEE_APP_SECRET',
      'KINGDEE_DOMAIN',
      'KINGDEE_OUTER_INSTANCE_ID',
    ]) {
      vi.stubEnv(name, '');
    }
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('takes the appKey form and defaults the base URL', () => {
    expect(resolveKingdeeSettings(full)).toEqual({
      clientId: '205022',
      clientSecret: 'client-secret-value',
      app: { appKey: 'abc', appSecret: 'abc123', domain: 'https://tf.jdy.com' },
      baseUrl: 'https://api.kingdee.com',
      transport: DEFAULT_TRANSPORT,
      rateLimitKey: 'kingdee:205022:abc',
    });
  });

  it('resolves retry once, for the transport, and names a bad one', () => {
    expect(resolveKingdeeSettings({ ...full, retry: 5 }).transport.retry.attempts).toBe(5);
    expect(resolveKingdeeSettings({ ...full, retry: false }).transport.retry.attempts).toBe(1);
    expect(() => resolveKingdeeSettings({ ...full, retry: { attempts: 0 } })).toThrow(
      expect.objectContaining({ name: 'ConfigurationError', setting: 'retry' }),
    );
  });

  it('takes outerInstanceId alone, and keeps it beside the appKey form for rotation', () => {
    const { appKey, appSecret, domain, ...client } = full;
    expect(resolveKingdeeSettings({ ...client, outerInstanceId: '509' })).toEqual({
      ...client,
      outerInstanceId: '509',
      baseUrl: 'https://api.kingdee.com',
      transport: DEFAULT_TRANSPORT,
      rateLimitKey: 'kingdee:205022:509',
    });
    expect(resolveKingdeeSettings({ ...full, outerInstanceId: '509' }).app?.appKey).toBe('abc');
  });

  it('falls back to the environment, and settings win over it', () => {
    vi.stubEnv('KINGDEE_CLIENT_ID', 'from-env');
    vi.stubEnv('KINGDEE_CLIENT_SECRET', 'env-secret');
    vi.stubEnv('KINGDEE_OUTER_INSTANCE_ID', '42');
    expect(resolveKingdeeSettings({})).toMatchObject({ clientId: 'from-env', outerInstanceId: '42' });
    expect(resolveKingdeeSettings({ clientId: 'from-settings' }).clientId).toBe('from-settings');
  });

  it.each([
    [{ ...full, clientId: undefined }, 'clientId', 'KINGDEE_CLIENT_ID'],
    [{ ...full, clientSecret: undefined }, 'clientSecret', 'KINGDEE_CLIENT_SECRET'],
    [{ ...full, appSecret: undefined }, 'appSecret', 'KINGDEE_APP_SECRET'],
    [{ ...full, domain: undefined }, 'domain', 'KINGDEE_DOMAIN'],
    [{ ...full, clientId: '' }, 'clientId', 'KINGDEE_CLIENT_ID'],
    [{ ...full, domain: 'tf.jdy.com' }, 'domain', 'KINGDEE_DOMAIN'],
  ])('fails at creation naming the setting and its variable (%#)', (settings, setting, variable) => {
    try {
      resolveKingdeeSettings(settings);
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'CONFIGURATION', setting });
      expect((error as Error).message).toContain(setting);
      expect((error as Error).message).toContain(variable);
      expect((error as Error).message).not.toContain('client-secret-value');
    }
  });

  it('checks the token store and hooks', () => {
    expect(() => resolveKingdeeSettings({ ...full, tokenStore: {} as never })).toThrow(/tokenStore/);
    expect(() => resolveKingdeeSettings({ ...full, hooks: 5 as never })).toThrow(/hooks/);
  });
});
