import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsImport from 'ajv-formats';
import { ApiError, type FieldError } from '../lib/errors';

// ajv-formats is CJS; under ESM interop its default export may be wrapped.
const addFormats = ((addFormatsImport as unknown as { default?: unknown }).default ?? addFormatsImport) as (
  ajv: Ajv2020,
) => void;

type Json = Record<string, unknown>;

interface ParamSpec {
  name: string;
  in: 'query' | 'path' | 'header' | 'cookie';
  required?: boolean;
  schema?: Json;
}

interface CompiledOperation {
  body?: ValidateFunction;
  bodyRequired: boolean;
  query: Array<{ spec: ParamSpec; validate: ValidateFunction; types: string[] }>;
  path: Array<{ spec: ParamSpec; validate: ValidateFunction }>;
}

/** `/a/0/b` + missing `c` → `a[0].b.c` */
export function pointerToParam(pointer: string, extra?: string): string {
  const parts = pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (extra) parts.push(extra);
  let out = '';
  for (const p of parts) out += /^\d+$/.test(p) ? `[${p}]` : out ? `.${p}` : p;
  return out;
}

function describe(e: ErrorObject, prefix?: string): FieldError {
  const extra =
    e.keyword === 'required'
      ? (e.params as { missingProperty: string }).missingProperty
      : e.keyword === 'additionalProperties' || e.keyword === 'unevaluatedProperties'
        ? ((e.params as { additionalProperty?: string; unevaluatedProperty?: string }).additionalProperty ??
          (e.params as { unevaluatedProperty?: string }).unevaluatedProperty)
        : undefined;
  let param = pointerToParam(e.instancePath, extra);
  if (prefix) param = param ? `${prefix}.${param}` : prefix;
  const where = param || 'The request body';
  switch (e.keyword) {
    case 'required':
      return { param, code: 'parameter_missing', detail: `${where} is required.` };
    case 'additionalProperties':
    case 'unevaluatedProperties':
      return {
        param,
        code: 'parameter_invalid',
        detail: `${where} is not a known parameter here; check its spelling and placement.`,
      };
    case 'enum':
      return {
        param,
        code: 'parameter_invalid',
        detail: `${where} must be one of: ${((e.params as { allowedValues: unknown[] }).allowedValues ?? []).join(', ')}.`,
      };
    case 'const':
      return {
        param,
        code: 'parameter_invalid',
        detail: `${where} must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}.`,
      };
    case 'type':
      return {
        param,
        code: 'parameter_invalid',
        detail: `${where} must be of type ${(e.params as { type: string }).type}.`,
      };
    case 'format':
      return {
        param,
        code: 'parameter_invalid',
        detail: `${where} must be a valid ${(e.params as { format: string }).format}.`,
      };
    case 'minProperties':
      return {
        param,
        code: 'parameter_missing',
        detail: `${where} must set at least ${(e.params as { limit: number }).limit} field.`,
      };
    default:
      return { param, code: 'parameter_invalid', detail: `${where} ${e.message ?? 'is invalid'}.` };
  }
}

/** Keeps the most useful errors: drops the noise oneOf/anyOf branches produce. */
function pick(errors: ErrorObject[] | null | undefined, prefix?: string): FieldError[] {
  const list = (errors ?? []).filter((e) => !['oneOf', 'anyOf', 'if', 'allOf'].includes(e.keyword));
  const seen = new Set<string>();
  const out: FieldError[] = [];
  for (const e of list.length ? list : (errors ?? [])) {
    const f = describe(e, prefix);
    const key = `${f.param}|${f.code}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(f);
  }
  return out;
}

export function toApiError(errors: FieldError[]): ApiError {
  const first = errors[0] ?? {
    param: '',
    code: 'parameter_invalid' as const,
    detail: 'The request is invalid.',
  };
  if (errors.length === 1)
    return new ApiError(400, first.code, first.detail, first.param || undefined, errors);
  const allMissing = errors.every((e) => e.code === 'parameter_missing');
  return new ApiError(
    400,
    allMissing ? 'parameter_missing' : 'parameter_invalid',
    `${errors.length} parameters are invalid; see errors. First: ${first.detail}`,
    undefined,
    errors,
  );
}

/**
 * Validates requests (and, in tests, responses) against the bundled OpenAPI 3.1 document with
 * Ajv (JSON Schema 2020-12) — the spec is the only definition of what is valid.
 *
 * @example
 * const v = new SpecValidator(spec);
 * v.validateRequest('post', '/cards', { query: {}, body }); // throws ApiError 400 naming the field
 */
export class SpecValidator {
  readonly ajv: Ajv2020;
  readonly #spec: Json;
  readonly #ops = new Map<string, CompiledOperation | null>();

  constructor(spec: Json) {
    this.#spec = spec;
    this.ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true, discriminator: false });
    addFormats(this.ajv);
    this.ajv.addSchema(spec, 'openapi.json');
  }

  /** The operation object for `method path` (path template with `{param}`), if the spec has it. */
  operation(method: string, path: string): Json | undefined {
    const item = (this.#spec.paths as Record<string, Json> | undefined)?.[path];
    return item?.[method.toLowerCase()] as Json | undefined;
  }

  #ref(pointer: string): ValidateFunction {
    const id = `openapi.json#${pointer}`;
    return this.ajv.getSchema(id) ?? this.ajv.compile({ $ref: id });
  }

  #compile(method: string, path: string): CompiledOperation | null {
    const key = `${method} ${path}`;
    if (this.#ops.has(key)) return this.#ops.get(key) ?? null;
    const op = this.operation(method, path);
    if (!op) {
      this.#ops.set(key, null);
      return null;
    }
    const esc = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');
    const base = `/paths/${esc(path)}/${method.toLowerCase()}`;
    const compiled: CompiledOperation = { bodyRequired: false, query: [], path: [] };
    const rb = this.#deref(op.requestBody as Json | undefined);
    const content = (rb?.content as Record<string, Json> | undefined)?.['application/json'];
    if (content?.schema) {
      const rbRef = (op.requestBody as Json).$ref as string | undefined;
      compiled.body = this.#ref(
        rbRef
          ? `${rbRef.replace(/^#/, '')}/content/application~1json/schema`
          : `${base}/requestBody/content/application~1json/schema`,
      );
      compiled.bodyRequired = rb?.required === true;
    }
    const pathItem = (this.#spec.paths as Record<string, Json>)[path] ?? {};
    const params = [...((pathItem.parameters as Json[]) ?? []), ...((op.parameters as Json[]) ?? [])].map(
      (p) => this.#deref(p) as unknown as ParamSpec,
    );
    for (const p of params) {
      if (!p.schema || (p.in !== 'query' && p.in !== 'path')) continue;
      const validate = this.#schema(p.schema);
      if (p.in === 'query') compiled.query.push({ spec: p, validate, types: this.#types(p.schema) });
      else compiled.path.push({ spec: p, validate });
    }
    this.#ops.set(key, compiled);
    return compiled;
  }

  /** Compiles a schema fragment of the spec (resolving its $refs against the whole document). */
  #schema(schema: Json): ValidateFunction {
    if (typeof schema.$ref === 'string') return this.#ref((schema.$ref as string).replace(/^#/, ''));
    return this.ajv.compile({
      $id: `openapi-fragment-${this.#fragments++}`,
      allOf: [this.#absolutize(schema)],
    });
  }

  #fragments = 0;

  /** Rewrites local `#/…` refs to `openapi.json#/…` so a fragment compiles on its own. */
  #absolutize(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((v) => this.#absolutize(v));
    if (value && typeof value === 'object') {
      const out: Json = {};
      for (const [k, v] of Object.entries(value as Json)) {
        out[k] =
          k === '$ref' && typeof v === 'string' && v.startsWith('#')
            ? `openapi.json${v}`
            : this.#absolutize(v);
      }
      return out;
    }
    return value;
  }

  #deref(obj: Json | undefined): Json | undefined {
    let cur = obj;
    for (let i = 0; cur && typeof cur.$ref === 'string' && i < 10; i++) {
      const pointer = (cur.$ref as string).replace(/^#/, '');
      cur = pointer
        .split('/')
        .slice(1)
        .reduce<unknown>(
          (o, k) => (o as Json | undefined)?.[k.replace(/~1/g, '/').replace(/~0/g, '~')],
          this.#spec,
        ) as Json | undefined;
    }
    return cur;
  }

  #types(schema: Json): string[] {
    const s = this.#deref(schema) ?? {};
    if (typeof s.type === 'string') return [s.type];
    if (Array.isArray(s.type)) return s.type as string[];
    for (const k of ['anyOf', 'oneOf', 'allOf'])
      if (Array.isArray(s[k])) return (s[k] as Json[]).flatMap((x) => this.#types(x));
    return [];
  }

  /**
   * Validates query parameters (coerced from strings per their schema) and the JSON body.
   * Returns the coerced query. Throws ApiError 400 naming every field at fault.
   */
  validateRequest(
    method: string,
    path: string,
    input: {
      query: Record<string, string>;
      params?: Record<string, string>;
      body?: unknown;
      hasBody: boolean;
    },
  ): Record<string, unknown> {
    const op = this.#compile(method, path);
    if (!op) return { ...input.query };
    const errors: FieldError[] = [];
    const query: Record<string, unknown> = {};
    for (const p of op.path) {
      const value = input.params?.[p.spec.name];
      if (value !== undefined && !p.validate(value)) {
        errors.push({
          param: p.spec.name,
          code: 'parameter_invalid',
          detail: `${p.spec.name} '${value}' is not a valid id for this path; check that you passed the right kind of id.`,
        });
      }
    }
    for (const q of op.query) {
      const raw = input.query[q.spec.name];
      if (raw === undefined) {
        if (q.spec.required)
          errors.push({
            param: q.spec.name,
            code: 'parameter_missing',
            detail: `${q.spec.name} is required.`,
          });
        continue;
      }
      let value: unknown = raw;
      if (q.types.includes('integer') || q.types.includes('number')) {
        if (raw.trim() !== '' && !Number.isNaN(Number(raw))) value = Number(raw);
      } else if (q.types.includes('boolean')) {
        if (raw === 'true') value = true;
        else if (raw === 'false') value = false;
      }
      if (!q.validate(value)) errors.push(...pick(q.validate.errors, q.spec.name));
      query[q.spec.name] = value;
    }
    if (op.body) {
      if (!input.hasBody) {
        if (op.bodyRequired)
          errors.push({ param: '', code: 'parameter_missing', detail: 'A JSON request body is required.' });
      } else if (!op.body(input.body)) {
        errors.push(...pick(op.body.errors));
      }
    }
    if (errors.length > 0) throw toApiError(errors);
    return query;
  }

  /** Validates a response body against the documented response; returns the problems (empty = valid). */
  validateResponse(method: string, path: string, status: number, body: unknown): string[] {
    const op = this.operation(method, path);
    if (!op) return [`${method.toUpperCase()} ${path} is not in the spec`];
    const responses = (op.responses ?? {}) as Record<string, Json>;
    const key =
      String(status) in responses
        ? String(status)
        : `${String(status)[0]}XX` in responses
          ? `${String(status)[0]}XX`
          : 'default';
    const response = this.#deref(responses[key]);
    if (!response) return [`${method.toUpperCase()} ${path} does not document status ${status}`];
    const contentMap = (response.content ?? {}) as Record<string, Json>;
    const mediaType = Object.keys(contentMap).find((m) => m.includes('json'));
    if (!mediaType) return body === undefined || body === null || body === '' ? [] : [];
    const esc = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');
    const responseRef = (responses[key] as Json).$ref as string | undefined;
    const pointer = responseRef
      ? `${responseRef.replace(/^#/, '')}/content/${esc(mediaType)}/schema`
      : `/paths/${esc(path)}/${method.toLowerCase()}/responses/${key}/content/${esc(mediaType)}/schema`;
    const validate = this.#ref(pointer);
    if (validate(body)) return [];
    return (validate.errors ?? []).map(
      (e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`,
    );
  }
}
