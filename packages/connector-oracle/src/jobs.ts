import { ErpError, type ErpJob, type ErpJobStatus, type PostOutcome } from '@openissuing/connector-core';
import { TERMINAL_STATUSES } from './client/erpintegrations.js';

/** What the engine stores with an Oracle import job (`ErpJob.data`), enough to follow it from any process. */
export interface OracleJobData {
  /** The upload's GROUP_ID. */
  groupId: string;
  /** References of the journals in the file, in file order. */
  refs: string[];
  /** CSV records per reference (parallel to `refs`), to map SQL*Loader record numbers back. */
  lines: number[];
  /** Entries of the batch the segment layout could not express (not in the file), with the reason. */
  unmapped: Array<{ externalRef: string; message: string }>;
  /** When the upload was sent (ms since the epoch). */
  sentAt: number;
}

/** Terminal ESS statuses after which Import Journals has imported its group. */
const SUCCEEDED = new Set(['SUCCEEDED', 'COMPLETED', 'FINISHED']);

/** Reads the job data the adapter stored, or says which job it cannot follow. */
export function jobData(job: ErpJob): OracleJobData {
  const d = job.data as Partial<OracleJobData> | undefined;
  if (!d || typeof d.groupId !== 'string' || !Array.isArray(d.refs))
    throw new ErpError(
      `Oracle job ${job.id} carries no upload record (group id, references): it was not submitted by this connector version`,
      { kind: 'fatal', code: 'job_data' },
    );
  return {
    groupId: d.groupId,
    refs: d.refs,
    lines: Array.isArray(d.lines) ? d.lines : d.refs.map(() => 1),
    unmapped: Array.isArray(d.unmapped) ? d.unmapped : [],
    sentAt: typeof d.sentAt === 'number' ? d.sentAt : 0,
  };
}

/**
 * The engine's view of an ESS status: still running, imported (`SUCCEEDED`), or ended without
 * importing (`ERROR`, `WARNING`, … — Journal Import rejects its whole group when one journal is bad).
 *
 * @example
 * toJobStatus('10075801', 'ERROR'); // { state: 'failed', code: 'ERROR', message: 'Import Journals request 10075801 ended ERROR' }
 */
export function toJobStatus(requestId: string, status: string): ErpJobStatus {
  if (!TERMINAL_STATUSES.has(status)) return { state: 'running' };
  if (SUCCEEDED.has(status)) return { state: 'succeeded' };
  return { state: 'failed', code: status, message: `Import Journals request ${requestId} ended ${status}` };
}

/** The error of a journal Oracle's execution details name, with its code and text verbatim. */
export function journalImportError(code: string, message: string): ErpError {
  return new ErpError(`Oracle Journal Import ${code}: ${message}`, { kind: 'permanent', code });
}

/** Permanent outcomes for the entries the segment layout could not express. */
export function unmappedOutcomes(data: OracleJobData): PostOutcome[] {
  return data.unmapped.map((u) => ({
    externalRef: u.externalRef,
    ok: false,
    error: new ErpError(u.message, { kind: 'permanent', code: 'mapping' }),
  }));
}

/** The report for a job past its timeout: it is kept and polled, never uploaded again. */
export function stuckJobError(
  requestId: string,
  groupId: string,
  status: string,
  timeoutMs: number,
): ErpError {
  const minutes = Math.round(timeoutMs / 60_000);
  return new ErpError(
    `Oracle job ${requestId} for group ${groupId} is still ${status} after ${minutes} min: check Scheduled Processes in Fusion. Its journals are not uploaded again while it may run.`,
    { kind: 'transient', code: 'job_stuck' },
  );
}
