import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type RefundkitError, ResponseError, TransportError, VendorApiError } from '@refundkit/refund-model';
import { afterEach, describe, expect, it } from 'vitest';
import { waitUntil } from '../../../test-support/wait.js';
import { type RetryOptions, resolveRetryPolicy } from './retry-policy.js';
import { createServerClock } from './server-clock.js';
import {
  createTransport,
  type RequestFacts,
  type TransportHooks,
  type TransportOptions,
  type TransportResponse,
} from './transport.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

type Handler = (req: IncomingMessage, res: ServerResponse, seen: Seen, index: number) => void;

const servers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((close) => close()));
});

/** A tiny HTTP server on 127.0.0.1 whose answer to the n-th request is decided by the test. */
async function serve(handler: Handler): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const entry = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      seen.push(entry);
      handler(req, res, entry, seen.length - 1);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, seen };
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** The vendor convention the tests use: `{ ok: true, data }` or `{ ok: false, code, retryable }`. */
function interpret({ status, json: body }: TransportResponse): unknown {
  const answer = body as { ok: boolean; data?: unknown; code?: string; retryable?: boolean; retryAfterMs?: number };
  if (answer.ok) return answer.data;
  throw new VendorApiError({
    vendor: 'kingdee',
    vendorCode: answer.code ?? 'X',
    vendorMessage: `failed ${answer.code}`,
    status,
    endpoint: 'POST /test',
    code: answer.code === 'TS' ? 'TIMESTAMP' : answer.code === 'BIZ' ? 'BUSINESS' : 'OVERLOADED',
    retryable: answer.retryable ?? false,
    ...(answer.retryAfterMs === undefined ? {} : { retryAfterMs: answer.retryAfterMs }),
  });
}

/** A transport as a client makes one, its `retry` resolved as `checkClientSettings` resolves the setting. */
function transportFor(
  url: string,
  { retry, ...extra }: Partial<Omit<TransportOptions, 'retry'>> & { retry?: RetryOptions | number | false } = {},
) {
  return createTransport({
    vendor: 'kingdee',
    baseUrl: url,
    userAgent: 'refundkit-test/1.2.3',
    rateLimitKey: 'kingdee:test',
    retry: resolveRetryPolicy(retry ?? { attempts: 3, baseDelayMs: 1, maxDelayMs: 5, random: () => 0 }),
    ...extra,
  });
}

const post = (extra: Record<string, unknown> = {}) => ({
  method: 'POST' as const,
  path: '/test',
  body: '{"a":"中文","b":1}',
  resendSafe: true,
  prepare: () => ({}),
  interpret,
  ...extra,
});

describe('createTransport: a single call', () => {
  it('sends the exact body, the prepared query and headers, and returns what interpret makes of the answer', async () => {
    const { url, seen } = await serve((_req, res) => json(res, 200, { ok: true, data: { saved: 1 } }));
    const transport = transportFor(url);
    const calls: Array<[number, number]> = [];
    const result = await transport.send({
      ...post(),
      prepare: (now: number, attempt: number) => {
        calls.push([now, attempt]);
        return { query: [['a b', 'x/y'] as const, ['k', '1'] as const], headers: { 'X-Sig': 'abc' } };
      },
    });
    expect(result).toEqual({ saved: 1 });
    expect(seen).toHaveLength(1);
    const [request] = seen;
    expect(request?.method).toBe('POST');
    expect(new URL(request?.url ?? '', url).searchParams.get('a b')).toBe('x/y');
    expect(request?.body).toBe('{"a":"中文","b":1}');
    expect(request?.headers['content-type']).toBe('application/json;charset=utf-8');
    expect(request?.headers['user-agent']).toBe('refundkit-test/1.2.3');
    expect(request?.headers['x-sig']).toBe('abc');
    expect(calls).toHaveLength(1);
    expect(calls[0]?.[1]).toBe(1);
  });

  it('sends no body or content type on a GET unless prepare sets one, and keeps a base path prefix', async () => {
    const { url, seen } = await serve((_req, res) => json(res, 200, { ok: true, data: 'fine' }));
    const transport = transportFor(`${url}/prefix`);
    await transport.send({ method: 'GET', path: '/x', resendSafe: true, prepare: () => ({}), interpret });
    expect(seen[0]?.url).toBe('/prefix/x');
    expect(seen[0]?.headers['content-type']).toBeUndefined();
    expect(seen[0]?.body).toBe('');
  });

  it('lets prepared headers replace the defaults whatever their case', async () => {
    const { url, seen } = await serve((_req, res) => json(res, 200, { ok: true }));
    await transportFor(url).send(post({ prepare: () => ({ headers: { 'Content-Type': 'application/json' } }) }));
    expect(seen[0]?.headers['content-type']).toBe('application/json');
  });

  it('uses an injected fetch', async () => {
    const { url } = await serve((_req, res) => json(res, 200, { ok: true, data: 'real' }));
    const seenByFetch: string[] = [];
    const transport = transportFor(url, {
      fetch: async (input, init) => {
        seenByFetch.push(input instanceof Request ? input.url : String(input));
        return globalThis.fetch(input, init);
      },
    });
    expect(await transport.send(post())).toBe('real');
    expect(seenByFetch).toEqual([`${url}/test`]);
  });
});

describe('createTransport: retries', () => {
  it('retries 5xx without a JSON body, preparing each attempt afresh, then succeeds', async () => {
    const { url, seen } = await serve((_req, res, _seen, index) => {
      if (index < 2) {
        res.writeHead(503, { 'content-type': 'text/html' });
        res.end('<html>busy</html>');
      } else json(res, 200, { ok: true, data: 'third time' });
    });
    const attempts: number[] = [];
    const retries: Array<{ attempt: number; delayMs: number; code: string }> = [];
    const transport = transportFor(url, {
      hooks: {
        onRetry: (facts) => retries.push({ attempt: facts.attempt, delayMs: facts.delayMs, code: facts.error.code }),
      },
    });
    const result = await transport.send(
      post({
        prepare: (_now: number, attempt: number) => {
          attempts.push(attempt);
          return {};
        },
      }),
    );
    expect(result).toBe('third time');
    expect(seen).toHaveLength(3);
    expect(attempts).toEqual([1, 2, 3]);
    expect(retries).toEqual([
      { attempt: 1, delayMs: 0, code: 'BAD_RESPONSE' },
      { attempt: 2, delayMs: 0, code: 'BAD_RESPONSE' },
    ]);
  });

  it('retries vendor answers marked retryable and gives up after the configured attempts', async () => {
    const { url, seen } = await serve((_req, res) => json(res, 519, { ok: false, code: '5007', retryable: true }));
    const error = await transportFor(url, { retry: { attempts: 4, baseDelayMs: 1, random: () => 0 } })
      .send(post())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VendorApiError);
    expect((error as VendorApiError).vendorCode).toBe('5007');
    expect(seen).toHaveLength(4);
  });

  it('never retries a business error', async () => {
    const { url, seen } = await serve((_req, res) => json(res, 200, { ok: false, code: 'BIZ', retryable: false }));
    const error = await transportFor(url)
      .send(post())
      .catch((e: unknown) => e);
    expect((error as RefundkitError).code).toBe('BUSINESS');
    expect(seen).toHaveLength(1);
  });

  it('makes a single try with retry: false and with retry: 1', async () => {
    for (const retry of [false, 1] as const) {
      const { url, seen } = await serve((_req, res) => json(res, 500, { ok: false, retryable: true }));
      await expect(transportFor(url, { retry }).send(post())).rejects.toBeInstanceOf(VendorApiError);
      expect(seen).toHaveLength(1);
    }
  });

  it('retries 408 and 429 bodies that are not JSON, but not 400 or 404', async () => {
    for (const [status, tries] of [
      [408, 2],
      [429, 2],
      [400, 1],
      [404, 1],
    ] as const) {
      const { url, seen } = await serve((_req, res) => {
        res.writeHead(status, { 'content-type': 'text/plain' });
        res.end('nope');
      });
      const error = await transportFor(url, { retry: { attempts: 2, baseDelayMs: 0 } })
        .send(post())
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ResponseError);
      expect((error as ResponseError).status).toBe(status);
      expect(seen).toHaveLength(tries);
    }
  });

  it('waits at least what Retry-After asks', async () => {
    const { url } = await serve((_req, res, _seen, index) =>
      index === 0
        ? json(res, 429, { ok: false, code: 'RL', retryable: true }, { 'retry-after': '1' })
        : json(res, 200, { ok: true, data: 'after the wait' }),
    );
    const delays: number[] = [];
    const transport = transportFor(url, {
      retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 5_000, random: () => 0 },
      hooks: { onRetry: (facts) => delays.push(facts.delayMs) },
    });
    expect(await transport.send(post())).toBe('after the wait');
    expect(delays).toEqual([1000]);
  });

  it("treats an error's retryAfterMs as a lower bound on the delay", async () => {
    const { url } = await serve((_req, res, _seen, index) =>
      index === 0
        ? json(res, 200, { ok: false, code: 'RL', retryable: true, retryAfterMs: 20 })
        : json(res, 200, { ok: true, data: 'ok' }),
    );
    const delays: number[] = [];
    const transport = transportFor(url, {
      retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 100, random: () => 0.99 },
      hooks: { onRetry: (facts) => delays.push(facts.delayMs) },
    });
    await transport.send(post());
    expect(delays).toEqual([20]);
  });

  it('does not wait when the server asks for longer than maxDelayMs: the error is thrown at once', async () => {
    const { url, seen } = await serve((_req, res) =>
      json(res, 503, { ok: false, code: '5003', retryable: true }, { 'retry-after': '120' }),
    );
    await expect(transportFor(url).send(post())).rejects.toBeInstanceOf(VendorApiError);
    expect(seen).toHaveLength(1);
  });

  it('retries network failures and reports them as NETWORK', async () => {
    const { url } = await serve((_req, res) => json(res, 200, {}));
    await Promise.all(servers.splice(0).map((close) => close()));
    const requests: number[] = [];
    const error = await transportFor(url, { hooks: { onRequest: (facts) => requests.push(facts.attempt) } })
      .send(post())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect((error as TransportError).code).toBe('NETWORK');
    expect((error as TransportError).retryable).toBe(true);
    expect(requests).toEqual([1, 2, 3]);
  });
});

describe('createTransport: unreadable answers', () => {
  it('answers a 200 whose body is not JSON with a ResponseError that does not repeat the body', async () => {
    const { url, seen } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('token=very-secret-token');
    });
    const error = await transportFor(url)
      .send(post())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect((error as ResponseError).retryable).toBe(false);
    expect(JSON.stringify(error)).not.toContain('very-secret-token');
    expect((error as Error).message).not.toContain('very-secret-token');
    expect(seen).toHaveLength(1);
  });

  it('retries a body cut short, then succeeds', async () => {
    const { url, seen } = await serve((_req, res, _seen, index) => {
      if (index === 0) {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
        res.write('{"ok":true,"da');
        setTimeout(() => res.socket?.destroy(), 10);
      } else json(res, 200, { ok: true, data: 'whole' });
    });
    const retried: string[] = [];
    const transport = transportFor(url, { hooks: { onRetry: (facts) => retried.push(facts.error.code) } });
    expect(await transport.send(post())).toBe('whole');
    expect(seen).toHaveLength(2);
    expect(retried).toEqual(['BAD_RESPONSE']);
  });

  it('wraps a non-refundkit error thrown by interpret as a BAD_RESPONSE that is not retried', async () => {
    const { url, seen } = await serve((_req, res) => json(res, 200, { ok: true }));
    const error = await transportFor(url)
      .send(
        post({
          interpret: () => {
            throw new TypeError('shape');
          },
        }),
      )
      .catch((e: unknown) => e);
    expect((error as ResponseError).code).toBe('BAD_RESPONSE');
    expect((error as ResponseError).cause).toBeInstanceOf(TypeError);
    expect(seen).toHaveLength(1);
  });
});

describe('createTransport: timeouts and aborts', () => {
  it('times out an attempt whose answer does not come, and retries it', async () => {
    const { url, seen } = await serve(() => {
      // never answers
    });
    const error = await transportFor(url, { timeout: 100, retry: { attempts: 2, baseDelayMs: 0 } })
      .send(post())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect((error as TransportError).code).toBe('TIMEOUT');
    expect((error as TransportError).retryable).toBe(true);
    expect(seen).toHaveLength(2);
  });

  it('times out a body that stalls after the head arrived', async () => {
    const { url } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"ok":');
    });
    const error = await transportFor(url, { timeout: 150, retry: false })
      .send(post())
      .catch((e: unknown) => e);
    expect((error as TransportError).code).toBe('TIMEOUT');
  });

  it('aborts an attempt in flight and does not retry', async () => {
    const { url, seen } = await serve(() => {
      // never answers
    });
    const controller = new AbortController();
    const pending = transportFor(url, {
      // Abort once the server holds the request, so the abort meets an attempt in flight.
      hooks: { onRequest: () => void waitUntil(() => seen.length === 1).then(() => controller.abort()) },
    })
      .send(post({ signal: controller.signal }))
      .catch((e: unknown) => e);
    const error = await pending;
    expect(error).toBeInstanceOf(TransportError);
    expect((error as TransportError).code).toBe('ABORTED');
    expect((error as TransportError).retryable).toBe(false);
    expect(seen).toHaveLength(1);
  });

  it('aborts the wait between attempts', async () => {
    const { url, seen } = await serve((_req, res) => json(res, 503, { ok: false, code: '5003', retryable: true }));
    const controller = new AbortController();
    const error = await transportFor(url, {
      retry: { attempts: 3, baseDelayMs: 60_000, maxDelayMs: 60_000, random: () => 0.9 },
      hooks: { onRetry: () => setTimeout(() => controller.abort(), 5) },
    })
      .send(post({ signal: controller.signal }))
      .catch((e: unknown) => e);
    expect((error as TransportError).code).toBe('ABORTED');
    expect(seen).toHaveLength(1);
  });

  it('does not send at all when the signal is already aborted', async () => {
    const { url, seen } = await serve((_req, res) => json(res, 200, { ok: true }));
    const error = await transportFor(url)
      .send(post({ signal: AbortSignal.abort() }))
      .catch((e: unknown) => e);
    expect((error as TransportError).code).toBe('ABORTED');
    expect(seen).toHaveLength(0);
  });
});

describe('createTransport: server clock', () => {
  it('learns the offset from the Date header on a TIMESTAMP error and re-signs once, outside the retry budget', async () => {
    const serverOffset = 10 * 60_000;
    const { url, seen } = await serve((req, res) => {
      const serverNow = Date.now() + serverOffset;
      const sent = Number(req.headers['x-ts']);
      const date = new Date(serverNow).toUTCString();
      if (Math.abs(sent - serverNow) > 5_000) json(res, 519, { ok: false, code: 'TS' }, { date });
      else json(res, 200, { ok: true, data: 'in time' }, { date });
    });
    const clock = createServerClock();
    const transport = transportFor(url, { clock, retry: false });
    const stamps: number[] = [];
    const result = await transport.send(
      post({
        prepare: (now: number) => {
          stamps.push(now);
          return { headers: { 'x-ts': String(now) } };
        },
      }),
    );
    expect(result).toBe('in time');
    expect(seen).toHaveLength(2);
    expect((stamps[1] ?? 0) - (stamps[0] ?? 0)).toBeGreaterThan(serverOffset - 5_000);
    expect(clock.offsetMs).toBeGreaterThan(serverOffset - 5_000);
    expect(clock.offsetMs).toBeLessThan(serverOffset + 5_000);
    // The corrected clock is used from then on.
    await transport.send(post({ prepare: (now: number) => ({ headers: { 'x-ts': String(now) } }) }));
    expect(seen).toHaveLength(3);
  });

  it('does not re-send a TIMESTAMP error that carries no Date header to learn from', async () => {
    const { url, seen } = await serve((_req, res) => {
      res.sendDate = false;
      json(res, 519, { ok: false, code: 'TS' });
    });
    const error = await transportFor(url)
      .send(post())
      .catch((e: unknown) => e);
    expect((error as VendorApiError).code).toBe('TIMESTAMP');
    expect(seen).toHaveLength(1);
  });

  it('re-signs only once: a second TIMESTAMP error is thrown', async () => {
    const { url, seen } = await serve((_req, res) => json(res, 519, { ok: false, code: 'TS' }));
    const error = await transportFor(url)
      .send(post())
      .catch((e: unknown) => e);
    expect((error as VendorApiError).code).toBe('TIMESTAMP');
    expect(seen).toHaveLength(2);
  });
});

describe('createTransport: hooks and logging', () => {
  it('gives hooks and loggers redacted facts only', async () => {
    const { url } = await serve((_req, res, _seen, index) =>
      index % 2 === 0
        ? json(res, 503, { ok: false, code: '5003', retryable: true })
        : json(res, 200, { ok: false, code: 'BIZ' }),
    );
    const events: Array<[string, Record<string, unknown>]> = [];
    const consoleLines: unknown[][] = [];
    const pinoLines: unknown[][] = [];
    const record = (name: string) => (facts: RequestFacts) => events.push([name, facts as never]);
    const consoleLike = {
      debug: (...args: unknown[]) => consoleLines.push(args),
      info: (...args: unknown[]) => consoleLines.push(args),
      warn: (...args: unknown[]) => consoleLines.push(args),
      error: (...args: unknown[]) => consoleLines.push(args),
    };
    const pinoLike = {
      levels: { values: {} },
      child: () => pinoLike,
      debug: (...args: unknown[]) => pinoLines.push(args),
      warn: (...args: unknown[]) => pinoLines.push(args),
      error: (...args: unknown[]) => pinoLines.push(args),
    };
    for (const logger of [consoleLike, pinoLike]) {
      await transportFor(url, {
        hooks: {
          onRequest: record('request'),
          onResponse: record('response'),
          onRetry: record('retry'),
          onError: record('error'),
        },
        logger,
        redactQuery: ['app_signature'],
      })
        .send(
          post({
            prepare: () => ({ query: [['app_key', 'k1'] as const, ['app_signature', 'SIGNATURE-XYZ'] as const] }),
          }),
        )
        .catch(() => undefined);
    }
    expect(events.map(([name]) => name)).toEqual([
      ...['request', 'response', 'retry', 'request', 'response', 'error'],
      ...['request', 'response', 'retry', 'request', 'response', 'error'],
    ]);
    const [, firstRequest] = events[0] ?? [];
    expect(firstRequest).toMatchObject({ vendor: 'kingdee', method: 'POST', endpoint: 'POST /test', attempt: 1 });
    expect(firstRequest?.url).toBe(`${url}/test?app_key=k1&app_signature=[redacted]`);
    expect(events[1]?.[1]).toMatchObject({ status: 503, vendorCode: '5003' });
    expect(typeof events[1]?.[1]?.durationMs).toBe('number');
    expect(events[5]?.[1]).toMatchObject({ attempt: 2 });
    expect(events[5]?.[1]?.error).toMatchObject({ code: 'BUSINESS' });

    expect(consoleLines.length).toBe(6);
    for (const line of consoleLines) {
      expect(typeof line[0]).toBe('string');
      expect(typeof line[1]).toBe('object');
    }
    expect(pinoLines.length).toBe(6);
    for (const line of pinoLines) {
      expect(typeof line[0]).toBe('object');
      expect(typeof line[1]).toBe('string');
    }
    const everything = JSON.stringify([events, consoleLines, pinoLines]);
    expect(everything).not.toContain('SIGNATURE-XYZ');
  });

  it('calls a logger the way loggerStyle says, and survives hooks and loggers that throw', async () => {
    const { url } = await serve((_req, res) => json(res, 200, { ok: true, data: 1 }));
    const lines: unknown[][] = [];
    const throwing = () => {
      throw new Error('hook failure');
    };
    const result = await transportFor(url, {
      logger: { debug: (...args: unknown[]) => lines.push(args) },
      loggerStyle: 'pino',
      hooks: { onRequest: throwing, onResponse: throwing },
    }).send(post());
    expect(result).toBe(1);
    expect(typeof lines[0]?.[0]).toBe('object');
    await transportFor(url, { logger: { debug: throwing } }).send(post());
  });
});

describe('createTransport: rate limiter, re-send safety and exact numbers', () => {
  it('acquires the limiter before every attempt (retries included) and penalises a rate-limited answer', async () => {
    const { url, seen } = await serve((_req, res, _seen, index) =>
      index === 0
        ? json(res, 200, { ok: false, code: 'RL', retryable: true }, { 'retry-after': '0' })
        : json(res, 200, { ok: true, data: 'through' }),
    );
    const events: string[] = [];
    const limiter = {
      async acquire(key: string, options?: { signal?: AbortSignal | undefined }) {
        events.push(`acquire ${key} ${options?.signal instanceof AbortSignal}`);
      },
      async penalize(key: string, retryAfterMs: number) {
        events.push(`penalize ${key} ${retryAfterMs}`);
      },
    };
    const rateLimited = ({ status, json: body }: TransportResponse): unknown => {
      if ((body as { ok: boolean }).ok) return (body as { data: unknown }).data;
      throw new VendorApiError({
        vendor: 'kingdee',
        vendorCode: 'RL',
        vendorMessage: 'slow down',
        status,
        endpoint: 'POST /test',
        code: 'RATE_LIMITED',
        retryable: true,
        retryAfterMs: 3,
      });
    };
    const transport = transportFor(url, { rateLimiter: limiter, rateLimitKey: 'kingdee:c1:a1' });
    const result = await transport.send(post({ interpret: rateLimited, signal: new AbortController().signal }));
    expect(result).toBe('through');
    expect(seen).toHaveLength(2);
    expect(events).toEqual(['acquire kingdee:c1:a1 true', 'penalize kingdee:c1:a1 3', 'acquire kingdee:c1:a1 true']);
  });

  it('sends nothing when the limiter fails, and says a later re-send can help', async () => {
    const { url, seen } = await serve((_req, res) => json(res, 200, { ok: true, data: 1 }));
    const limiter = {
      acquire: async () => {
        throw new Error('database down');
      },
      penalize: async () => undefined,
    };
    const error = await transportFor(url, { rateLimiter: limiter, rateLimitKey: 'k' })
      .send(post())
      .catch((e: unknown) => e as RefundkitError);
    expect(error).toMatchObject({ code: 'UNKNOWN', retryable: false, resendable: true });
    expect(seen).toHaveLength(0);
  });

  it('reports a call that ends before an attempt or while waiting to retry to onError once, a throwing prepare never', async () => {
    const { url, seen } = await serve((_req, res) => json(res, 503, { ok: false, code: '5003', retryable: true }));
    const errors: Array<RequestFacts & { durationMs: number; error: RefundkitError }> = [];
    const hooks: TransportHooks = {
      onError: (facts) => {
        errors.push(facts);
      },
    };
    const refusing = { acquire: async () => Promise.reject(new Error('down')), penalize: async () => undefined };
    await transportFor(url, { hooks, rateLimiter: refusing })
      .send(post())
      .catch(() => undefined);
    expect(seen).toHaveLength(0);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ attempt: 1, durationMs: 0, url: `${url}/test`, error: { code: 'UNKNOWN' } });

    const controller = new AbortController();
    const slow = { attempts: 3, baseDelayMs: 60_000, maxDelayMs: 60_000, random: () => 1 };
    const onRetry = () => controller.abort(new Error('stop'));
    await transportFor(url, { hooks: { ...hooks, onRetry }, retry: slow })
      .send(post({ signal: controller.signal }))
      .catch(() => undefined);
    expect(seen).toHaveLength(1);
    expect(errors).toHaveLength(2);
    expect(errors[1]).toMatchObject({ attempt: 1, error: { code: 'ABORTED' } });
    expect(errors[1]?.durationMs).toBeGreaterThan(0);

    // A `prepare` that throws is a bug in the caller, not a failed call: it is thrown as it is, unreported.
    const bug = new TypeError('prepare failed');
    const thrown = await transportFor(url, { hooks })
      .send(
        post({
          prepare: () => {
            throw bug;
          },
        }),
      )
      .catch((e: unknown) => e);
    expect(thrown).toBe(bug);
    expect(errors).toHaveLength(2);
    expect(seen).toHaveLength(1);
  });

  it('does not retry, nor call resendable, a call that is not safe to re-send after a dropped connection', async () => {
    const { url, seen } = await serve((_req, res) => res.socket?.destroy());
    const error = await transportFor(url)
      .send(post({ resendSafe: false }))
      .catch((e: unknown) => e as RefundkitError);
    expect(error).toMatchObject({ code: 'NETWORK', retryable: false, resendable: false });
    expect(seen).toHaveLength(1);
    const safe = await transportFor(url)
      .send(post({ resendSafe: true }))
      .catch((e: unknown) => e as RefundkitError);
    expect(safe).toMatchObject({ code: 'NETWORK', retryable: true, resendable: true });
    expect(seen).toHaveLength(4);
  });

  it('refuses a redirect: the signed request goes to the base URL only, never to the location given', async () => {
    const elsewhere = await serve((_req, res) => json(res, 200, { ok: true }));
    const { url, seen } = await serve((_req, res) => {
      res.writeHead(307, { location: `${elsewhere.url}/test` });
      res.end();
    });
    const error = await transportFor(url)
      .send(post({ resendSafe: false }))
      .catch((e: unknown) => e as RefundkitError);
    expect(error).toMatchObject({ code: 'NETWORK', retryable: false });
    expect(seen).toHaveLength(1);
    expect(elsewhere.seen).toHaveLength(0);
  });

  it('marks an answer it could not read resendable for a call safe to re-send', async () => {
    const { url } = await serve((_req, res) => json(res, 200, { ok: true }));
    const unreadable = () => {
      throw new ResponseError('no envelope', { status: 200, endpoint: 'POST /test' });
    };
    const error = await transportFor(url)
      .send(post({ interpret: unreadable }))
      .catch((e: unknown) => e as RefundkitError);
    expect(ResponseError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ retryable: false, resendable: true, message: 'no envelope' });
  });

  it('hands interpret big integers and long decimals as their exact digits', async () => {
    const { url } = await serve((_req, res) => {
      const text = '{"ok":true,"data":{"id":1420169116878110000,"amount":123456789012345.6789,"n":12.5}}';
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(text);
    });
    const data = await transportFor(url).send(post());
    expect(data).toEqual({ id: '1420169116878110000', amount: '123456789012345.6789', n: 12.5 });
  });
});
