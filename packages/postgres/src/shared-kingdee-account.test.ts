// Six processes, each with its own real Kingdee client, sharing one account through PostgreSQL: the token store and
// the rate limiter of this package, handed to the clients as `tokenStore` and `rateLimiter`. The sandbox gateway
// counts the token calls and logs when every refundSave arrived.
import { startKingdeeSandbox } from '@refundkit/sandbox';
import { describe, expect, it } from 'vitest';
import { startSharers, stopSharers, useTestDatabase } from './test-support.js';

const { url } = useTestDatabase();

describe('six Kingdee clients in six processes sharing one account', () => {
  it('make one token call per token lifetime and keep their combined rate within the limit, measured at the sandbox', async () => {
    const kd = await startKingdeeSandbox();
    const perMinute = 1_200;
    const burst = 5;
    const children = await startSharers(6, url(), kd, {
      RATE_PER_MINUTE: String(perMinute),
      RATE_BURST: String(burst),
    });
    try {
      const round = async (name: string) => {
        const done = children.map((child) => child.message((m: { type: string }) => m.type !== 'ready'));
        for (const [i, child] of children.entries()) child.send({ type: 'saves', count: 6, prefix: `${name}-${i}` });
        const answers = (await Promise.all(done)) as Array<{ type: string; message?: string }>;
        for (const child of children) child.messages.length = 0;
        expect(answers.map((m) => m.message ?? m.type)).toEqual(Array(6).fill('saved'));
      };
      // First lifetime: six clients with no token start at once; one token call between them.
      await round('first');
      expect(kd.counters.tokensIssued).toBe(1);
      // The token's life ends at the gateway: every client is refused, and one of them fetches the next token.
      kd.expireTokens();
      await round('second');
      expect(kd.counters.tokensIssued).toBe(2);
      expect(kd.counters.newRefunds).toBe(72);

      const arrivals = kd.log
        .filter((entry) => entry.route === 'refundSave')
        .map((entry) => entry.at)
        .sort((x, y) => x - y);
      // Every attempt acquired a slot (the refused ones with the expired token too): at most `burst` calls plus the
      // refill of the time between them, with one second allowed for a call arriving after its slot was granted on a
      // loaded machine (unlimited, the 6 × 12 calls would all fit well within it).
      const refillPerMs = (perMinute - burst) / 60_000;
      expect(arrivals.length).toBeGreaterThanOrEqual(72);
      for (let i = 0; i < arrivals.length; i++) {
        for (let j = i + burst; j < arrivals.length; j++) {
          expect(j - i + 1).toBeLessThanOrEqual(
            burst + Math.floor((arrivals[j]! - arrivals[i]! + 1_000) * refillPerMs) + 1,
          );
        }
      }
    } finally {
      await stopSharers(children);
      await kd.close();
    }
  });
});
