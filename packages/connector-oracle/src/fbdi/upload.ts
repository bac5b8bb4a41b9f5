import type { JournalEntry } from '@openissuing/connector-core';
import type { JournalLayout } from '../options.js';
import type { GlInterfaceRow } from './columns.js';
import { toGlInterfaceCsv } from './csv.js';
import { JOURNAL_IMPORT_JOB, journalImportParameterList } from './parameters.js';
import { journalRows, LayoutError, type UploadContext } from './rows.js';
import { zipGlInterface } from './zip.js';

/** Everything one `importBulkData` call sends, built without sending it. */
export interface FbdiUpload {
  groupId: string;
  /** References of the journals in the file, in file order. */
  refs: string[];
  rows: GlInterfaceRow[];
  csv: string;
  zip: Uint8Array;
  fileName: string;
  /** The `erpintegrations` request body (DocumentContent is the base64 zip). */
  body: Record<string, string>;
  /** Entries that could not be laid out, with the reason (they are not in the file). */
  rejected: Array<{ externalRef: string; error: LayoutError }>;
}

export interface UploadOptions extends UploadContext {
  dataAccessSetId?: string | undefined;
  postErrorsToSuspense: boolean;
  createSummaryJournals: boolean;
  documentAccount: string;
}

/**
 * Lays entries out as one FBDI upload: `GlInterface.csv` rows with one GROUP_ID, zipped, and the
 * `importBulkData` request whose Import Journals parameters name the same source, ledger and group.
 *
 * @example
 * const upload = buildUpload(entries, layout, { ledgerId, groupId: '1733011200001', createdOn: '2026-11-30', … });
 * await fetch(`${base}/fscmRestApi/resources/11.13.18.05/erpintegrations`, { method: 'POST', body: JSON.stringify(upload.body) });
 */
export function buildUpload(
  entries: JournalEntry[],
  layout: JournalLayout,
  options: UploadOptions,
): FbdiUpload {
  const rows: GlInterfaceRow[] = [];
  const refs: string[] = [];
  const rejected: FbdiUpload['rejected'] = [];
  for (const entry of entries) {
    try {
      rows.push(...journalRows(entry, layout, options));
      refs.push(entry.externalRef);
    } catch (err) {
      if (!(err instanceof LayoutError)) throw err;
      rejected.push({ externalRef: entry.externalRef, error: err });
    }
  }
  const csv = toGlInterfaceCsv(rows);
  const zip = zipGlInterface(csv, new Date(`${options.createdOn}T00:00:00Z`));
  const fileName = `GlInterface_${options.groupId}.zip`;
  const body = {
    OperationName: 'importBulkData',
    DocumentContent: Buffer.from(zip).toString('base64'),
    ContentType: 'zip',
    FileName: fileName,
    DocumentAccount: options.documentAccount,
    JobName: JOURNAL_IMPORT_JOB,
    ParameterList: journalImportParameterList({
      dataAccessSetId: options.dataAccessSetId,
      journalSource: layout.journalSource,
      ledgerId: options.ledgerId,
      groupId: options.groupId,
      postErrorsToSuspense: options.postErrorsToSuspense,
      createSummaryJournals: options.createSummaryJournals,
    }),
    JobOptions: 'ExtractFileType=ALL',
  };
  return { groupId: options.groupId, refs, rows, csv, zip, fileName, body, rejected };
}
