import { type DestinationStream, type LevelWithSilent, type Logger, pino } from 'pino';

export type { Logger };

/**
 * Fields that may hold a credential or card data. pino replaces them with `[redacted]` wherever
 * they appear one level deep, so a careless `log.info({ card })` cannot leak a number. The platform
 * itself never logs request or response bodies.
 */
const REDACT = [
  'authorization',
  'apiKey',
  'api_key',
  'secret',
  'secrets',
  'number',
  'cvc',
  'pan',
  'password',
  '*.authorization',
  '*.apiKey',
  '*.api_key',
  '*.secret',
  '*.number',
  '*.cvc',
  '*.pan',
  'headers.authorization',
  'req.headers.authorization',
];

const LEVEL_NAMES: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};
const OMIT = new Set(['level', 'time', 'pid', 'hostname', 'msg']);

/**
 * One line per record for a person at a terminal: `10:21:03 INFO  request  method=GET status=200`.
 * (pino-pretty does this too, with a dozen dependencies; this is all the platform needs.)
 */
function prettyTo(out: NodeJS.WritableStream): DestinationStream {
  return {
    write(line: string) {
      const record = JSON.parse(line) as Record<string, unknown>;
      const time = new Date(record.time as number).toISOString().slice(11, 19);
      const level = (LEVEL_NAMES[record.level as number] ?? String(record.level)).padEnd(5);
      const fields = Object.entries(record)
        .filter(([key]) => !OMIT.has(key))
        .map(([key, value]) =>
          key === 'err'
            ? `\n${(value as { stack?: string }).stack ?? JSON.stringify(value)}`
            : `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`,
        );
      out.write(`${time} ${level} ${record.msg ?? ''}${fields.length ? `  ${fields.join(' ')}` : ''}\n`);
    },
  };
}

export interface LoggerOptions {
  /** `trace`, `debug`, `info`, `warn`, `error`, `fatal` or `silent`. @default process.env.LOG_LEVEL ?? fallback */
  level?: string | undefined;
  /** The level when neither `level` nor `LOG_LEVEL` says. @default 'info' */
  fallbackLevel?: LevelWithSilent;
  /** Where lines go. @default process.stderr */
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
  /** JSON lines (for log collectors) or one readable line per record. @default JSON unless `stream` is a terminal */
  format?: 'json' | 'pretty';
}

/**
 * The platform's logger (pino): JSON lines when the output is not a terminal, one readable line when
 * it is; level from `LOG_LEVEL`; credentials and card data redacted.
 *
 * @example
 * const log = createLogger({ fallbackLevel: 'info' });
 * log.info({ url: 'http://127.0.0.1:4100' }, 'listening');
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const stream = options.stream ?? process.stderr;
  const level = (options.level ?? process.env.LOG_LEVEL ?? options.fallbackLevel ?? 'info').toLowerCase();
  if (!(level in pino.levels.values) && level !== 'silent') {
    throw new Error(
      `LOG_LEVEL: '${level}' is not a level; use one of trace, debug, info, warn, error, fatal or silent.`,
    );
  }
  const format = options.format ?? (stream.isTTY ? 'pretty' : 'json');
  return pino(
    { level, base: { service: 'openissuing-platform' }, redact: { paths: REDACT, censor: '[redacted]' } },
    format === 'pretty' ? prettyTo(stream) : (stream as DestinationStream),
  );
}
