import { strToU8, zipSync } from 'fflate';

/** The file name Journal Import's loader looks for inside the zip. */
export const GL_INTERFACE_FILE = 'GlInterface.csv';

/**
 * Zips a `GlInterface.csv` the way the template's "Generate CSV File" macro does (one entry at the
 * root). The timestamp is fixed by the caller so the same rows give the same bytes.
 *
 * @example
 * const zip = zipGlInterface(csv, new Date('2026-11-30T00:00:00Z'));
 */
export function zipGlInterface(csv: string, mtime: Date): Uint8Array {
  return zipSync({ [GL_INTERFACE_FILE]: [strToU8(csv), { mtime, level: 6 }] });
}
