import {
  API_KEY_RESOURCES,
  type ApiKeyResource,
  METHOD_PERMISSIONS,
  type SdkMethodName,
} from '../generated/permissions';
import { zApiKeyCreateParams } from '../generated/zod/zod.gen';
import { formatPath, ValidationError } from '../spend-controls/validation-error';
import type { ApiKeyCreateParams } from '../types';

/**
 * A fluent builder for `POST /api_keys`: a restricted key's permissions, typed by the API's resources
 * and SDK methods, and its optional dimension scope. `build()` drops a `read` that a `write` of the same
 * resource already includes, validates against the API contract and throws a {@link ValidationError}
 * naming each bad field.
 *
 * A key with a scope sees only that scope's cardholders, cards, authorizations, transactions, budgets,
 * card requests and their events; program-wide resources (`balance`, `ledger_entries`, `topups`,
 * `program`, `webhook_endpoints`, `webhook_deliveries`) answer it 403 whatever it is granted.
 *
 * @example
 * const params = apiKey('Marketing approver')
 *   .read('cardholders', 'cards', 'transactions')
 *   .write('card_requests')
 *   .approveCardRequests()
 *   .scope({ department: 'marketing' })
 *   .build();
 * const { secret } = await client.apiKeys.create(params); // shown once: store it now
 */
export class ApiKeyBuilder {
  readonly #name: string;
  readonly #permissions = new Set<string>();
  #scope: Record<string, string> | undefined;
  #metadata: Record<string, string> | undefined;

  constructor(name: string) {
    this.#name = name;
  }

  /** Lets the key call the GET operations of these resources. */
  read(...resources: ApiKeyResource[]): this {
    return this.#grant(resources, 'read');
  }

  /** Lets the key call every operation of these resources (`write` includes `read`). */
  write(...resources: ApiKeyResource[]): this {
    return this.#grant(resources, 'write');
  }

  #grant(resources: readonly string[], access: 'read' | 'write'): this {
    for (const r of resources) {
      if (!(API_KEY_RESOURCES as readonly string[]).includes(r))
        throw new ValidationError('api key', [
          {
            path: 'permissions',
            message: `'${r}' is not a resource a restricted key can be granted; use one of ${API_KEY_RESOURCES.join(', ')}`,
          },
        ]);
      this.#permissions.add(`${r}:${access}`);
    }
    return this;
  }

  /** Lets the key approve and reject card requests (`card_requests:approve`, granted by nothing else). */
  approveCardRequests(): this {
    this.#permissions.add('card_requests:approve');
    return this;
  }

  /**
   * Grants exactly what these SDK methods need.
   *
   * @example
   * apiKey('Freezer').allow('cards.list', 'cards.freeze', 'cards.unfreeze').build().permissions;
   * // ['cards:write'] (cards.list needs cards:read, which cards:write includes)
   */
  allow(...methods: SdkMethodName[]): this {
    for (const m of methods) {
      const permission = METHOD_PERMISSIONS[m] as string | undefined;
      if (!permission)
        throw new ValidationError('api key', [
          { path: 'permissions', message: `'${m}' is not an SDK method a restricted key can call` },
        ]);
      this.#permissions.add(permission);
    }
    return this;
  }

  /** Limits the key to objects with these dimensions, e.g. `{ department: 'marketing' }`. */
  scope(dimensions: Record<string, string>): this {
    this.#scope = { ...this.#scope, ...dimensions };
    return this;
  }

  /** Your own key-value data. */
  metadata(metadata: Record<string, string>): this {
    this.#metadata = metadata;
    return this;
  }

  /** Validates and returns the body for `client.apiKeys.create()`. */
  build(): ApiKeyCreateParams {
    const permissions = [...this.#permissions].filter(
      (p) => !(p.endsWith(':read') && this.#permissions.has(p.replace(/:read$/, ':write'))),
    );
    const params: ApiKeyCreateParams = { name: this.#name, permissions };
    if (this.#scope) params.dimension_scope = this.#scope;
    if (this.#metadata) params.metadata = this.#metadata;
    const result = zApiKeyCreateParams.safeParse(params);
    if (!result.success) {
      throw new ValidationError(
        'api key',
        result.error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message })),
      );
    }
    return result.data as ApiKeyCreateParams;
  }
}

/**
 * Starts an {@link ApiKeyBuilder}.
 *
 * @example
 * const finance = await client.apiKeys.create(apiKey('Finance').read('card_requests').approveCardRequests().build());
 */
export function apiKey(name: string): ApiKeyBuilder {
  return new ApiKeyBuilder(name);
}
