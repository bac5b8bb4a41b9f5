/**
 * Code samples for every operation of the contract: TypeScript through `@openissuing/sdk` and curl.
 * They come from the spec's own examples (path-parameter and request-body examples), so they show
 * real ids and bodies, and from `x-sdk-method`, so the TypeScript calls the method the SDK really
 * has. The docs render them (`x-codeSamples`); the SDK test suite type-checks the TypeScript ones.
 */
import type { SdkOperation, SkippedOperation } from './spec-walk.ts';

export interface CodeSample {
  lang: 'TypeScript' | 'Shell';
  /** Redoc shows one tab per label (configured in redocly.yaml): `TypeScript` and `curl`. */
  label: 'TypeScript' | 'curl';
  source: string;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** A value as a TypeScript literal: unquoted keys where possible, single-quoted strings, 2-space indent. */
export function tsLiteral(value: unknown, indent = ''): string {
  const inner = `${indent}  `;
  if (value === null || typeof value !== 'object') {
    return typeof value === 'string'
      ? `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`
      : String(value);
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const items = value.map((v) => tsLiteral(v, inner));
    const flat = `[${items.join(', ')}]`;
    return flat.length <= 60 && !flat.includes('\n')
      ? flat
      : `[\n${items.map((i) => `${inner}${i},`).join('\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return '{}';
  const lines = entries.map(
    ([k, v]) => `${inner}${IDENTIFIER.test(k) ? k : `'${k}'`}: ${tsLiteral(v, inner)},`,
  );
  return `{\n${lines.join('\n')}\n${indent}}`;
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/** The variable a sample assigns the result to: `card` for `Card`, `deleted` for `DeletedX`. */
const resultName = (schema: string) =>
  schema.startsWith('Deleted') ? 'deleted' : lowerFirst(schema.replace(/List$/, 's'));

const isEmptyOptional = (op: SdkOperation) =>
  !op.body?.required &&
  typeof op.body?.example === 'object' &&
  Object.keys(op.body.example ?? {}).length === 0;

/** The SDK call of an operation, as the lines after the client is made (also used in JSDoc). */
export function sdkCall(op: SdkOperation): string {
  const target = `client.${[...op.resource, op.name].join('.')}`;
  const args: string[] = [];
  if (op.pathParam) args.push(`'${op.pathParam.example}'`);
  if (op.body?.example !== undefined && !isEmptyOptional(op)) args.push(tsLiteral(op.body.example));
  if (op.verb === 'Q' && op.requiredQuery.length > 0)
    args.push(tsLiteral(Object.fromEntries(op.requiredQuery.map((q) => [q.name, q.example]))));
  const call = `${target}(${args.join(', ')})`;
  const item = resultName(op.returns);
  if (op.paginated) return `for await (const ${item} of ${call}) {\n  console.log(${item}.id);\n}`;
  return `const ${item} = await ${call};\nconsole.log(${item});`;
}

function clientLine(security: string | null): string {
  if (security === 'ephemeralKey') {
    return [
      '// Only an ephemeral key of this card may read its details (POST /ephemeral_keys on your server).',
      'const client = new OpenIssuing({ apiKey: process.env.OPENISSUING_EPHEMERAL_KEY });',
    ].join('\n');
  }
  return 'const client = new OpenIssuing({ apiKey: process.env.OPENISSUING_API_KEY });';
}

function typescriptSample(op: SdkOperation): string {
  return `import { OpenIssuing } from '@openissuing/sdk';\n\n${clientLine(op.security)}\n\n${sdkCall(op)}\n`;
}

function urlOf(
  op: {
    path: string;
    pathParam?: { name: string; example: string };
    requiredQuery: { name: string; example: string }[];
  },
  baseUrl: string,
) {
  let path = op.path;
  if (op.pathParam) path = path.replace(`{${op.pathParam.name}}`, encodeURIComponent(op.pathParam.example));
  const query = op.requiredQuery.map((q) => `${q.name}=${encodeURIComponent(q.example)}`).join('&');
  return `${baseUrl}${path}${query ? `?${query}` : ''}`;
}

function curlSample(
  op: {
    method: string;
    path: string;
    security: string | null;
    pathParam?: { name: string; example: string };
    requiredQuery: { name: string; example: string }[];
  },
  body: unknown,
  baseUrl: string,
): string {
  const lines = [
    `curl${op.method === 'get' ? '' : ` -X ${op.method.toUpperCase()}`} '${urlOf(op, baseUrl)}'`,
  ];
  if (op.security === 'bearerAuth') lines.push(`-H "Authorization: Bearer $OPENISSUING_API_KEY"`);
  if (op.security === 'ephemeralKey') lines.push(`-H "Authorization: Bearer $OPENISSUING_EPHEMERAL_KEY"`);
  if (body !== undefined) {
    lines.push(`-H 'Content-Type: application/json'`);
    lines.push(`-d '${JSON.stringify(body, null, 2).replace(/'/g, "'\\''")}'`);
  }
  return `${lines.join(' \\\n  ')}\n`;
}

/** The hosted page is not an SDK call: a browser frames it (the React widgets do this for you). */
function pageSample(op: SkippedOperation, baseUrl: string): string {
  return [
    `// ${op.summary}: not an SDK call. Frame it in your page; @openissuing/react's`,
    '// <CardDisplay secure> does this and answers its postMessage protocol for you.',
    `const src = new URL('${urlOf(op, baseUrl).slice(baseUrl.length)}', '${baseUrl}');`,
    "const iframe = document.createElement('iframe');",
    'iframe.src = src.href;',
    'document.body.append(iframe);',
    '',
  ].join('\n');
}

/** operationId → the samples the docs render as `x-codeSamples`. */
export function codeSamples(
  sdk: SdkOperation[],
  skipped: SkippedOperation[],
  baseUrl: string,
): Record<string, CodeSample[]> {
  const out: Record<string, CodeSample[]> = {};
  for (const op of sdk) {
    out[op.operationId] = [
      { lang: 'TypeScript', label: 'TypeScript', source: typescriptSample(op) },
      { lang: 'Shell', label: 'curl', source: curlSample(op, op.body?.example, baseUrl) },
    ];
  }
  for (const op of skipped) {
    out[op.operationId] = [
      { lang: 'TypeScript', label: 'TypeScript', source: pageSample(op, baseUrl) },
      { lang: 'Shell', label: 'curl', source: curlSample(op, undefined, baseUrl) },
    ];
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}
