import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../src/core/errors/index';
import { routes } from '../src/generated/resources';
import type { RouteTable } from '../src/internal/bind';
import { sharedSandbox } from './helpers/platform';

// The resource layer and the code samples are generated from the spec (scripts/generate/). These
// tests hold both to the real thing: every route reaches an operation the platform serves, and every
// TypeScript sample in the API reference compiles against the SDK as a user would import it.

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const samplesPath = fileURLToPath(new URL('../../../openapi/generated/code-samples.json', import.meta.url));

function flatten(table: RouteTable, prefix: string[] = []): [string[], string][] {
  return Object.entries(table).flatMap(([key, value]) =>
    typeof value === 'string'
      ? [[[...prefix, key], value] as [string[], string]]
      : flatten(value, [...prefix, key]),
  );
}

describe('generated route table', () => {
  it('has a route for every SDK method the spec names, and each reaches a platform operation', async () => {
    const { client } = await sharedSandbox();
    const spec = JSON.parse(
      await readFile(join(packageDir, '../platform/src/generated/openapi.json'), 'utf8'),
    );
    const named = Object.values(
      spec.paths as Record<string, Record<string, { 'x-sdk-method'?: string | false }>>,
    )
      .flatMap((item) => Object.values(item))
      .map((op) => op?.['x-sdk-method'])
      .filter((m): m is string => typeof m === 'string')
      .sort();
    const flat = flatten(routes);
    expect(flat.map(([path]) => path.join('.')).sort()).toEqual(named);

    for (const [path, route] of flat) {
      // biome-ignore lint/suspicious/noExplicitAny: walking the client by the route's name.
      const method = path.reduce<any>((at, key) => at[key], client);
      const args: unknown[] = route.includes('{}') ? ['x_missing'] : [];
      if ('PA'.includes(route[0] as string)) args.push({});
      const call = method(...args);
      const outcome = await (route[0] === 'L' ? call.withResponse() : call).then(
        () => 'ok',
        (error: unknown) => error,
      );
      // A missing object or a bad body is an answer from the operation; an unknown route is not.
      if (outcome instanceof NotFoundError) {
        expect(outcome.message, `${path.join('.')} → ${route}`).not.toMatch(/No operation/);
      }
    }
  });
});

describe('code samples in the API reference', () => {
  it('compile against the SDK (TypeScript, strict)', async () => {
    const samples = JSON.parse(await readFile(samplesPath, 'utf8')) as Record<
      string,
      { lang: string; label: string; source: string }[]
    >;
    const dir = join(packageDir, 'node_modules/.cache/code-samples');
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    const files: string[] = [];
    for (const [operationId, list] of Object.entries(samples)) {
      expect(list.map((s) => s.lang).sort(), operationId).toEqual(['Shell', 'TypeScript']);
      for (const sample of list.filter((s) => s.lang === 'TypeScript')) {
        const file = join(dir, `${operationId}.ts`);
        await writeFile(file, sample.source);
        files.push(file);
      }
    }
    expect(files.length).toBe(Object.keys(samples).length);
    const program = ts.createProgram(files, {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.Preserve,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
      types: ['node'],
      skipLibCheck: true,
    });
    const problems = ts
      .getPreEmitDiagnostics(program)
      .map(
        (d) =>
          `${d.file?.fileName.split('/').pop()}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`,
      );
    expect(problems).toEqual([]);
  }, 60_000);
});
