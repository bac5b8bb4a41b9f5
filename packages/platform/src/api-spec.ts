import spec from './generated/openapi.json';

/**
 * The bundled OpenAPI document (generated from openapi/openissuing.yaml by `npm run generate`).
 * Request validation, and the response checks in tests, use it — there is no second copy.
 */
export const openapiDocument = spec as unknown as Record<string, unknown>;

/** The API version this platform serves: the spec's `info.version`. */
export const API_VERSION: string = spec.info.version;
