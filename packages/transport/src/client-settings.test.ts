import { ConfigurationError } from '@refundkit/refund-model';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkClientSettings, createSettingsReader } from './client-settings.js';

const CLIENT_ID = { name: 'clientId', env: 'TEST_CLIENT_ID', rule: 'header' } as const;
const SECRET = { name: 'secret', env: 'TEST_SECRET', rule: 'secret' } as const;

/** An environment every read of which throws, as Deno's does without --allow-env. */
const deniedEnv = new Proxy(
  {},
  {
    get() {
      throw new Error('NotCapable: Requires env access');
    },
  },
);

function configurationError(action: () => unknown): ConfigurationError {
  try {
    action();
  } catch (error) {
    if (ConfigurationError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a ConfigurationError');
}

afterEach(() => {
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
});

describe('createSettingsReader', () => {
  it('never touches the environment for a setting that is given', () => {
    const read = createSettingsReader('Test', 'createTestClient', { clientId: 'c1', secret: 's1', env: deniedEnv });
    expect(read.requiredText(CLIENT_ID)).toBe('c1');
    expect(read.requiredText(SECRET)).toBe('s1');
  });

  it('reads process.env only when needed, guarded, and names a variable whose read is denied', () => {
    vi.stubEnv('TEST_CLIENT_ID', 'from-env');
    expect(createSettingsReader('Test', 'f', {}).requiredText(CLIENT_ID)).toBe('from-env');
    const denied = configurationError(() => createSettingsReader('Test', 'f', { env: deniedEnv }).text(SECRET));
    expect(denied.setting).toBe('secret');
    expect(denied.message).toContain('TEST_SECRET');
    vi.stubGlobal('process', undefined);
    expect(createSettingsReader('Test', 'f', {}).text(CLIENT_ID)).toBeUndefined();
  });

  it('says what is missing in the same words for every vendor, naming the setting and the variable', () => {
    const error = configurationError(() => createSettingsReader('Kingdee', 'f', { env: {} }).requiredText(CLIENT_ID));
    expect(error.message).toBe(
      'Kingdee setting "clientId" is missing: pass settings.clientId or set the environment variable TEST_CLIENT_ID',
    );
    expect(createSettingsReader('Test', 'f', { env: { TEST_CLIENT_ID: '  ' } }).text(CLIENT_ID)).toBeUndefined();
  });

  it.each([
    ['a\r\nX-Injected: 1', 'control characters'],
    ['nul\u0000', 'control characters'],
    ['del\u007f', 'control characters'],
    ['中文', 'printable ASCII'],
    ['', 'non-empty'],
    ['   ', 'non-empty'],
  ])('refuses %j in a header setting without echoing it', (value, problem) => {
    const error = configurationError(() => createSettingsReader('Test', 'f', { clientId: value }).text(CLIENT_ID));
    expect(error.setting).toBe('clientId');
    expect(error.message).toContain(problem);
    if (value.trim() !== '') expect(error.message).not.toContain(value);
  });

  it('refuses control characters in a secret, also when it comes from the environment', () => {
    const error = configurationError(() =>
      createSettingsReader('Test', 'f', { env: { TEST_SECRET: 'line\nbreak' } }).text(SECRET),
    );
    expect(error).toMatchObject({ setting: 'secret' });
    expect(createSettingsReader('Test', 'f', { secret: '秘密' }).text(SECRET)).toBe('秘密');
  });

  it('takes a clean http(s) origin and refuses everything else', () => {
    const read = createSettingsReader('Test', 'f', {});
    expect(read.origin('baseUrl', undefined, 'https://api.example.com')).toBe('https://api.example.com');
    expect(read.origin('baseUrl', 'https://h.example.com/', 'https://x')).toBe('https://h.example.com');
    expect(read.origin('baseUrl', 'http://h/prefix/', 'https://x', { allowPath: true })).toBe('http://h/prefix');
    for (const bad of [
      'ftp://h',
      'not a url',
      'https://u:p@h',
      'https://h?x=1',
      'https://h#f',
      'https://h/path',
      'https://h\r\n',
      ' https://h',
      5,
    ]) {
      expect(configurationError(() => read.origin('baseUrl', bad, 'https://x')).setting).toBe('baseUrl');
    }
    expect(
      configurationError(() => read.origin('domain', 'https://例子.com', 'https://x', { header: true })).setting,
    ).toBe('domain');
  });

  it('refuses a settings value that is not an object, and checks the shared client settings', () => {
    for (const settings of [null, 5, [], 'x']) {
      expect(configurationError(() => createSettingsReader('Test', 'createTestClient', settings)).setting).toBe(
        'settings',
      );
    }
    const read = createSettingsReader('Test', 'f', {});
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ fetch: 'no' }, 'fetch'],
      [{ timeout: 0 }, 'timeout'],
      [{ timeout: Number.NaN }, 'timeout'],
      [{ hooks: { onRequest: 5 } }, 'hooks'],
      [{ logger: 'console' }, 'logger'],
      [{ loggerStyle: 'loud' }, 'loggerStyle'],
      [{ rateLimiter: { acquire() {} } }, 'rateLimiter'],
      [{ clock: {} }, 'clock'],
      [{ retry: { attempts: 0 } }, 'retry'],
      [{ retry: -1 }, 'retry'],
      [{ retry: 'often' }, 'retry'],
    ];
    for (const [settings, setting] of bad) {
      expect(configurationError(() => checkClientSettings(read, settings)).setting).toBe(setting);
    }
    expect(() =>
      checkClientSettings(read, { fetch: undefined, timeout: undefined, hooks: undefined, rateLimiter: undefined }),
    ).not.toThrow();
    expect(configurationError(() => checkClientSettings(read, { retry: { baseDelayMs: -1 } })).message).toBe(
      'Test setting "retry" is invalid: retry.baseDelayMs must be a finite number of milliseconds, at least 0',
    );
  });

  it("answers the shared settings as read once, retry resolved over the client's defaults", () => {
    const read = createSettingsReader('Test', 'f', {});
    const fetch = globalThis.fetch;
    let reads = 0;
    const settings = {
      fetch,
      get timeout() {
        reads += 1;
        return reads === 1 ? 1_000 : Number.NaN;
      },
    };
    const checked = checkClientSettings(read, settings, { maxDelayMs: 60_000 });
    expect(checked).toMatchObject({
      fetch,
      timeout: 1_000,
      retry: { attempts: 3, baseDelayMs: 250, maxDelayMs: 60_000 },
    });
    expect(reads).toBe(1);
    expect(checkClientSettings(read, { retry: { maxDelayMs: 5 } }, { maxDelayMs: 60_000 }).retry.maxDelayMs).toBe(5);
    expect(checkClientSettings(read, { retry: false }).retry).toMatchObject({ attempts: 1, maxDelayMs: 20_000 });
  });
});
