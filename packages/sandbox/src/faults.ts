/**
 * Fault injection shared by both sandboxes: the rule shape, its validation, and a planner that decides,
 * deterministically from a seed, which faults hit a request.
 */

/** Every kind of fault a sandbox can inject; each vendor accepts the subset named by its own fault type. */
export type SandboxFaultKind =
  | 'latency'
  | 'http-500'
  | 'http-502'
  | 'http-503'
  | 'overload'
  | 'reset'
  | 'hang'
  | 'truncated-body'
  | 'non-json-body'
  | 'clock-offset'
  | 'expire-token'
  | 'drop-response-after-commit'
  | 'already-exists';

/**
 * One fault rule. It matches requests of `route` (default every request), then fires for a share `rate` of them
 * (default all) and at most `count` times (default without limit): `{ kind: 'http-503', count: 2 }` fails the next two
 * matching requests, `{ kind: 'reset', rate: 0.1 }` resets one in ten on average (the draw comes from the seeded PRNG).
 */
export interface SandboxFault<Kind extends SandboxFaultKind, Route extends string> {
  kind: Kind;
  /** Route(s) the rule applies to, or '*' (the default) for every request, including unknown paths. */
  route?: Route | '*' | readonly (Route | '*')[];
  /** Share of matching requests hit, 0–1 (default 1). */
  rate?: number;
  /** Fire at most this many times, then stay inactive (default unlimited). */
  count?: number;
  /** For 'latency': milliseconds added before the request is handled (default 100). */
  latencyMs?: number;
  /** For 'clock-offset': milliseconds added to the server clock for this request only (default 10 minutes). */
  clockOffsetMs?: number;
  /** For Kingdee 'overload': the gateway errcode, 5003 (unavailable) or 5007 (overloaded, the default). */
  errcode?: 5003 | 5007;
  /** For Wangdian 'overload': the status-100 message (default `超过每分钟最大调用频率限制`). */
  message?: string;
}

/** A rule as the sandbox holds it, with how often it has fired. */
export interface ActiveFault<Kind extends SandboxFaultKind, Route extends string> extends SandboxFault<Kind, Route> {
  /** How many times the rule has fired so far. */
  readonly fired: number;
}

/** Faults that end a request without the request being handled (nothing is stored). */
const TERMINAL_BEFORE = new Set<SandboxFaultKind>([
  'http-500',
  'http-502',
  'http-503',
  'overload',
  'reset',
  'hang',
  'truncated-body',
  'non-json-body',
  'already-exists',
]);

/** What the planner decided for one request. */
export interface FaultDecision<Kind extends SandboxFaultKind> {
  /** Every fault applied, in rule order (each counted once). */
  applied: Kind[];
  latencyMs: number;
  clockOffsetMs: number;
  expireToken: boolean;
  /** A fault that answers instead of the handler (nothing is stored), if any. */
  terminal?: { kind: Kind; errcode?: 5003 | 5007; message?: string };
  /** The response is dropped (connection reset) after the request was handled and committed. */
  dropAfterCommit: boolean;
}

/** The seeded PRNG (mulberry32): small, fast and good enough to spread faults; not for anything secret. */
export function createPrng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface HeldRule<Kind extends SandboxFaultKind, Route extends string> {
  rule: SandboxFault<Kind, Route>;
  fired: number;
}

/** The planner a sandbox keeps: its rules, its PRNG, and the decision for each request. */
export interface FaultPlanner<Kind extends SandboxFaultKind, Route extends string> {
  set(rules: SandboxFault<Kind, Route> | readonly SandboxFault<Kind, Route>[]): void;
  add(rules: SandboxFault<Kind, Route> | readonly SandboxFault<Kind, Route>[]): void;
  clear(): void;
  list(): ActiveFault<Kind, Route>[];
  decide(route: string): FaultDecision<Kind>;
}

/** Builds the fault planner of one sandbox; `kinds` are the kinds this vendor supports (others throw at `set`). */
export function createFaultPlanner<Kind extends SandboxFaultKind, Route extends string>(
  seed: number,
  kinds: readonly Kind[],
): FaultPlanner<Kind, Route> {
  const random = createPrng(seed);
  let rules: HeldRule<Kind, Route>[] = [];
  const known = new Set<string>(kinds);

  const check = (input: SandboxFault<Kind, Route> | readonly SandboxFault<Kind, Route>[]) => {
    const list = (Array.isArray(input) ? input : [input]) as readonly SandboxFault<Kind, Route>[];
    return list.map((rule, index) => {
      const where = `faults[${index}]`;
      if (typeof rule !== 'object' || rule === null) throw new TypeError(`${where} must be an object`);
      if (!known.has(rule.kind)) {
        throw new RangeError(`${where}.kind must be one of ${kinds.join(', ')}`);
      }
      if (rule.rate !== undefined && !(typeof rule.rate === 'number' && rule.rate >= 0 && rule.rate <= 1)) {
        throw new RangeError(`${where}.rate must be a number from 0 to 1`);
      }
      if (rule.count !== undefined && !(Number.isInteger(rule.count) && rule.count >= 0)) {
        throw new RangeError(`${where}.count must be a non-negative integer`);
      }
      if (rule.latencyMs !== undefined && !(Number.isFinite(rule.latencyMs) && rule.latencyMs >= 0)) {
        throw new RangeError(`${where}.latencyMs must be a non-negative number`);
      }
      if (rule.clockOffsetMs !== undefined && !Number.isFinite(rule.clockOffsetMs)) {
        throw new RangeError(`${where}.clockOffsetMs must be a finite number`);
      }
      if (rule.errcode !== undefined && rule.errcode !== 5003 && rule.errcode !== 5007) {
        throw new RangeError(`${where}.errcode must be 5003 or 5007`);
      }
      return { rule: { ...rule }, fired: 0 };
    });
  };

  const matches = (rule: SandboxFault<Kind, Route>, route: string) => {
    const routes = rule.route === undefined ? ['*'] : Array.isArray(rule.route) ? rule.route : [rule.route];
    return routes.some((r) => r === '*' || r === route);
  };

  return {
    set(input) {
      rules = check(input);
    },
    add(input) {
      rules = [...rules, ...check(input)];
    },
    clear() {
      rules = [];
    },
    list() {
      return rules.map(({ rule, fired }) => ({ ...rule, fired }));
    },
    decide(route) {
      const decision: FaultDecision<Kind> = {
        applied: [],
        latencyMs: 0,
        clockOffsetMs: 0,
        expireToken: false,
        dropAfterCommit: false,
      };
      for (const held of rules) {
        const { rule } = held;
        if (!matches(rule, route)) continue;
        if (rule.count !== undefined && held.fired >= rule.count) continue;
        const terminalKind = TERMINAL_BEFORE.has(rule.kind) || rule.kind === 'drop-response-after-commit';
        // Only one request-ending fault applies; later ones are not evaluated, so they neither draw nor fire.
        if (terminalKind && (decision.terminal || decision.dropAfterCommit)) continue;
        if (rule.rate !== undefined && rule.rate < 1 && !(random() < rule.rate)) continue;
        held.fired += 1;
        decision.applied.push(rule.kind);
        switch (rule.kind) {
          case 'latency':
            decision.latencyMs += rule.latencyMs ?? 100;
            break;
          case 'clock-offset':
            decision.clockOffsetMs += rule.clockOffsetMs ?? 600_000;
            break;
          case 'expire-token':
            decision.expireToken = true;
            break;
          case 'drop-response-after-commit':
            decision.dropAfterCommit = true;
            break;
          default:
            decision.terminal = {
              kind: rule.kind,
              ...(rule.errcode === undefined ? {} : { errcode: rule.errcode }),
              ...(rule.message === undefined ? {} : { message: rule.message }),
            };
        }
      }
      return decision;
    },
  };
}
