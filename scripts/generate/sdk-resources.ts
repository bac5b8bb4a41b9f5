/**
 * Writes the SDK's resource layer from the contract: one interface per resource with a typed method
 * per operation (JSDoc from the operation's summary and description, `@example` from the generated
 * code sample) and the route table the client binds at run time. Adding an endpoint to the SDK is
 * adding it to the spec with an `x-sdk-method`.
 */
import { sdkCall } from './code-samples.ts';
import type { SdkOperation } from './spec-walk.ts';

type Json = Record<string, unknown>;

const upperFirst = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** `['testHelpers', 'authorizations']` → `TestHelpersAuthorizations`; `Resource` is added on a clash with a schema. */
function interfaceName(path: string[], schemas: Set<string>): string {
  const name = path.map(upperFirst).join('');
  return schemas.has(name) ? `${name}Resource` : name;
}

function jsdoc(lines: string[], indent: string): string {
  const body = lines
    .flatMap((l) => l.split('\n'))
    .map((l) => (l ? `${indent} * ${l.replace(/\*\//g, '*\\/')}` : `${indent} *`));
  return `${indent}/**\n${body.join('\n')}\n${indent} */`;
}

function signature(op: SdkOperation): string {
  const args: string[] = [];
  if (op.pathParam) args.push(`${op.pathParam.name}: string`);
  if (op.body) args.push(`body${op.body.required ? '' : '?'}: Schemas['${op.body.schema}']`);
  if (op.paginated) args.push(`query?: Query<'${op.operationId}'>`);
  if (op.verb === 'Q') args.push(`query${op.requiredQuery.length ? '' : '?'}: Query<'${op.operationId}'>`);
  args.push('options?: RequestOptions');
  const returns = op.paginated
    ? `PagePromise<Schemas['${op.returns}']>`
    : `APIPromise<Schemas['${op.returns}']>`;
  return `${op.name}(${args.join(', ')}): ${returns};`;
}

interface Node {
  ops: SdkOperation[];
  children: Map<string, Node>;
}

const firstOp = (node: Node): SdkOperation | undefined =>
  node.ops[0] ?? [...node.children.values()].map(firstOp).find(Boolean);

export function sdkResourcesModule(banner: string, spec: Json, ops: SdkOperation[]): string {
  const schemas = new Set(Object.keys(((spec.components as Json)?.schemas ?? {}) as Json));
  const tags = new Map(
    ((spec.tags as Json[] | undefined) ?? []).map((t) => [
      String(t.name),
      String(t.description ?? '').trim(),
    ]),
  );
  const opTags = new Map<string, string>();
  for (const item of Object.values(spec.paths as Json)) {
    for (const op of Object.values(item as Json)) {
      const o = op as Json;
      if (o?.operationId)
        opTags.set(String(o.operationId), String((o.tags as string[] | undefined)?.[0] ?? ''));
    }
  }
  const root: Node = { ops: [], children: new Map() };
  for (const op of ops) {
    let node = root;
    for (const part of op.resource) {
      if (!node.children.has(part)) node.children.set(part, { ops: [], children: new Map() });
      node = node.children.get(part) as Node;
    }
    node.ops.push(op);
  }

  const interfaces: string[] = [];
  const routeLines: string[] = [];
  const visit = (node: Node, path: string[], indent: string) => {
    const members: string[] = [];
    for (const [key, child] of node.children) {
      const childName = interfaceName([...path, key], schemas);
      const first = firstOp(child);
      const tag = first ? tags.get(opTags.get(first.operationId) ?? '') : undefined;
      if (tag) members.push(jsdoc([tag], '  '));
      members.push(`  readonly ${key}: ${childName};`);
      routeLines.push(`${indent}${key}: {`);
      visit(child, [...path, key], `${indent}  `);
      routeLines.push(`${indent}},`);
    }
    for (const op of node.ops) {
      const doc = [op.summary + (op.summary.endsWith('.') ? '' : '.')];
      if (op.description) doc.push('', op.description);
      doc.push('', `\`${op.method.toUpperCase()} ${op.path}\``, '', '@example', sdkCall(op));
      members.push(jsdoc(doc, '  '), `  ${signature(op)}`);
      routeLines.push(`${indent}${op.name}: '${op.verb}${op.path.slice(1).replace(/\{[^}]+\}/g, '{}')}',`);
    }
    const name = path.length === 0 ? 'Resources' : interfaceName(path, schemas);
    const tag = path.length === 0 ? 'Every resource of the API, as properties of the client.' : undefined;
    interfaces.push(
      `${tag ? `${jsdoc([tag], '')}\n` : ''}export interface ${name} {\n${members.join('\n')}\n}`,
    );
  };
  visit(root, [], '  ');

  return `${banner}import type { APIPromise } from '../core/api-promise';
import type { PagePromise } from '../core/pagination';
import type { RequestOptions } from '../core/request-options';
import type { RouteTable } from '../internal/bind';
import type { components, operations } from './openapi';

type Schemas = components['schemas'];

/** The query parameters of an operation. */
type Query<Op extends keyof operations> = NonNullable<operations[Op]['parameters']['query']>;

${interfaces.join('\n\n')}

/** The route of every SDK method (see \`internal/bind.ts\` for the letters); the only part that ships. */
export const routes: RouteTable = {
${routeLines.join('\n')}
};
`;
}
