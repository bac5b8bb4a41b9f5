import type { APIPromise } from '../core/api-promise';
import type { Route } from '../internal/bind';
import type { DeletedEphemeralKey, EphemeralKey, EphemeralKeyCreateParams } from '../types';
import type { RequestOptions } from './params';

/** Minutes-long keys scoped to one card: the only credential a browser should hold. */
export interface EphemeralKeys {
  /** Call on your server and send `secret` to the browser. @example await client.ephemeralKeys.create({ card: 'ic_123' }) */
  create(body: EphemeralKeyCreateParams, options?: RequestOptions): APIPromise<EphemeralKey>;
  /** Revokes a key before it expires. @example await client.ephemeralKeys.delete('ek_123') */
  delete(id: string, options?: RequestOptions): APIPromise<DeletedEphemeralKey>;
}

export const ephemeralKeyRoutes: Record<keyof EphemeralKeys, Route> = {
  create: 'Pephemeral_keys',
  delete: 'Dephemeral_keys/{}',
};
