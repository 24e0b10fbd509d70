/**
 * The HTTP engine both sandboxes run on: node:http on 127.0.0.1, body reading, the server clock (with offset) and
 * the `Date` header it drives, fault application, the request log and the shared counters, and a prompt `close()`.
 *
 * node:http rather than a framework: the sandbox must control the socket itself (reset a connection, cut a body
 * short, hang, drop a response after committing), set `Date` explicitly, and close every connection at once. A
 * framework would add routing we do not need and hide exactly those sockets.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type ActiveFault,
  createFaultPlanner,
  type FaultPlanner,
  type SandboxFault,
  type SandboxFaultKind,
} from './faults.js';

/** One request as the request log keeps it: no query string, headers or body, so no secret can end up here. */
export interface SandboxLogEntry {
  /** 1, 2, 3, ... in arrival order. */
  seq: number;
  /** Server time (epoch ms, including any clock offset) when the request was handled. */
  at: number;
  /** HTTP method. */
  method: string;
  /** Request path without the query string. */
  path: string;
  /** Kingdee: the route name ('token', 'refundSave', 'retailBillList', ... or 'unknown'); Wangdian: the `method` query parameter. */
  route: string;
  /** Whether the request's signature verified; `undefined` when the request was refused before it was checked. */
  signatureValid: boolean | undefined;
  /** HTTP status answered; 0 when no response was sent (reset, hang, dropped after commit). */
  status: number;
  /** Vendor code answered: Kingdee errcode, Wangdian status; '' when the answer carried none. */
  code: string;
  /** 'accepted' (code 0), 'rejected' (a vendor error code), 'fault' (a failing fault answered instead). */
  outcome: 'accepted' | 'rejected' | 'fault';
  /** Faults applied to this request, in rule order. */
  faults: SandboxFaultKind[];
}

/** Counters both sandboxes keep. */
export interface SandboxBaseCounters {
  /** Requests received (every one, faults included). */
  requests: number;
  /** Answers with code 0 (Kingdee errcode 0, Wangdian status 0). */
  accepted: number;
  /** Vendor error answers by code: Kingdee errcode (`'4008'`, `'1002'`, `'404'` for No Route), Wangdian status. */
  rejected: Record<string, number>;
  /** Faults applied in total. */
  faultsInjected: number;
  /** Faults applied by kind. */
  faultsByKind: Partial<Record<SandboxFaultKind, number>>;
  /**
   * Requests received by route (Wangdian: the method name, e.g. `aftersales.refund.Refund.search`; Kingdee: the
   * route, e.g. `refundSave`, `retailBillList`), faults included: what a caller's vendor calls cost.
   */
  byRoute: Record<string, number>;
}

/** What a vendor handler answers. */
/** The options both sandboxes take. */
export interface SandboxOptions<Credentials, Fault> {
  /** Port on 127.0.0.1; default a free port. */
  port?: number;
  /** Overrides of the default credentials (the vendor docs' example values). */
  credentials?: Partial<Credentials>;
  /** Server clock offset in ms (default 0): the server's time is `now() + clockOffsetMs`. */
  clockOffsetMs?: number;
  /** Base clock, epoch ms (default `Date.now`). */
  now?: () => number;
  /** Seed of the fault PRNG (default 1). */
  seed?: number;
  /** Fault rules active from the start. */
  faults?: Fault | readonly Fault[];
  /** Request log entries kept (oldest dropped first; default 10 000). */
  logLimit?: number;
}

/** What both running sandboxes offer: address, credentials, log, counters, faults, clock, reset and close. */
export interface Sandbox<Credentials, Counters, Kind extends SandboxFaultKind, Route extends string, Fault> {
  /** Origin, e.g. `http://127.0.0.1:41234`: the client's `baseUrl`. */
  readonly url: string;
  readonly port: number;
  readonly credentials: Credentials;
  /** The request log, oldest first (a copy). */
  readonly log: SandboxLogEntry[];
  /** Counters (a snapshot). */
  readonly counters: Counters;
  /** Active fault rules with how often each fired (a copy). */
  readonly faults: ActiveFault<Kind, Route>[];
  /** Replaces every fault rule. */
  setFaults(faults: Fault | readonly Fault[]): void;
  /** Appends fault rules after the current ones. */
  addFaults(faults: Fault | readonly Fault[]): void;
  /** Removes every fault rule. */
  clearFaults(): void;
  /** Current server clock offset, ms. */
  readonly clockOffsetMs: number;
  /** Sets the server clock offset: it shifts the timestamp window (and Kingdee's token expiry) and the `Date` header. */
  setClockOffset(ms: number): void;
  /** Server time now, epoch ms (offset included). */
  now(): number;
  /** Forgets stored refunds, the log and the counters (Kingdee: also tokens and nonces); keeps credentials, faults and the clock offset. */
  reset(): void;
  /** Stops the server: ends hanging requests and open connections and frees the port. */
  close(): Promise<void>;
}

export interface HandlerAnswer {
  status: number;
  body: unknown;
  /** Vendor code as text ('0' means accepted). */
  code: string;
  signatureValid: boolean | undefined;
  /** Extra headers (Content-Type is set by the engine unless given). */
  headers?: Record<string, string>;
  /** Raw body text to send instead of JSON-encoding `body`. */
  text?: string;
}

/** The request a vendor handler sees. */
export interface HandlerRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Server time for this request (epoch ms, offsets included). */
  now: number;
  /** A fault asked that tokens expire now. */
  expireToken: boolean;
  route: string;
}

export interface SandboxEngineOptions<Kind extends SandboxFaultKind, Route extends string> {
  port: number | undefined;
  /** Fault rules active from the start: checked before the server listens, so a bad rule leaves nothing running. */
  faults: SandboxFault<Kind, Route> | readonly SandboxFault<Kind, Route>[] | undefined;
  now: (() => number) | undefined;
  clockOffsetMs: number | undefined;
  seed: number | undefined;
  logLimit: number | undefined;
  kinds: readonly Kind[];
  routeOf(method: string, url: URL): string;
  handle(request: HandlerRequest): HandlerAnswer;
  /** Answer for vendor-shaped failing faults ('overload', 'already-exists'). */
  faultAnswer(kind: Kind, terminal: { errcode?: 5003 | 5007; message?: string }): { status: number; body: unknown };
  /** A plausible success body, cut short by the 'truncated-body' fault. */
  truncatedSample: string;
}

export interface SandboxEngine<Kind extends SandboxFaultKind, Route extends string> {
  url: string;
  port: number;
  faults: FaultPlanner<Kind, Route>;
  readonly clockOffsetMs: number;
  setClockOffset(ms: number): void;
  serverNow(): number;
  log(): SandboxLogEntry[];
  counters(): SandboxBaseCounters;
  reset(): void;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 16 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks)));
    req.on('error', () => resolve(undefined));
    req.on('aborted', () => resolve(undefined));
  });
}

/** Reason phrases of gateway status codes Node does not know (it would send `519 unknown`). */
const REASON_PHRASES: Readonly<Record<number, string>> = { 519: 'Gateway Rejected' };

function writeAnswer(
  res: ServerResponse,
  status: number,
  dateMs: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  res.statusCode = status;
  if (REASON_PHRASES[status]) res.statusMessage = REASON_PHRASES[status];
  // Set explicitly so a server clock offset shows in it: clients learn their clock offset from this header.
  res.setHeader('Date', new Date(dateMs).toUTCString());
  res.setHeader('Content-Type', 'application/json;charset=utf-8');
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

/** Starts the shared engine; vendors supply routing, handling and their fault answers. */
export async function startSandboxEngine<Kind extends SandboxFaultKind, Route extends string>(
  options: SandboxEngineOptions<Kind, Route>,
): Promise<SandboxEngine<Kind, Route>> {
  const baseNow = options.now ?? Date.now;
  let clockOffsetMs = options.clockOffsetMs ?? 0;
  const logLimit = options.logLimit ?? 10_000;
  const faults = createFaultPlanner<Kind, Route>(options.seed ?? 1, options.kinds);
  if (options.faults) faults.set(options.faults);
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;
  let seq = 0;
  let entries: SandboxLogEntry[] = [];
  let counters: SandboxBaseCounters = freshBaseCounters();

  const serverNow = () => baseNow() + clockOffsetMs;

  const record = (entry: SandboxLogEntry) => {
    entries.push(entry);
    if (entries.length > logLimit) entries = entries.slice(entries.length - logLimit);
    if (entry.outcome === 'accepted') counters.accepted += 1;
    else if (entry.outcome === 'rejected') counters.rejected[entry.code] = (counters.rejected[entry.code] ?? 0) + 1;
  };

  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const onRequest = async (req: IncomingMessage, res: ServerResponse) => {
    counters.requests += 1;
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const route = options.routeOf(method, url);
    counters.byRoute[route] = (counters.byRoute[route] ?? 0) + 1;
    const body = await readBody(req);
    const decision = faults.decide(route);
    for (const kind of decision.applied) {
      counters.faultsInjected += 1;
      counters.faultsByKind[kind] = (counters.faultsByKind[kind] ?? 0) + 1;
    }
    if (decision.latencyMs > 0) await wait(decision.latencyMs);
    if (closed) return;
    const now = serverNow() + decision.clockOffsetMs;
    const entry: SandboxLogEntry = {
      seq: ++seq,
      at: now,
      method,
      path: url.pathname,
      route,
      signatureValid: undefined,
      status: 0,
      code: '',
      outcome: 'fault',
      faults: decision.applied,
    };
    if (body === undefined) {
      entry.status = 413;
      record(entry);
      writeAnswer(res, 413, now, JSON.stringify({ message: 'request body too large or aborted' }));
      return;
    }
    const terminal = decision.terminal;
    if (terminal) {
      const kind = terminal.kind;
      if (kind === 'reset') {
        record(entry);
        req.socket.destroy();
      } else if (kind === 'hang') {
        // Never answer: the client gives up on its own; close() destroys the socket.
        record(entry);
      } else if (kind === 'http-500' || kind === 'http-502' || kind === 'http-503') {
        const status = Number(kind.slice(5));
        entry.status = status;
        record(entry);
        const text = `<html><body><h1>${status}</h1>sandbox fault</body></html>`;
        writeAnswer(res, status, now, text, { 'Content-Type': 'text/html;charset=utf-8' });
      } else if (kind === 'non-json-body') {
        entry.status = 200;
        record(entry);
        writeAnswer(res, 200, now, '<html><body>upstream error</body></html>', {
          'Content-Type': 'text/html;charset=utf-8',
        });
      } else if (kind === 'truncated-body') {
        entry.status = 200;
        record(entry);
        const full = Buffer.from(options.truncatedSample);
        res.statusCode = 200;
        res.setHeader('Date', new Date(now).toUTCString());
        res.setHeader('Content-Type', 'application/json;charset=utf-8');
        res.setHeader('Content-Length', full.length);
        res.write(full.subarray(0, Math.floor(full.length / 2)), () => res.socket?.destroy());
      } else {
        const answer = options.faultAnswer(kind, terminal);
        entry.status = answer.status;
        const code = (answer.body as { errcode?: unknown; status?: unknown }) ?? {};
        entry.code = String(code.errcode ?? code.status ?? '');
        record(entry);
        writeAnswer(res, answer.status, now, JSON.stringify(answer.body));
      }
      return;
    }
    const answer = options.handle({
      method,
      url,
      headers: req.headers,
      body,
      now,
      expireToken: decision.expireToken,
      route,
    });
    entry.signatureValid = answer.signatureValid;
    entry.code = answer.code;
    entry.outcome = answer.code === '0' ? 'accepted' : 'rejected';
    if (decision.dropAfterCommit) {
      // Handled and committed, then the response is lost: the client cannot tell whether it was stored.
      record(entry);
      req.socket.destroy();
      return;
    }
    entry.status = answer.status;
    record(entry);
    writeAnswer(res, answer.status, now, answer.text ?? JSON.stringify(answer.body), answer.headers);
  };

  const server = createServer((req, res) => {
    onRequest(req, res).catch(() => {
      if (!res.headersSent) {
        res.statusCode = 500;
        res.end();
      } else res.destroy();
    });
  });
  // Keep idle connections as long as production gateways and load balancers do (about a minute), not Node's 5 s:
  // a client reusing a connection the server is just closing sees a reset, and with the short default, suites that
  // pause between calls would see it often.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    faults,
    get clockOffsetMs() {
      return clockOffsetMs;
    },
    setClockOffset(ms) {
      if (!Number.isFinite(ms)) throw new RangeError('clock offset must be a finite number of milliseconds');
      clockOffsetMs = ms;
    },
    serverNow,
    log: () => entries.map((e) => ({ ...e, faults: [...e.faults] })),
    counters: () => ({
      ...counters,
      rejected: { ...counters.rejected },
      faultsByKind: { ...counters.faultsByKind },
      byRoute: { ...counters.byRoute },
    }),
    reset() {
      entries = [];
      counters = freshBaseCounters();
    },
    close() {
      if (closed) return Promise.resolve();
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function freshBaseCounters(): SandboxBaseCounters {
  return { requests: 0, accepted: 0, rejected: {}, faultsInjected: 0, faultsByKind: {}, byRoute: {} };
}
