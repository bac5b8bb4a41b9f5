/**
 * Reads the operations of the API contract the way the SDK sees them: which SDK method serves each
 * one (`x-sdk-method`), how it is called (id, body, query) and what it returns. The SDK's resource
 * table and the code samples are both written from this, so they cannot disagree.
 */

type Json = Record<string, unknown>;

/** How a route is called; the letter is what the SDK's route table stores (see `internal/bind.ts`). */
export type Verb = 'G' | 'Q' | 'L' | 'P' | 'p' | 'A' | 'D';

export interface SdkOperation {
  operationId: string;
  method: 'get' | 'post' | 'patch' | 'delete';
  /** The path as the spec writes it, `/cards/{card}/freeze`. */
  path: string;
  /** `['testHelpers', 'authorizations']` for `testHelpers.authorizations.create`. */
  resource: string[];
  /** `create`. */
  name: string;
  verb: Verb;
  summary: string;
  description: string;
  /** The path parameter, if any (the SDK passes it as the first argument). */
  pathParam?: { name: string; example: string };
  /** The request body's schema name and whether it may be left out. */
  body?: { schema: string; required: boolean; example: unknown };
  /** The response schema name (the item schema for paginated lists). */
  returns: string;
  /** True for a list whose response is a page (has a `cursor` query parameter). */
  paginated: boolean;
  /** Query parameter names. */
  query: string[];
  /** The security scheme the operation needs (`bearerAuth`, `ephemeralKey`), or none. */
  security: string | null;
  /** Query parameters a non-paginated call needs, with their example values. */
  requiredQuery: { name: string; example: string }[];
}

export interface SkippedOperation {
  operationId: string;
  method: string;
  path: string;
  summary: string;
  security: string | null;
  requiredQuery: { name: string; example: string }[];
  pathParam?: { name: string; example: string };
}

const fail = (message: string): never => {
  throw new Error(`openapi/openissuing.yaml: ${message}`);
};

export function resolveRef(spec: Json, value: unknown): Json {
  let node = value as Json;
  for (let depth = 0; node && typeof node.$ref === 'string'; depth++) {
    if (depth > 16) fail(`$ref loop at ${String(node.$ref)}`);
    const ref = node.$ref as string;
    if (!ref.startsWith('#/')) fail(`only local $refs are supported, found ${ref}`);
    node = ref
      .slice(2)
      .split('/')
      .reduce<unknown>(
        (at, key) => (at as Json)?.[key.replace(/~1/g, '/').replace(/~0/g, '~')],
        spec,
      ) as Json;
    if (node === undefined) fail(`unresolved $ref ${ref}`);
  }
  return node;
}

const schemaName = (schema: unknown): string | undefined => {
  const ref = (schema as Json | undefined)?.$ref;
  return typeof ref === 'string' && ref.startsWith('#/components/schemas/') ? ref.slice(21) : undefined;
};

function firstExample(spec: Json, media: Json | undefined): unknown {
  if (!media) return undefined;
  if (media.example !== undefined) return media.example;
  const examples = media.examples as Json | undefined;
  const first = examples ? Object.values(examples)[0] : undefined;
  return first === undefined ? undefined : resolveRef(spec, first).value;
}

function parameterExample(spec: Json, param: Json): string {
  if (param.example !== undefined) return String(param.example);
  const schema = resolveRef(spec, param.schema);
  if (schema.example !== undefined) return String(schema.example);
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return String(schema.examples[0]);
  return fail(
    `parameter \`${String(param.name)}\` has no example; add \`example:\` so the code samples can show it`,
  );
}

/** Every operation of `paths`, split into those an SDK method serves and those it leaves out. */
export function walkOperations(spec: Json): { sdk: SdkOperation[]; skipped: SkippedOperation[] } {
  const sdk: SdkOperation[] = [];
  const skipped: SkippedOperation[] = [];
  const defaultSecurity = (spec.security as Json[] | undefined)?.[0];
  for (const [path, rawItem] of Object.entries((spec.paths ?? {}) as Json)) {
    const item = rawItem as Json;
    for (const method of ['get', 'post', 'patch', 'delete'] as const) {
      const op = item[method] as Json | undefined;
      if (!op) continue;
      const operationId = String(op.operationId);
      const where = `${method.toUpperCase()} ${path} (${operationId})`;
      const params = [...((item.parameters as unknown[]) ?? []), ...((op.parameters as unknown[]) ?? [])].map(
        (p) => resolveRef(spec, p),
      );
      const pathParams = params.filter((p) => p.in === 'path');
      if (pathParams.length > 1)
        fail(`${where} has ${pathParams.length} path parameters; the SDK's routes take one id`);
      const pathParam = pathParams[0]
        ? { name: String(pathParams[0].name), example: parameterExample(spec, pathParams[0]) }
        : undefined;
      const query = params.filter((p) => p.in === 'query');
      const requiredQuery = query
        .filter((p) => p.required)
        .map((p) => ({ name: String(p.name), example: parameterExample(spec, p) }));
      const securityList = (op.security as Json[] | undefined) ?? (defaultSecurity ? [defaultSecurity] : []);
      const security = securityList[0] ? (Object.keys(securityList[0])[0] ?? null) : null;
      const sdkMethod = op['x-sdk-method'];
      const base = {
        operationId,
        method,
        path,
        summary: String(op.summary ?? ''),
        security,
        requiredQuery,
        pathParam,
      };
      if (sdkMethod === false) {
        skipped.push(base);
        continue;
      }
      if (typeof sdkMethod !== 'string' || !/^[a-z][A-Za-z]*(\.[a-z][A-Za-z]*)+$/.test(sdkMethod)) {
        fail(
          `${where}: set \`x-sdk-method\` to the SDK method that calls it, e.g. \`cards.freeze\` or \`testHelpers.authorizations.capture\`, or to \`false\` for an operation the SDK does not wrap (found ${JSON.stringify(sdkMethod)})`,
        );
      }
      const parts = (sdkMethod as string).split('.');
      const name = parts.pop() as string;
      const paginated = query.some((p) => p.name === 'cursor');
      if (!paginated && method === 'get' && query.length > 0 && pathParam) {
        fail(`${where}: a non-paginated GET with both an id and query parameters is not supported yet`);
      }
      const requestBody = op.requestBody ? resolveRef(spec, op.requestBody) : undefined;
      const bodyMedia = (requestBody?.content as Json | undefined)?.['application/json'] as Json | undefined;
      if (requestBody && (method === 'get' || method === 'delete'))
        fail(`${where}: a body on ${method} is not supported`);
      const body = bodyMedia
        ? {
            schema:
              schemaName(bodyMedia.schema) ??
              fail(`${where}: the request body must be a $ref to components/schemas`),
            required: requestBody?.required === true,
            example: firstExample(spec, bodyMedia),
          }
        : undefined;
      const success = Object.entries((op.responses ?? {}) as Json).find(([status]) => /^2\d\d$/.test(status));
      if (!success) fail(`${where} has no 2xx response`);
      const response = resolveRef(spec, (success as [string, unknown])[1]);
      const responseSchema = (
        (response.content as Json | undefined)?.['application/json'] as Json | undefined
      )?.schema;
      let returns =
        schemaName(responseSchema) ?? fail(`${where}: the 2xx response must be a $ref to components/schemas`);
      if (paginated) {
        const list = resolveRef(spec, responseSchema);
        const data = (list.properties as Json | undefined)?.data as Json | undefined;
        returns =
          schemaName(data?.items) ?? fail(`${where}: a paginated list's \`data.items\` must be a $ref`);
      }
      const verb: Verb =
        method === 'get'
          ? paginated
            ? 'L'
            : query.length > 0
              ? 'Q'
              : 'G'
          : method === 'post'
            ? body
              ? 'P'
              : 'p'
            : method === 'patch'
              ? 'A'
              : 'D';
      sdk.push({
        ...base,
        resource: parts,
        name,
        verb,
        description: String(op.description ?? '').trim(),
        body,
        returns,
        paginated,
        query: query.map((p) => String(p.name)),
      });
    }
  }
  const seen = new Map<string, string>();
  for (const op of sdk) {
    const key = [...op.resource, op.name].join('.');
    const other = seen.get(key);
    if (other) fail(`x-sdk-method \`${key}\` is used by both ${other} and ${op.operationId}`);
    seen.set(key, op.operationId);
  }
  return { sdk, skipped };
}
