import { type ParseArgsConfig, parseArgs } from 'node:util';
import packageJson from '../../package.json' with { type: 'json' };
import { API_VERSION } from '../api-spec';

/** `openissuing 0.1.0 (@openissuing/platform, API 2026-11-01)`. */
export const VERSION_LINE = `openissuing ${packageJson.version} (${packageJson.name}, API ${API_VERSION})`;

/** A usage error: printed with the command's usage, exit code 2. */
export class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;

export interface Command<O extends Options> {
  name: string;
  /** One line for `openissuing --help`. */
  summary: string;
  /** The full `openissuing <name> --help` text. */
  usage: string;
  options: O;
  positionals?: boolean;
  run(
    values: ReturnType<typeof parseArgs<{ options: O; allowPositionals: true }>>['values'],
    positionals: string[],
  ): Promise<number>;
}

const COMMON = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

/** Parses a command's arguments; answers `--help` and `--version` itself (exit 0). */
export async function runCommand<O extends Options>(command: Command<O>, args: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args,
      options: { ...command.options, ...COMMON },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (parsed.values.help) {
    console.log(command.usage);
    return 0;
  }
  if (parsed.values.version) {
    console.log(VERSION_LINE);
    return 0;
  }
  if (!command.positionals && parsed.positionals.length > 0) {
    throw new UsageError(`'openissuing ${command.name}' takes no argument '${parsed.positionals[0]}'.`);
  }
  return command.run(parsed.values as never, parsed.positionals);
}

/** The platform URL and secret key that `seed`, `listen` and `trigger` talk to. */
export function target(values: { url?: string | boolean | undefined }) {
  const url = String(values.url ?? process.env.OPENISSUING_BASE_URL ?? 'http://127.0.0.1:4100').replace(
    /\/$/,
    '',
  );
  const apiKey = process.env.OPENISSUING_API_KEY;
  if (!apiKey) {
    throw new UsageError(
      'Set OPENISSUING_API_KEY to the secret key of the platform (`openissuing serve` prints it, or fix it with OPENISSUING_API_KEY=sk_test_… when you start it).',
    );
  }
  return { url, apiKey };
}

export const URL_OPTION = { url: { type: 'string' } } as const;
