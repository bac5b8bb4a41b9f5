import { type Command, runCommand, UsageError, VERSION_LINE } from './command';
import { listen } from './listen';
import { seed } from './seed';
import { serve } from './serve';
import { trigger } from './trigger';

// biome-ignore lint/suspicious/noExplicitAny: commands differ in their options.
const COMMANDS: Command<any>[] = [serve, seed, listen, trigger];

const USAGE = `openissuing — the OpenIssuing sandbox platform and local webhook tools

Usage: openissuing <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(9)} ${c.summary}`).join('\n')}

Run \`openissuing <command> --help\` for a command's options.

Options:
  -h, --help      show this help
  -v, --version   show the version`;

/**
 * `openissuing <command>`: the exit code is 0 on success (and for --help/--version), 1 when the
 * command failed, 2 for a usage error.
 */
export async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    console.error(USAGE);
    return 2;
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    const command = COMMANDS.find((c) => c.name === rest[0]);
    console.log(command ? command.usage : USAGE);
    return 0;
  }
  if (first === '--version' || first === '-v' || first === 'version') {
    console.log(VERSION_LINE);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === first);
  try {
    if (!command) throw new UsageError(`Unknown command '${first}'.`);
    return await runCommand(command, rest);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(
        `${error.message}\nRun \`openissuing ${command ? `${command.name} ` : ''}--help\` for usage.`,
      );
      return 2;
    }
    console.error(error instanceof Error ? error.message : error);
    return 1;
  }
}
