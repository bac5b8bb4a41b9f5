import type { APIPromise } from '../core/api-promise';
import type { RequestOptions } from '../core/request-options';
import { APIResource } from '../core/resource';
import type { AnyObject } from '../types';

/** The ephemeral key object: a minutes-long credential for one card, safe to hand to a browser. */
export interface EphemeralKey {
  id?: string;
  secret: string;
  card?: string;
  expires_at: string;
  [key: string]: unknown;
}

/** Short-lived keys scoped to one card; the only credential a browser should hold. */
export class EphemeralKeys extends APIResource {
  /** Call on your server, send `secret` to the browser. @example await client.ephemeralKeys.create({ card: 'ic_123' }) */
  create(body: { card: string } & AnyObject, options?: RequestOptions): APIPromise<EphemeralKey> {
    return this._send('POST', '/ephemeral_keys', body, options);
  }
}
