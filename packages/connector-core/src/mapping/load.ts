import { readFile } from 'node:fs/promises';
import { parseJsonWithPositions, positionOf } from './locate.js';
import { type MappingConfig, type MappingExtensions, mappingConfigSchema } from './schema.js';

/** One problem in a mapping file, located by line and column. */
export interface MappingIssue {
  path: string;
  line: number;
  column: number;
  message: string;
}

/** Thrown for an invalid mapping rules file; `issues` lists every problem with its line. */
export class MappingConfigError extends Error {
  override readonly name = 'MappingConfigError';
  constructor(
    readonly file: string,
    readonly issues: MappingIssue[],
  ) {
    super(
      `${file} has ${issues.length} problem${issues.length === 1 ? '' : 's'}:\n${issues
        .map((x) => `  ${file}:${x.line}:${x.column} ${x.path || '(root)'}: ${x.message}`)
        .join('\n')}`,
    );
  }
}

/**
 * Validates mapping rules given as JSON text. Errors name the file, line, column and field.
 * `extensions` adds connector sections (e.g. `{ sap: sapMappingSchema }`), validated the same way.
 *
 * @example
 * const rules = parseMappingConfig(fs.readFileSync('mapping.json', 'utf8'), 'mapping.json');
 */
export function parseMappingConfig(
  text: string,
  file = 'mapping.json',
  extensions?: MappingExtensions,
): MappingConfig {
  let parsed: ReturnType<typeof parseJsonWithPositions>;
  try {
    parsed = parseJsonWithPositions(text);
  } catch (err) {
    const m = /^line (\d+), column (\d+): (.*)$/.exec((err as Error).message);
    throw new MappingConfigError(file, [
      {
        path: '',
        line: Number(m?.[1] ?? 1),
        column: Number(m?.[2] ?? 1),
        message: `invalid JSON: ${m?.[3] ?? (err as Error).message}`,
      },
    ]);
  }
  // extension sections come back on the config object; the core reads only its own fields
  const schema = (
    extensions
      ? mappingConfigSchema.extend(
          Object.fromEntries(Object.entries(extensions).map(([k, v]) => [k, v.optional()])),
        )
      : mappingConfigSchema
  ) as typeof mappingConfigSchema;
  const result = schema.safeParse(parsed.value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => {
    const path = issue.path.map(String);
    // unknown keys: point at the key itself
    const keys = (issue as { keys?: string[] }).keys;
    const at = keys?.[0] ? [...path, keys[0]] : path;
    const pos = positionOf(parsed.positions, at);
    return { path: at.join('.'), line: pos.line, column: pos.column, message: issue.message };
  });
  throw new MappingConfigError(file, issues);
}

/**
 * Reads and validates a mapping rules file.
 *
 * @example
 * const rules = await loadMappingConfig('./mapping.json');
 */
export async function loadMappingConfig(
  path: string,
  extensions?: MappingExtensions,
): Promise<MappingConfig> {
  return parseMappingConfig(await readFile(path, 'utf8'), path, extensions);
}
