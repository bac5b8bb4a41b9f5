import { randomUUID } from 'node:crypto';
import { ErpError, type JournalEntry } from '@openissuing/connector-core';
import { formatAmount, formatRate } from '../amount.js';
import { resolveAssignments, type SapMapping } from '../mapping.js';
import { documentReferenceIdFor, headerReferencesFor, messageIdFor } from '../reference.js';
import { type SoapVersion, wrapEnvelope } from './envelope.js';
import { childType, journalEntrySchema, maxLengthOf } from './schema.js';
import { type Fields, renderElement } from './tree.js';
import { validateAgainstSchema } from './validate.js';
import { escapeXml, parseXml } from './xml.js';

const JE = 'JournalEntryCreateRequestJournalEntry';
const ITEM = 'JournalEntryCreateRequestJournalEntryItem';

/** Cuts text to the length SAP's schema gives an element (characters, control characters removed). */
export function fit(text: string, complexType: string, element: string): string {
  const max = maxLengthOf(childType(complexType, element)) ?? Infinity;
  const clean = text
    .replace(/[\p{Cc}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const chars = [...clean];
  return chars.length <= max ? clean : chars.slice(0, max).join('').trimEnd();
}

/** The SAP-side id the accountant sees for a cardholder or card: the id without its prefix, last 18 characters. */
export function assignmentFor(id: string | undefined): string | undefined {
  if (!id) return undefined;
  const bare = id.replace(/^[a-z]+_/, '');
  const max = maxLengthOf(childType(ITEM, 'AssignmentReference')) ?? 18;
  return bare.length <= max ? bare : bare.slice(-max);
}

/** What the builder needs besides the entry. */
export interface BuildOptions {
  mapping: SapMapping;
  /** `CreatedByUser` (12 characters). */
  createdByUser: string;
  /** Last four digits of the card, for `DocumentHeaderText` ("Card 4242 AWS"). */
  cardLast4?: string;
  now?: Date;
}

/** SAP's `GLOBAL_DateTime`: UTC with up to 7 fractional digits and a `Z`. */
export function sapDateTime(d: Date): string {
  return d.toISOString();
}

/**
 * The `JournalEntryCreateRequest` fields for one journal entry: two G/L items (expense with cost
 * center / WBS element / profit center / tax code, and the card-clearing account), signed amounts
 * with `S`/`H`, our reference in `DocumentReferenceID`, the full transaction id over
 * `Reference1InDocumentHeader`/`Reference2InDocumentHeader` and in `MessageHeader/ID`.
 *
 * @example
 * const fields = journalEntryRequestFields(entry, { mapping, createdByUser: 'OPENISSUING' });
 */
export function journalEntryRequestFields(entry: JournalEntry, options: BuildOptions): Fields {
  const m = options.mapping;
  const a = resolveAssignments(m, entry);
  const merchant = entry.counterparty.name;
  const mcc = entry.counterparty.mcc ?? entry.source.mcc;
  const original = entry.original
    ? ` (${formatAmount(entry.original.amount, entry.original.currency)} ${entry.original.currency})`
    : '';
  const headerText = fit(
    `Card ${options.cardLast4 ? `${options.cardLast4} ` : ''}${merchant}`,
    JE,
    'DocumentHeaderText',
  );
  // the merchant name gives way first: MCC and the original amount always fit
  const suffix = `${mcc ? ` MCC ${mcc}` : ''}${original}`;
  const itemMax = maxLengthOf(childType(ITEM, 'DocumentItemText')) ?? 50;
  const itemText = fit(
    `${fit(merchant, ITEM, 'DocumentItemText')
      .slice(0, Math.max(1, itemMax - suffix.length))
      .trimEnd()}${suffix}`,
    ITEM,
    'DocumentItemText',
  );
  const assignment = assignmentFor(m.assignment === 'card' ? entry.source.card : entry.source.cardholder);
  const [reference1, reference2] = headerReferencesFor(entry.externalRef);
  const items: Fields[] = entry.lines.map((line, i) => {
    const signed = line.side === 'debit' ? line.amount : -line.amount;
    const expense = line.role === 'expense';
    const accountAssignment: Fields = {};
    if (expense && a.profitCenter) accountAssignment.ProfitCenter = a.profitCenter;
    if (expense && a.costCenter) accountAssignment.CostCenter = a.costCenter;
    if (expense && a.wbsElement) accountAssignment.WBSElement = a.wbsElement;
    if (line.account.length > (maxLengthOf(childType(ITEM, 'GLAccount')) ?? 10)) {
      throw new ErpError(
        `"${line.account}" is not an SAP G/L account (at most 10 characters): use G/L account numbers in mapping.json ${expense ? 'rules/defaultAccount' : 'liabilityAccount'}`,
        { kind: 'permanent', code: 'mapping_gl_account' },
      );
    }
    return {
      ReferenceDocumentItem: String(i + 1),
      GLAccount: line.account,
      AmountInTransactionCurrency: {
        text: formatAmount(signed, entry.currency),
        attrs: { currencyCode: entry.currency },
      },
      DebitCreditCode: line.side === 'debit' ? 'S' : 'H',
      DocumentItemText: itemText,
      ...(assignment ? { AssignmentReference: assignment } : {}),
      ...(expense && a.taxCode ? { Tax: { TaxCode: a.taxCode } } : {}),
      ...(Object.keys(accountAssignment).length ? { AccountAssignment: accountAssignment } : {}),
    };
  });
  return {
    MessageHeader: {
      ID: messageIdFor(entry.externalRef),
      CreationDateTime: sapDateTime(options.now ?? new Date()),
    },
    JournalEntry: {
      OriginalReferenceDocumentType: 'BKPFF',
      BusinessTransactionType: m.businessTransactionType,
      AccountingDocumentType: m.documentType,
      DocumentReferenceID: documentReferenceIdFor(entry.externalRef),
      DocumentHeaderText: headerText,
      CreatedByUser: fit(options.createdByUser.toUpperCase(), JE, 'CreatedByUser'),
      CompanyCode: a.companyCode,
      DocumentDate: entry.date,
      PostingDate: entry.date,
      ...(entry.exchangeRate !== undefined
        ? { ExchangeRateDate: entry.date, ExchangeRate: formatRate(entry.exchangeRate) }
        : {}),
      Reference1InDocumentHeader: reference1,
      ...(reference2 ? { Reference2InDocumentHeader: reference2 } : {}),
      Item: items,
    },
  };
}

/**
 * Renders one `JournalEntryCreateRequest` and checks it against SAP's schema, so a field that does
 * not fit fails this entry alone (permanently, naming the element) instead of faulting the bulk.
 */
export function renderEntryRequest(entry: JournalEntry, options: BuildOptions): string {
  const xml = renderElement(
    'JournalEntryCreateRequest',
    'JournalEntryCreateRequestMessage',
    journalEntryRequestFields(entry, options),
  );
  const problems = validateAgainstSchema(parseXml(xml), 'JournalEntryCreateRequestMessage');
  if (problems.length > 0) {
    throw new ErpError(
      `the SAP journal entry for ${entry.externalRef} does not fit SAP's schema: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
      { kind: 'permanent', code: 'schema' },
    );
  }
  return xml;
}

/**
 * The bulk SOAP request (`JournalEntryBulkCreateRequest`) for already rendered entries, in a SOAP 1.1
 * or 1.2 envelope.
 *
 * @example
 * const xml = bulkRequestEnvelope('1.1', [renderEntryRequest(entry, options)]);
 */
export function bulkRequestEnvelope(
  version: SoapVersion,
  entryRequests: string[],
  header: { id?: string; now?: Date; senderBusinessSystemId?: string } = {},
): string {
  const id = header.id ?? randomUUID().replace(/-/g, '').toUpperCase();
  const sender = header.senderBusinessSystemId
    ? `<SenderBusinessSystemID>${escapeXml(header.senderBusinessSystemId)}</SenderBusinessSystemID>`
    : '';
  const body = `<sfin:JournalEntryBulkCreateRequest xmlns:sfin="${journalEntrySchema.namespace}"><MessageHeader><ID>${id}</ID><CreationDateTime>${sapDateTime(header.now ?? new Date())}</CreationDateTime>${sender}</MessageHeader>${entryRequests.join('')}</sfin:JournalEntryBulkCreateRequest>`;
  return wrapEnvelope(version, body);
}
