import type { APIPromise } from '../core/api-promise';
import type { Route } from '../internal/bind';
import type { Program, ProgramUpdateParams } from '../types';
import type { RequestOptions } from './params';

/** Program-wide settings: the real-time authorization fallback and timeout, display origins. */
export interface ProgramResource {
  /** @example await client.program.retrieve() */
  retrieve(options?: RequestOptions): APIPromise<Program>;
  /** @example await client.program.update({ authorization_webhook_fallback: 'decline' }) */
  update(body: ProgramUpdateParams, options?: RequestOptions): APIPromise<Program>;
}

export const programRoutes: Record<keyof ProgramResource, Route> = {
  retrieve: 'Gprogram',
  update: 'Aprogram',
};
