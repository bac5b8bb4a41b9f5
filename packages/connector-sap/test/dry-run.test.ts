import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleTransactions, startSyncCli } from '@openissuing/connector-core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentReferenceIdFor } from '../src/index.js';
import { child, childrenNamed, parseXml, textOf } from '../src/soap/xml.js';
import { erpEmulator } from '../src/testing/index.js';
import { bodyOf, must, schemaOfWsdl, xmllint } from './helpers.js';

let emu: Awaited<ReturnType<typeof erpEmulator.start>>;
let dir: string;
const txs = sampleTransactions(65, 71);

async function writeConfig(options: Record<string, unknown> = {}, stateDir = './state') {
  await writeFile(
    join(dir, 'openissuing-sync.json'),
    JSON.stringify({
      mapping: './mapping.json',
      source: { file: './transactions.json' },
      state: { dataDir: stateDir },
      connector: { ...emu.connector, options: { ...emu.connector.options, ...options } },
    }),
  );
}

beforeAll(async () => {
  emu = await erpEmulator.start({ connectorLimits: { maxBatchSize: 10 } });
  dir = await mkdtemp(join(tmpdir(), 'oi-sap-dry-'));
  await writeFile(join(dir, 'transactions.json'), JSON.stringify(txs.slice(0, 40)));
  await writeFile(join(dir, 'mapping.json'), JSON.stringify(emu.mapping));
  await writeConfig();
});
afterAll(async () => {
  await emu.close();
  await rm(dir, { recursive: true, force: true });
});

const sync = (...args: string[]) => startSyncCli(args, { dir, env: emu.env }).done;

/** The journal entries of a preview file: reference, company code and the G/L items with signed amounts. */
function entriesOf(xml: string) {
  const root = parseXml(bodyOf(xml)); // JournalEntryBulkCreateRequest
  return childrenNamed(root, 'JournalEntryCreateRequest').map((r) => {
    const je = child(r, 'JournalEntry');
    return {
      documentReferenceId: textOf(je, 'DocumentReferenceID'),
      reference: `${textOf(je, 'Reference1InDocumentHeader')}${textOf(je, 'Reference2InDocumentHeader') ?? ''}`,
      items: childrenNamed(je, 'Item').map((i) => [
        textOf(i, 'GLAccount'),
        textOf(i, 'AmountInTransactionCurrency'),
      ]),
    };
  });
}

const previewFiles = async (out: string) => (await readdir(out)).filter((f) => /^\d{4}-/.test(f)).sort();

describe('openissuing-sync run --dry-run --out-dir (SAP)', () => {
  it('writes one SOAP request per bulk post in posting order, valid against the schema, and changes nothing', async () => {
    // a first real run books 40; 25 more arrive
    const first = await sync('run');
    expect(first.code, first.stderr).toBe(0);
    await writeFile(join(dir, 'transactions.json'), JSON.stringify(txs));
    const documents = emu.control.bookings().size;
    const { requests } = emu.control.stats();
    const before = (await sync('status', '--json')).stdout;

    const out = join(dir, 'preview');
    const dry = await sync('run', '--dry-run', '--out-dir', out);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toBe(`dry run: 25 entries in 3 request(s) written to ${out}; nothing was posted\n`);
    const files = await previewFiles(out);
    expect(files).toEqual([
      '0001-JournalEntryBulkCreateRequest.xml',
      '0002-JournalEntryBulkCreateRequest.xml',
      '0003-JournalEntryBulkCreateRequest.xml',
    ]);
    const bodies = await Promise.all(files.map((f) => readFile(join(out, f), 'utf8')));
    for (const [i, xml] of bodies.entries()) {
      expect(xml, files[i]).toMatch(
        /^<\?xml version="1\.0" encoding="utf-8"\?><soap:Envelope xmlns:soap="http:\/\/schemas\.xmlsoap\.org\/soap\/envelope\/">/,
      );
      // libxml2 against the XSD derived from SAP's WSDL
      expect(await xmllint(bodyOf(xml)), files[i]).toEqual([]);
    }
    const previewed = bodies.flatMap(entriesOf);
    expect(bodies.map((b) => entriesOf(b).length)).toEqual([10, 10, 5]);
    expect(previewed.map((e) => e.reference)).toEqual(txs.slice(40).map((t) => t.id));
    expect(previewed.map((e) => e.documentReferenceId)).toEqual(
      txs.slice(40).map((t) => documentReferenceIdFor(t.id)),
    );
    const index = JSON.parse(await readFile(join(out, 'index.json'), 'utf8')) as {
      entries: number;
      requests: Array<{ file: string; externalRefs: string[] }>;
    };
    expect(index.entries).toBe(25);
    expect(index.requests.flatMap((r) => r.externalRefs)).toEqual(txs.slice(40).map((t) => t.id));

    // nothing changed: no document in SAP, no read beyond none needed, the same state and cursor
    expect(emu.control.bookings().size).toBe(documents);
    expect(emu.control.stats().requests).toBe(requests);
    expect((await sync('status', '--json')).stdout).toBe(before);

    // the real run then books exactly what the preview showed
    const real = await sync('run');
    expect(real.code, real.stderr).toBe(0);
    const booked = emu.control.bookings();
    for (const t of txs) expect(booked.get(t.id), t.id).toBe(1);
    const found = await (await emu.createAdapter()).find(previewed.map((e) => e.reference));
    for (const e of previewed) {
      const expense = must(e.items.find(([gl]) => gl !== emu.mapping.liabilityAccount));
      const hit = found.get(e.reference) as { account: string; amount: number } | undefined;
      expect(hit && [hit.account, (hit.amount / 100).toFixed(2)], e.reference).toEqual([
        expense[0],
        expense[1],
      ]);
    }
  }, 120_000);

  it('writes SOAP 1.2 envelopes when configured, valid against the schema too', async () => {
    // a fresh state: the first test's cursor is past these
    await writeConfig({ soapVersion: '1.2' }, './state-12');
    const out = join(dir, 'preview-12');
    const dry = await sync('run', '--dry-run', '--out-dir', out);
    expect(dry.code, dry.stderr).toBe(0);
    const files = await previewFiles(out);
    expect(files).toHaveLength(7); // 65 entries in bulks of 10
    const xml = await readFile(join(out, must(files[0])), 'utf8');
    expect(xml).toContain('<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope">');
    expect(await xmllint(bodyOf(xml))).toEqual([]);
    await writeConfig();
  }, 60_000);

  // SAP's WSDL is not committed (its licence is unclear); download it from your tenant or api.sap.com
  // and point SAP_JOURNAL_ENTRY_WSDL at it to check the previews against SAP's own schema as well
  const wsdl = process.env.SAP_JOURNAL_ENTRY_WSDL;
  it.skipIf(!wsdl)('the previews validate against the schema of SAP_JOURNAL_ENTRY_WSDL itself', async () => {
    const xsd = schemaOfWsdl(readFileSync(must(wsdl), 'utf8'));
    const out = join(dir, 'preview');
    for (const f of await previewFiles(out))
      expect(await xmllint(bodyOf(await readFile(join(out, f), 'utf8')), xsd), f).toEqual([]);
  });
});
