import { ErpError } from '@openissuing/connector-core';
import { strFromU8, unzipSync } from 'fflate';
import type { FusionClient } from './fusion.js';

/** ESS statuses after which a request no longer changes. */
export const TERMINAL_STATUSES = new Set([
  'SUCCEEDED',
  'COMPLETED',
  'WARNING',
  'ERROR',
  'FAILED',
  'CANCELLED',
  'CANCELED',
  'EXPIRED',
  'ERROR MANUAL RECOVERY',
  'VALIDATION FAILED',
  'FINISHED',
]);

interface Collection<T> {
  items?: T[];
}

/**
 * `POST erpintegrations` with an `importBulkData` body; returns the request id (`ReqstId`) of the
 * job chain (Load Interface File for Import → Import Journals).
 */
export async function importBulkData(
  fusion: FusionClient,
  body: Record<string, string>,
  signal?: AbortSignal,
): Promise<string> {
  const res = await fusion.post<{ ReqstId?: string | number | null }>('erpintegrations', body, signal);
  const id = res?.ReqstId;
  if (id === undefined || id === null || String(id) === '' || String(id) === '-1') {
    throw new ErpError('Oracle accepted importBulkData but returned no request id (ReqstId)', {
      kind: 'transient',
    });
  }
  return String(id);
}

/** `GET erpintegrations?finder=ESSJobStatusRF;requestId=…` → `RequestStatus` (upper case). */
export async function essJobStatus(
  fusion: FusionClient,
  requestId: string,
  signal?: AbortSignal,
): Promise<string> {
  const res = await fusion.get<Collection<{ RequestStatus?: string }>>(
    'erpintegrations',
    { finder: `ESSJobStatusRF;requestId=${requestId}`, onlyData: 'true' },
    signal,
  );
  const status = res?.items?.[0]?.RequestStatus;
  if (!status)
    throw new ErpError(`Oracle returned no status for ESS request ${requestId}`, { kind: 'transient' });
  return status.toUpperCase();
}

/**
 * Downloads a finished request's execution details (`ESSJobExecutionDetailsRF`, file type ALL) and
 * returns the text files of the zip by name. Empty when Oracle has none.
 */
export async function essExecutionDetails(
  fusion: FusionClient,
  requestId: string,
  signal?: AbortSignal,
): Promise<Record<string, string>> {
  const res = await fusion.get<Collection<{ DocumentContent?: string | null }>>(
    'erpintegrations',
    { finder: `ESSJobExecutionDetailsRF;requestId=${requestId},fileType=ALL`, onlyData: 'true' },
    signal,
  );
  const content = res?.items?.[0]?.DocumentContent;
  if (!content) return {};
  const out: Record<string, string> = {};
  try {
    for (const [name, bytes] of Object.entries(unzipSync(Buffer.from(content, 'base64'))))
      out[name] = strFromU8(bytes);
  } catch {
    out['details.txt'] = Buffer.from(content, 'base64').toString('utf8');
  }
  return out;
}
