import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type MappingConfig, mapTransaction, type PlatformTransaction } from '@openissuing/connector-core';
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

/** Deterministic pseudo-random numbers (mulberry32). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MERCHANTS = [
  { name: 'Google Ads', mcc: '7311', category: 'advertising' },
  { name: 'AWS', mcc: '4816', category: 'cloud_computing' },
  { name: 'Blue Bottle Coffee', mcc: '5814', category: 'restaurants' },
  { name: 'Figma', mcc: '5734', category: 'software' },
  { name: 'Shell: Station 12 & Co <Hamburg>', mcc: '5541', category: 'fuel' },
];

/** Platform-shaped transactions with 31-character ids like the platform's. */
export function makeTransactions(
  n: number,
  seed = 1,
  start = Date.parse('2026-11-01T09:00:00Z'),
): PlatformTransaction[] {
  const rnd = seeded(seed);
  return Array.from({ length: n }, (_, i) => {
    const m = MERCHANTS[Math.floor(rnd() * MERCHANTS.length)] as (typeof MERCHANTS)[number];
    return {
      id: `itxn_01JD${String(seed).padStart(4, '0')}${String(i).padStart(8, '0')}ABCDEFGHJKMN`.slice(0, 31),
      object: 'transaction' as const,
      type: rnd() < 0.1 ? ('refund' as const) : ('capture' as const),
      amount: 100 + Math.floor(rnd() * 50_000),
      currency: 'eur',
      merchant_data: { name: m.name, mcc: m.mcc, category: m.category, country: 'DE' },
      card: 'ic_01JD0000000000000000CARD42',
      cardholder: 'ich_01JD00000000000000HOLDER1',
      dimensions: { department: rnd() < 0.5 ? 'Marketing' : 'Engineering', project: 'Apollo' },
      created_at: new Date(start + i * 97_000).toISOString(),
    };
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

/** Documents in the emulator per transaction id (via Reference1/2), reversals excluded. */
export { bookingsOf as bookings } from '../src/testing/index.js';

export function must<T>(v: T | null | undefined, what = 'value'): T {
  if (v === null || v === undefined) throw new Error(`expected ${what} to be present`);
  return v;
}

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

const cli = join(
  dirname(createRequire(import.meta.url).resolve('@openissuing/connector-core/package.json')),
  'dist',
  'cli.js',
);

/** Runs `openissuing-sync <args> --config DIR/openissuing-sync.json --no-progress` in DIR to its end. */
export function syncCli(
  dir: string,
  env: Record<string, string>,
  ...args: string[]
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [cli, ...args, '--config', join(dir, 'openissuing-sync.json'), '--no-progress'],
      { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
