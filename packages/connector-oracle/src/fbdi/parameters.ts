/** The ESS job `importBulkData` runs after loading the file: Import Journals (JournalImportLauncher). */
export const JOURNAL_IMPORT_JOB =
  '/oracle/apps/ess/financials/generalLedger/programs/common,JournalImportLauncher';

export interface JournalImportParameters {
  /** Data access set id; `#NULL` (the ESS null) when not given. */
  dataAccessSetId?: string | undefined;
  /** Must equal USER_JE_SOURCE_NAME of the rows, or the job picks nothing up. */
  journalSource: string;
  /** Must equal LEDGER_ID of the rows. */
  ledgerId: string;
  /** Must equal GROUP_ID of the rows. */
  groupId: string;
  postErrorsToSuspense: boolean;
  createSummaryJournals: boolean;
  importDescriptiveFlexfields?: boolean;
}

/**
 * The seven positional Import Journals parameters:
 * `<data access set|#NULL>,<source name>,<ledger id>,<group id>,<post errors to suspense>,<summary>,<import DFF>`.
 *
 * @example
 * journalImportParameterList({ journalSource: 'OpenIssuing Card', ledgerId: '300000046975971', groupId: '17', postErrorsToSuspense: false, createSummaryJournals: false });
 * // '#NULL,OpenIssuing Card,300000046975971,17,N,N,N'
 */
export function journalImportParameterList(p: JournalImportParameters): string {
  for (const [field, value] of [
    ['journalSource', p.journalSource],
    ['ledgerId', p.ledgerId],
    ['groupId', p.groupId],
  ] as const) {
    if (value.includes(','))
      throw new Error(`${field} "${value}" contains a comma: ESS parameters are comma-separated`);
  }
  const yn = (b: boolean | undefined) => (b ? 'Y' : 'N');
  return [
    p.dataAccessSetId?.trim() || '#NULL',
    p.journalSource,
    p.ledgerId,
    p.groupId,
    yn(p.postErrorsToSuspense),
    yn(p.createSummaryJournals),
    yn(p.importDescriptiveFlexfields),
  ].join(',');
}
