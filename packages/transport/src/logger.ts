type LogMethod = (...args: unknown[]) => void;

/** A console-like logger (`info(message, details)`), e.g. `console`. */
export interface ConsoleLikeLogger {
  debug?: LogMethod;
  info?: LogMethod;
  warn?: LogMethod;
  error?: LogMethod;
}

/** A pino-like logger (`info(details, message)`), recognised by its `child()` function and `levels` property. */
export interface PinoLikeLogger extends ConsoleLikeLogger {
  child: (...args: never[]) => unknown;
  levels: unknown;
}

/** Any logger refundkit can write to: console-like `(message, details)` or pino-like `(details, message)`. */
export type Logger = ConsoleLikeLogger | PinoLikeLogger;

/** How to call a logger: `'auto'` (default) detects pino-like loggers, the others force an argument order. */
export type LoggerStyle = 'auto' | 'console' | 'pino';

/** The levels refundkit writes at. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** A logger reduced to one call, with the argument order settled. */
export type LogSink = (level: LogLevel, message: string, details: Record<string, unknown>) => void;

/** Whether a logger looks like pino (or another logger taking `(details, message)`). */
export function isPinoLikeLogger(logger: Logger): logger is PinoLikeLogger {
  return typeof (logger as Partial<PinoLikeLogger>).child === 'function' && 'levels' in logger;
}

/**
 * Turns a user's logger into a {@link LogSink}. Pino-like loggers (a `child` function and a `levels` property, or
 * `style: 'pino'`) are called as `logger.info(details, message)`, all others as `logger.info(message, details)`.
 * A missing level method is skipped, and a logger that throws never breaks a request.
 */
export function createLogSink(logger: Logger | undefined, style: LoggerStyle = 'auto'): LogSink | undefined {
  if (!logger) return undefined;
  const pino = style === 'pino' || (style === 'auto' && isPinoLikeLogger(logger));
  return (level, message, details) => {
    const method = logger[level];
    if (typeof method !== 'function') return;
    try {
      if (pino) method.call(logger, details, message);
      else method.call(logger, message, details);
    } catch {
      // A logger's failure is not the request's failure.
    }
  };
}
