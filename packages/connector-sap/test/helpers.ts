import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type MappingConfig, mapTransaction, type PlatformTransaction } from '@openissuing/connector-core';
import { sampleTransactions } from '@openissuing/connector-core/testing';
import cds from '@sap/cds';
import { validateXML } from 'xmllint-wasm';
import { SapAdapter, type SapAdapterOptions, type SapMappingInput } from '../src/index.js';
import { emulatorMapping, type RunningSapEmulator } from '../src/testing/index.js';

const here = dirname(fileURLToPath(import.meta.url));

/** The derived XSD shipped in the package (schema/JournalEntryBulkCreate.xsd). */
export const derivedXsd = readFileSync(join(here, '..', 'schema', 'JournalEntryBulkCreate.xsd'), 'utf8');

/** The SOAP body payload of an envelope, as a standalone document. */
export function bodyOf(envelope: string): string {
  const m = /<soap:Body>([\s\S]*)<\/soap:Body>/.exec(envelope);
  if (!m?.[1]) throw new Error('no soap:Body in the envelope');
  return m[1];
}

/** Validates XML against an XSD with libxml2 (xmllint-wasm): the independent check of our schema. */
export async function xmllint(xml: string, xsd = derivedXsd): Promise<string[]> {
  const r = await validateXML({
    xml: [{ fileName: 'payload.xml', contents: xml }],
    schema: [{ fileName: 'schema.xsd', contents: xsd }],
  });
  return r.errors.map((e) => e.message);
}

/** The emulator's mapping, booked into company code 1010 (Germany, EUR) instead of 1710. */
export const mapping: MappingConfig & { sap: SapMappingInput } = {
  ...emulatorMapping,
  sap: {
    companyCode: '1010',
    costCenter: { dimension: 'department', values: { Marketing: '10101301', Engineering: '10101101' } },
    wbsElement: { dimension: 'project', values: { Apollo: 'P-APOLLO' } },
  },
};

/** Sample transactions booked in Germany in euros, with merchant names that need XML escaping. */
export function makeTransactions(n: number, seed = 1, start?: number): PlatformTransaction[] {
  return sampleTransactions(n, seed, {
    ...(start === undefined ? {} : { start }),
    currency: 'eur',
    country: 'DE',
    card: 'ic_01JD0000000000000000CARD42',
    cardholder: 'ich_01JD00000000000000HOLDER1',
    merchantNames: { fuel: 'Shell: Station 12 & Co <Hamburg>' },
  });
}

export const entriesFor = (txs: PlatformTransaction[]) => txs.map((t) => mapTransaction(mapping, t));

/** An adapter wired to a loopback emulator through @sap/cds, with Basic auth. */
export function adapterFor(server: RunningSapEmulator, extra: Partial<SapAdapterOptions> = {}): SapAdapter {
  return new SapAdapter({
    connection: { url: server.url, username: server.emulator.username, password: server.emulator.password },
    mapping: mapping.sap,
    accounts: {
      liability: mapping.liabilityAccount,
      expense: [mapping.defaultAccount, ...mapping.rules.map((r) => r.account)],
    },
    cds: cds as unknown as SapAdapterOptions['cds'],
    ...extra,
  });
}

export { must, seeded } from '@openissuing/connector-core/testing';
/** Documents in the emulator per transaction id (via Reference1/2), reversals excluded. */
export { bookingsOf as bookings } from '../src/testing/index.js';

/**
 * The `http://sap.com/xi/SAPSCORE/SFIN` schema of SAP's own WSDL for Journal Entry – Post, as a
 * standalone XSD — for a check against the original when `SAP_JOURNAL_ENTRY_WSDL` names a downloaded
 * copy (the WSDL is never committed: its licence is unclear).
 */
export function schemaOfWsdl(wsdl: string): string {
  const m =
    /<xsd:schema\b[^>]*targetNamespace="http:\/\/sap\.com\/xi\/SAPSCORE\/SFIN"[\s\S]*?<\/xsd:schema>/.exec(
      wsdl,
    );
  if (!m) throw new Error('the WSDL has no xsd:schema for http://sap.com/xi/SAPSCORE/SFIN');
  const schema = m[0];
  return schema.includes('xmlns:xsd=')
    ? schema
    : schema.replace('<xsd:schema', '<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema"');
}
