import type { SyncConfig } from './config.js';

/**
 * The SDK's `ConnectionError` ("Could not reach the API (retried); check `baseUrl`.") in the words of
 * the sync's config: which URL was tried, which key of which file sets it, and what the socket said.
 * Any other error is returned as it is.
 *
 * @example
 * // openissuing-sync: could not reach the OpenIssuing platform at http://127.0.0.1:4100
 * //   (source.platform.baseUrl in ./sync/openissuing-sync.json): connect ECONNREFUSED 127.0.0.1:4100.
 * //   Start it (npx openissuing serve) or correct baseUrl.
 * throw platformUnreachable(err, config, './sync/openissuing-sync.json');
 */
export function platformUnreachable(err: unknown, config: SyncConfig, configPath: string): unknown {
  if ((err as Error)?.name !== 'ConnectionError' || !('platform' in config.source)) return err;
  const { baseUrl } = config.source.platform;
  const why = socketReason((err as Error).cause);
  return new Error(
    `could not reach the OpenIssuing platform at ${baseUrl} (source.platform.baseUrl in ${configPath})${why ? `: ${why}` : ''}. Start it (npx openissuing serve) or correct baseUrl.`,
    { cause: err },
  );
}

/** The innermost message of a fetch failure's cause chain (`connect ECONNREFUSED 127.0.0.1:4100`). */
function socketReason(cause: unknown): string {
  let c = cause as { message?: string; cause?: unknown } | undefined;
  let message = '';
  for (let depth = 0; c && depth < 5; depth++, c = c.cause as typeof c) {
    if (c.message) message = c.message;
  }
  return message;
}
