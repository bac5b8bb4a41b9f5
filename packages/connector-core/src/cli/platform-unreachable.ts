import type { ConnectionError } from '@openissuing/sdk';
import type { SyncConfig } from './config.js';

/**
 * The SDK's `ConnectionError` in the words of the sync's config: which URL was tried, which key of
 * which file sets it, and what the socket said (the SDK's `reason`: one rule, in the SDK).
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
  const why = (err as ConnectionError).reason;
  return new Error(
    `could not reach the OpenIssuing platform at ${baseUrl} (source.platform.baseUrl in ${configPath})${why ? `: ${why}` : ''}. Start it (npx openissuing serve) or correct baseUrl.`,
    { cause: err },
  );
}
