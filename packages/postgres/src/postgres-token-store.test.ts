import { startKingdeeSandbox } from '@refundkit/sandbox';
import { isRefundkitError } from '@refundkit/transport';
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createPostgresTokenStore } from './postgres-token-store.js';
import { startSharers, stopSharers, useTestDatabase } from './test-support.js';

const { url, newPool } = useTestDatabase();

describe('createPostgresTokenStore', () => {
  it('keeps a token per key that another pool (another process) reads', async () => {
    const a = createPostgresTokenStore({ pool: newPool() });
    const b = createPostgresTokenStore({ pool: newPool() });
    expect(await a.get('k1')).toBeUndefined();
    await a.set('k1', { appToken: 'tok-1', expires: 1_900_000_000_000 });
    expect(await b.get('k1')).toEqual({ appToken: 'tok-1', expires: 1_900_000_000_000 });
    await b.set('k1', { appToken: 'tok-2', expires: 1_900_000_000_001 });
    expect(await a.get('k1')).toEqual({ appToken: 'tok-2', expires: 1_900_000_000_001 });
    expect(await a.get('k2')).toBeUndefined();
  });

  it('refuses bad settings with an error naming the setting, and bad keys as programmer errors', async () => {
    expect(() => createPostgresTokenStore({ pool: {} as pg.Pool })).toThrow(
      expect.objectContaining({ code: 'CONFIGURATION', setting: 'pool' }),
    );
    expect(() => createPostgresTokenStore({ pool: newPool(), lockTimeoutMs: 0 })).toThrow(
      expect.objectContaining({ setting: 'lockTimeoutMs' }),
    );
    const store = createPostgresTokenStore({ pool: newPool() });
    await expect(store.get('')).rejects.toThrow(TypeError);
    await expect(store.set('k', { appToken: '', expires: 1 })).rejects.toThrow(TypeError);
  });

  it('refresh answers a token another holder stored in place of the stale one, without fetching', async () => {
    const store = createPostgresTokenStore({ pool: newPool() });
    const stale = { appToken: 'old', expires: Date.now() + 1_000 };
    await store.set('k3', { appToken: 'newer', expires: Date.now() + 3_600_000 });
    let fetches = 0;
    const fetchToken = async () => {
      fetches++;
      return { appToken: 'fetched', expires: Date.now() + 3_600_000 };
    };
    expect((await store.refresh('k3', fetchToken, stale)).appToken).toBe('newer');
    expect(fetches).toBe(0);
    // The stored token is the stale one: fetch, store and answer the new one.
    const stored = (await store.get('k3')) ?? undefined;
    expect((await store.refresh('k3', fetchToken, stored)).appToken).toBe('fetched');
    expect(fetches).toBe(1);
    expect((await store.get('k3'))?.appToken).toBe('fetched');
  });

  it('a failed fetch stores nothing and releases the lock for the next caller', async () => {
    const store = createPostgresTokenStore({ pool: newPool() });
    await expect(store.refresh('k4', () => Promise.reject(new Error('vendor down')), undefined)).rejects.toThrow(
      'vendor down',
    );
    expect(await store.get('k4')).toBeUndefined();
    const token = await store.refresh('k4', async () => ({ appToken: 't4', expires: Date.now() + 60_000 }), undefined);
    expect(token.appToken).toBe('t4');
  });

  it('a waiter gives up after lockTimeoutMs with a retryable TOKEN error while the holder is stuck', async () => {
    const holder = createPostgresTokenStore({ pool: newPool() });
    const waiter = createPostgresTokenStore({ pool: newPool(), lockTimeoutMs: 200 });
    let release: (token: { appToken: string; expires: number }) => void = () => {};
    let fetching: () => void = () => {};
    const started = new Promise<void>((resolve) => {
      fetching = resolve;
    });
    const held = holder.refresh(
      'k5',
      () =>
        new Promise((resolve) => {
          release = resolve;
          fetching();
        }),
      undefined,
    );
    await started;
    const error = await waiter.refresh('k5', async () => ({ appToken: 'x', expires: 1 }), undefined).catch((e) => e);
    expect(isRefundkitError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'TOKEN', retryable: true });
    release({ appToken: 't5', expires: Date.now() + 60_000 });
    expect((await held).appToken).toBe('t5');
  });
});

describe('six processes sharing one Kingdee account', () => {
  it('make one token call per token lifetime between them, measured at the sandbox', async () => {
    const kd = await startKingdeeSandbox();
    const children = await startSharers(6, url(), kd, { TOKEN_KEY: 'six-processes' });
    try {
      const round = async (stale: boolean) => {
        const answers = children.map((child) =>
          child.message((m: { type: string }) => m.type === 'refreshed' || m.type === 'error'),
        );
        for (const child of children) child.send({ type: 'refresh', stale });
        const seen = (await Promise.all(answers)) as Array<{ type: string; fetched: boolean; token: string }>;
        for (const child of children) child.messages.length = 0;
        return seen;
      };
      // First lifetime: nobody holds a token; all six ask at once.
      const first = await round(false);
      expect(first.map((m) => m.type)).toEqual(Array(6).fill('refreshed'));
      expect(first.filter((m) => m.fetched)).toHaveLength(1);
      expect(new Set(first.map((m) => m.token)).size).toBe(1);
      expect(kd.counters.tokensIssued).toBe(1);
      // The token's life ends (the gateway refuses it): all six find it stale at once, one fetches its successor.
      kd.expireTokens();
      const second = await round(true);
      expect(second.filter((m) => m.fetched)).toHaveLength(1);
      expect(new Set(second.map((m) => m.token)).size).toBe(1);
      expect(second[0]!.token).not.toBe(first[0]!.token);
      expect(kd.counters.tokensIssued).toBe(2);
    } finally {
      await stopSharers(children);
      await kd.close();
    }
  });

  it('a process killed while fetching does not block the others', async () => {
    const kd = await startKingdeeSandbox();
    const [doomed, survivor] = await startSharers(2, url(), kd, { TOKEN_KEY: 'killed-holder' });
    try {
      doomed!.send({ type: 'hang' });
      await doomed!.message((m: { type: string }) => m.type === 'fetching');
      const answer = survivor!.message((m: { type: string }) => m.type === 'refreshed' || m.type === 'error');
      survivor!.send({ type: 'refresh', stale: false });
      doomed!.process.kill('SIGKILL');
      expect(await answer).toMatchObject({ type: 'refreshed', fetched: true });
      expect(kd.counters.tokensIssued).toBe(1);
    } finally {
      await stopSharers([doomed!, survivor!]);
      await kd.close();
    }
  });
});
