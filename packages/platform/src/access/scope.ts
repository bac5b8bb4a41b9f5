import { AsyncLocalStorage } from 'node:async_hooks';
import type { Queryable } from '../db/database';
import { type SQL, sql } from '../db/sql';
import { invalid, notFound } from '../lib/errors';
import { SCOPE_NEUTRAL_RESOURCES, SCOPED_RESOURCES } from './scoped-resources';

/** A dimension scope: every pair must be present, with that value, on an object the key touches. */
export type DimensionScope = Readonly<Record<string, string>>;

/**
 * A resource whose objects belong to dimensions, so that a scoped key sees only those of its scope.
 * Listing one in `SCOPED_RESOURCES` (scoped-resources.ts) is all a resource needs: path parameters and body fields
 * named `param` are checked, lists of `table` are filtered, and dimensions written through
 * `dimensionsField` must agree with the scope.
 */
export interface ScopedResource {
  /** The first path segment of the resource's operations, e.g. `cards`. */
  resource: string;
  /** The table its objects live in (with an `id` column). */
  table: string;
  /** The path parameter and body field that hold one of its ids, e.g. `card`. */
  param: string;
  /** SQL for the object's dimensions (jsonb), evaluated on an unaliased row of `table`. */
  dimensions: SQL;
  /** The body field its create and update operations take dimensions in. @default 'dimensions' */
  dimensionsField?: string;
  /**
   * Fill the scope's pairs into the written dimensions (and write them on create when left out):
   * for objects whose own dimensions alone decide their scope, such as cardholders. Others only
   * refuse pairs that disagree. @default false
   */
  fill?: boolean;
}

const byResource = new Map(SCOPED_RESOURCES.map((r) => [r.resource, r]));
const byParam = new Map(SCOPED_RESOURCES.map((r) => [r.param, r]));
const byTable = new Map(SCOPED_RESOURCES.map((r) => [r.table, r]));
const neutral = new Set(SCOPE_NEUTRAL_RESOURCES);

/** Whether a key with a dimension scope may use operations of `resource` at all. */
export function scopeAllowsResource(resource: string): boolean {
  return byResource.has(resource) || neutral.has(resource);
}

/**
 * `dims @> scope`: the SQL condition that an object's dimensions contain the scope. NULL and `{}`
 * dimensions contain nothing (a scope always has a pair: the spec's DimensionScope); the bare column
 * and the literal `<> '{}'` keep the partial GIN index on events.dimensions usable (migration 0015
 * leaves those two out of it).
 */
function contains(dimensions: SQL, scope: DimensionScope): SQL {
  return sql`(${dimensions} @> ${JSON.stringify(scope)}::jsonb AND ${dimensions} <> '{}'::jsonb)`;
}

/**
 * Answers 404 exactly as for a missing object unless `id` (of the resource whose param is `param`)
 * lies inside `scope`. Parameters of no scoped resource are left alone.
 */
export async function checkInScope(
  q: Queryable,
  scope: DimensionScope,
  param: string,
  id: unknown,
  at: string = param,
): Promise<void> {
  const r = byParam.get(param);
  if (!r || typeof id !== 'string') return;
  const t = sql.identifier(r.table);
  const rows = await q.rows(sql`SELECT 1 FROM ${t} WHERE id = ${id} AND ${contains(r.dimensions, scope)}`);
  if (rows.length === 0) throw notFound(param, id, at);
}

/**
 * Makes the dimensions a scoped key writes agree with its scope: a pair that disagrees is refused
 * (400, naming the field); with `fill`, missing pairs are added. Mutates `body`.
 */
export function scopeWrittenDimensions(
  resource: string,
  scope: DimensionScope,
  body: Record<string, unknown>,
  creating: boolean,
): void {
  const r = byResource.get(resource);
  if (!r) return;
  const field = r.dimensionsField ?? 'dimensions';
  const given = body[field] as Record<string, string> | undefined;
  if (given === undefined && !(r.fill && creating)) return;
  const next: Record<string, string> = { ...(given ?? {}) };
  for (const [k, v] of Object.entries(scope)) {
    if (next[k] !== undefined && next[k] !== v) {
      throw invalid(
        `${field}.${k}`,
        `${field}.${k}: this API key is scoped to ${k}=${v}; send '${v}' or leave ${k} out.`,
      );
    }
    if (r.fill) next[k] = v;
  }
  body[field] = next;
}

const current = new AsyncLocalStorage<DimensionScope>();

/** Runs `fn` with `scope` as the request's dimension scope, which {@link scopeFilter} applies to lists. */
export function runScoped<T>(scope: DimensionScope | null | undefined, fn: () => T): T {
  return scope ? current.run(scope, fn) : fn();
}

/** The current request's dimension scope (undefined for an unrestricted key). */
export function currentScope(): DimensionScope | undefined {
  return current.getStore();
}

/**
 * The list condition for `table` under the current request's scope, or null when the request is not
 * scoped or the table belongs to no scoped resource. `listRows` adds it to every list.
 */
export function scopeFilter(table: string): SQL | null {
  const scope = current.getStore();
  if (!scope) return null;
  const r = byTable.get(table);
  return r ? contains(r.dimensions, scope) : null;
}
