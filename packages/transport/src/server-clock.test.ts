import { describe, expect, it } from 'vitest';
import { createServerClock } from './server-clock.js';

describe('createServerClock', () => {
  it('starts with no offset and learns it from the middle of the round trip', () => {
    let local = 1_000_000;
    const clock = createServerClock({ now: () => local });
    expect(clock.offsetMs).toBe(0);
    expect(clock.now()).toBe(1_000_000);
    clock.learn(1_600_100, 1_000_000, 1_000_200);
    expect(clock.offsetMs).toBe(600_000);
    local = 2_000_000;
    expect(clock.now()).toBe(2_600_000);
  });

  it('reads a Date header as the middle of its second, and ignores absent or invalid ones', () => {
    const clock = createServerClock({ now: () => 0 });
    const server = Date.UTC(2024, 0, 1, 0, 10, 0);
    const local = server - 600_000;
    expect(clock.learnFromDateHeader(new Date(server).toUTCString(), local, local)).toBe(true);
    expect(clock.offsetMs).toBe(600_500);
    expect(clock.learnFromDateHeader(null, 0, 0)).toBe(false);
    expect(clock.learnFromDateHeader('yesterday-ish', 0, 0)).toBe(false);
    expect(clock.offsetMs).toBe(600_500);
  });

  it('rejects non-finite times', () => {
    expect(() => createServerClock().learn(Number.NaN, 0, 0)).toThrow(RangeError);
  });
});
