import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsImport from 'ajv-formats';
import { ApiError, type FieldError } from '../lib/errors';
import { textFaults } from './text-rule';

// ajv-formats is CJS; under ESM interop its default export may be wrapped.
const addFormats = ((addFormatsImport as unknown as { default?: unknown }).default ?? addFormatsImport) as (
  ajv: Ajv2020,
) => void;

type Json = Record<string, unknown>;

/** What {@link SpecValidator.validateRequest} checks of a request. */
export interface RequestParts {
  query: Record<string, string>;
  params?: Record<string, string>;
  /** Request headers by (case-insensitive) name; only the headers the operation declares are checked. */
  headers?: (name: string) => string | undefined;
  body?: unknown;
  hasBody: boolean;
}

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
  path: Array<{ spec: ParamSpec; validate: ValidateFunction; looksLike: string }>;
  header: Array<{ spec: ParamSpec; validate: ValidateFunction }>;
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
    case 'minProperties': {
      // The spec may say how to fix it (`x-min-properties-message`); `verbose` gives the schema.
      const hint = (e.parentSchema as Json | undefined)?.['x-min-properties-message'];
      const limit = (e.params as { limit: number }).limit;
      return {
        param,
        code: 'parameter_missing',
        detail:
          typeof hint === 'string'
            ? `${where} must set at least ${limit} field: ${hint}.`
            : `${where} must set at least ${limit} field.`,
      };
    }
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
    // verbose: errors carry their schema, for spec-written hints such as `x-min-properties-message`.
    this.ajv = new Ajv2020({
      strict: false,
      allErrors: true,
      validateFormats: true,
      discriminator: false,
      verbose: true,
    });
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
    const compiled: CompiledOperation = { bodyRequired: false, query: [], path: [], header: [] };
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
      // OpenIssuing-Version is checked (with its own code) before validation.
      if (!p.schema || p.in === 'cookie' || p.name === 'OpenIssuing-Version') continue;
      const validate = this.#schema(p.schema);
      if (p.in === 'query') compiled.query.push({ spec: p, validate, types: this.#types(p.schema) });
      else if (p.in === 'header') compiled.header.push({ spec: p, validate });
      else compiled.path.push({ spec: p, validate, looksLike: this.#looksLike(p.schema) });
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

  /** What a valid path id looks like, from its schema's pattern (`ic_` + letters and digits). */
  #looksLike(schema: Json): string {
    const pattern = this.#deref(schema)?.pattern;
    const prefix = typeof pattern === 'string' ? /^\^([a-z]+_)/.exec(pattern)?.[1] : undefined;
    return prefix ? `${prefix} followed by letters and digits` : 'the id the API returned';
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
  validateRequest(method: string, path: string, input: RequestParts): Record<string, unknown> {
    return this.#validate(this.#compile(method, path), input);
  }

  /**
   * {@link validateRequest} for one operation, resolved once: the app binds it per route, so a
   * request does not look its operation up again. Compiles the operation's schemas on first use.
   *
   * @example
   * const check = v.requestValidator('post', '/cards');
   * check({ query: {}, body, hasBody: true }); // throws ApiError 400 naming the field
   */
  requestValidator(method: string, path: string): (input: RequestParts) => Record<string, unknown> {
    let op: CompiledOperation | null | undefined;
    return (input) => {
      if (op === undefined) op = this.#compile(method, path);
      return this.#validate(op, input);
    };
  }

  #validate(op: CompiledOperation | null, input: RequestParts): Record<string, unknown> {
    if (!op) return { ...input.query };
    const errors: FieldError[] = [];
    const query: Record<string, unknown> = {};
    for (const p of op.path) {
      const value = input.params?.[p.spec.name];
      // The value is never echoed: a mistyped card number must not land in the caller's logs.
      if (value !== undefined && !p.validate(value)) {
        errors.push({
          param: p.spec.name,
          code: 'parameter_invalid',
          detail: `${p.spec.name} in the path is not a valid id of this kind; it looks like ${p.looksLike}.`,
        });
      }
    }
    for (const h of op.header) {
      const value = input.headers?.(h.spec.name);
      if (value === undefined) continue;
      const text = textFaults(value, [h.spec.name]);
      if (text.length > 0) errors.push(...text);
      else if (!h.validate(value)) errors.push(...pick(h.validate.errors, h.spec.name));
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
      const text = textFaults(raw, [q.spec.name]);
      if (text.length > 0) {
        errors.push(...text);
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
    const bodyText = input.hasBody ? textFaults(input.body) : [];
    if (bodyText.length > 0) errors.push(...bodyText);
    else if (op.body) {
      if (!input.hasBody) {
        if (op.bodyRequired)
          errors.push({ param: '', code: 'parameter_missing', detail: 'A JSON request body is required.' });
      } else if (!op.body(input.body)) {
        errors.push(...pick(op.body.errors));
      }
    } else if (input.hasBody) {
      // No request body in the spec: the unknown-field rule refuses every field (`{}` is allowed).
      for (const field of Object.keys(input.body as object).slice(0, 10)) {
        errors.push({
          param: field,
          code: 'parameter_invalid',
          detail: `${field} is not a known parameter here: this operation takes no request body; send none.`,
        });
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
