/**
 * Teaches the zod generator (@hey-api/openapi-ts, zod mini) the spec's `minProperties` and
 * `maxProperties`, which its own object resolver drops: a schema such as `DimensionScope`
 * (`minProperties: 1`) becomes `z.record(…).check(z.refine(…))`, so the SDK's builders refuse `{}` before
 * any request, as the platform does from the same spec.
 *
 * The message is the schema's `x-min-properties-message` / `x-max-properties-message` (say how to fix
 * it), else a generic one; the field is named by the path.
 */

type Json = Record<string, unknown>;

/** The raw spec node a resolver context's `path` points at (`['components', 'schemas', 'X']`). */
function rawNode(spec: Json, path: unknown): Json | undefined {
  const parts = (path as { '~ref'?: unknown[] } | undefined)?.['~ref'];
  if (!Array.isArray(parts)) return undefined;
  let node: unknown = spec;
  for (const part of parts) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[String(part)];
  }
  return node !== null && typeof node === 'object' ? (node as Json) : undefined;
}

// The DSL the resolver context carries; typed loosely, as the plugin does not export it.
// biome-ignore lint/suspicious/noExplicitAny: the generator's AST builder is untyped here.
type Dsl = any;

interface ObjectResolverContext {
  $: Dsl;
  path: unknown;
  schema: Json;
  nodes: { base(ctx: ObjectResolverContext): unknown };
  plugin: { imports: { z: unknown } };
}

function sizeCheck($: Dsl, z: unknown, op: '>=' | '<=', limit: number, message: string): unknown {
  const fn = $.func()
    .arrow()
    .param('value')
    .do($.return($.binary($('Object').attr('keys').call('value').attr('length'), op, $.literal(limit))));
  return $(z)
    .attr('refine')
    .call(fn, $.object().prop('message', $.literal(message)));
}

/**
 * The zod plugin's `~resolvers.object` for this spec.
 *
 * @example
 * plugins: [{ name: 'zod', compatibilityVersion: 'mini', '~resolvers': { object: objectSizeResolver(spec) } }]
 */
export function objectSizeResolver(spec: Json) {
  return (ctx: ObjectResolverContext): unknown => {
    const raw = rawNode(spec, ctx.path);
    const min = typeof raw?.minProperties === 'number' ? raw.minProperties : undefined;
    const max = typeof raw?.maxProperties === 'number' ? raw.maxProperties : undefined;
    if (min === undefined && max === undefined) return undefined;
    const { $ } = ctx;
    const z = ctx.plugin.imports.z;
    const checks: unknown[] = [];
    if (min !== undefined) {
      const hint = ctx.schema['x-min-properties-message'];
      checks.push(
        sizeCheck($, z, '>=', min, typeof hint === 'string' ? hint : `needs at least ${min} field(s)`),
      );
    }
    if (max !== undefined) {
      const hint = ctx.schema['x-max-properties-message'];
      checks.push(
        sizeCheck($, z, '<=', max, typeof hint === 'string' ? hint : `may have at most ${max} field(s)`),
      );
    }
    return $(ctx.nodes.base(ctx))
      .attr('check')
      .call(...checks);
  };
}
