import { describe, expect, it } from 'vitest';
import { createLogSink, isPinoLikeLogger, type Logger } from './logger.js';

describe('createLogSink', () => {
  it('detects pino-like loggers by child() and levels', () => {
    expect(isPinoLikeLogger(console)).toBe(false);
    expect(isPinoLikeLogger({ child: () => undefined, levels: {} })).toBe(true);
    expect(isPinoLikeLogger({ child: () => undefined } as unknown as Logger)).toBe(false);
  });

  it('calls console-like loggers (message, details) and pino-like ones (details, message)', () => {
    const calls: unknown[][] = [];
    createLogSink({ info: (...args: unknown[]) => calls.push(args) })?.('info', 'm', { a: 1 });
    createLogSink({ info: (...args: unknown[]) => calls.push(args), child: () => undefined, levels: {} })?.(
      'info',
      'm',
      { a: 1 },
    );
    createLogSink({ info: (...args: unknown[]) => calls.push(args) }, 'pino')?.('info', 'm', { a: 1 });
    expect(calls).toEqual([
      ['m', { a: 1 }],
      [{ a: 1 }, 'm'],
      [{ a: 1 }, 'm'],
    ]);
  });

  it('skips missing levels and swallows logger failures', () => {
    const sink = createLogSink({
      error: () => {
        throw new Error('disk full');
      },
    });
    expect(() => sink?.('debug', 'm', {})).not.toThrow();
    expect(() => sink?.('error', 'm', {})).not.toThrow();
    expect(createLogSink(undefined)).toBeUndefined();
  });
});
