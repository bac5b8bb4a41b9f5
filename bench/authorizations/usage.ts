/**
 * `--help` / `-h` for a bench script: prints the script's opening doc comment (what it measures
 * and how to run it) and exits 0, before its arguments are parsed. Not a test.
 *
 * @example
 * exitOnHelp(import.meta.url); // first statement of the script
 * const { values } = parseArgs({ options: { … } });
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The opening `/** … *\/` block of a source file, without its comment markers. */
export function headerComment(source: string): string {
  const m = /^\s*\/\*\*([\s\S]*?)\*\//.exec(source);
  if (!m?.[1]) return '';
  return m[1]
    .split('\n')
    .map((l) => l.replace(/^\s*\* ?/, ''))
    .join('\n')
    .trim();
}

/** Prints the script's header comment and exits when `--help` or `-h` is among its arguments. */
export function exitOnHelp(scriptUrl: string, argv: readonly string[] = process.argv.slice(2)): void {
  if (!argv.includes('--help') && !argv.includes('-h')) return;
  console.log(headerComment(readFileSync(fileURLToPath(scriptUrl), 'utf8')));
  process.exit(0);
}
