import type { APIPromise } from '../core/api-promise';
import type { RequestOptions } from '../core/request-options';
import { APIResource } from '../core/resource';
import type { AnyObject } from '../types';
import type { Body } from './params';

/** Program-wide settings (for example the real-time authorization fallback). */
export class ProgramResource extends APIResource {
  /** @example await client.program.retrieve() */
  retrieve(options?: RequestOptions): APIPromise<AnyObject> {
    return this._get('/program', options);
  }

  /** @example await client.program.update({ authorization_fallback: 'decline' }) */
  update(body: Body, options?: RequestOptions): APIPromise<AnyObject> {
    return this._send('PATCH', '/program', body, options);
  }
}
