/**
 * Where the SDK's log lines go: `console`, or any object with the same four methods. For pino or
 * another logger that takes the details first, adapt it in one line:
 *
 * @example
 * const client = new OpenIssuing({ logger: console, logLevel: 'debug' });
 * const fromPino = { debug: (m, d) => log.debug(d, m), info: (m, d) => log.info(d, m), warn: (m, d) => log.warn(d, m), error: (m, d) => log.error(d, m) };
 */
export interface Logger {
  debug(message: string, details?: object): void;
  info(message: string, details?: object): void;
  warn(message: string, details?: object): void;
  error(message: string, details?: object): void;
}

/**
 * How much the SDK logs: `debug` every request and response (method, path, status, time, request
 * id), `warn` retries, `off` nothing. Headers, keys and bodies are never logged.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'off';

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;

/** The logger, with the methods below `level` silenced. */
export type Log = Logger;

export function createLog(logger: Logger | undefined, level: string | undefined): Log {
  const min = LEVELS.indexOf((level ?? 'warn') as (typeof LEVELS)[number]);
  const log = {} as Record<(typeof LEVELS)[number], Logger['debug']>;
  LEVELS.forEach((name, i) => {
    log[name] =
      logger && min >= 0 && i >= min
        ? (m, d) => (d ? logger[name](`openissuing: ${m}`, d) : logger[name](`openissuing: ${m}`))
        : () => {};
  });
  return log;
}
