import { refFromName } from './references.js';

/** A rejection Oracle names for one of our journals. */
export interface NamedRejection {
  code: string;
  message: string;
}

const CODE = /^(?:[EW][A-Z]\d{2})(?:,[EW][A-Z]\d{2})*$/;
const RECORD = /^Record (\d+): Rejected - (.*)$/;

/**
 * Reads a Journal Import job's execution details for the journals they name:
 * - report/log lines that carry a status code (`EF04`, `EU02`, `EF04,EC08`, …) and one of our
 *   journal or batch names (`OI-<id>`), tab- or space-separated, the message being the longest other
 *   field — lines with `P` (held because another journal failed) are not rejections;
 * - SQL*Loader rejections `Record N: Rejected - …` with the Oracle error on the next line, mapped to
 *   the journal whose row is record N of the file (`recordRefs[N - 1]`).
 * The first code per journal wins; Oracle's own text is kept verbatim.
 *
 * @example
 * namedRejections(files, recordRefs).get('itxn_…'); // { code: 'EF04', message: 'FLEX-VALUE DOES NOT EXIST …' }
 */
export function namedRejections(
  files: Record<string, string>,
  recordRefs: string[],
): Map<string, NamedRejection> {
  const out = new Map<string, NamedRejection>();
  for (const text of Object.values(files)) {
    const lines = text.split(/\r?\n/);
    const messageColumn = -1;
    lines.forEach((line, i) => {
      const rec = RECORD.exec(line.trim());
      if (rec) {
        const ref = recordRefs[Number(rec[1]) - 1];
        const next = lines[i + 1]?.trim() ?? '';
        const ora = /^(ORA-\d{5}|SQL\*Loader-\d+)/.exec(next)?.[1];
        if (ref && !out.has(ref))
          out.set(ref, {
            code: ora ?? 'LOAD',
            message: `${rec[2]}${next.startsWith('ORA-') ? ` ${next}` : ''}`.trim(),
          });
        return;
      }
      const fields = line.includes('\t')
        ? line.split('\t').map((f) => f.trim())
        : line.trim().split(/\s{2,}/);
      const code = fields.find((f) => CODE.test(f));
      if (!code) return;
      const ref = fields.map((f) => refFromName(f)).find((r) => r !== null);
      if (!ref || out.has(ref)) return;
      // the MESSAGE column when the report has a header, else the longest other field
      const message =
        (messageColumn >= 0 ? fields[messageColumn] : undefined) ||
        fields
          .filter((f) => f !== code && refFromName(f) === null && !/^\d+$/.test(f))
          .sort((a, b) => b.length - a.length)[0];
      out.set(ref, { code: code.split(',')[0] as string, message: message ?? code });
    });
  }
  return out;
}
