import { describe, expect, it } from 'vitest';
import { namedRejections } from '../src/index.js';

describe('namedRejections (reading execution details)', () => {
  it('reads a tab-separated report by its MESSAGE column and skips held (P) lines', () => {
    const report = [
      'Journal Import Execution Report',
      'STATUS\tBATCH NAME\tJOURNAL NAME\tLINE\tACCOUNT\tMESSAGE',
      'EF03\tOI-itxn_a\tOI-itxn_a\t1\t101.110.6950.000.000\tDisabled Accounting Flexfield.',
      'P\tOI-itxn_b\tOI-itxn_b\t3\t101.110.6100.000.000\t',
    ].join('\n');
    const named = namedRejections({ 'report.txt': report }, []);
    expect([...named]).toEqual([['itxn_a', { code: 'EF03', message: 'Disabled Accounting Flexfield.' }]]);
  });

  it('reads space-aligned lines, several codes on a line (first wins), and SQL*Loader record rejections', () => {
    const log = [
      'EF04,EC08   OI-itxn_c OpenIssuing Card A 17 42 N   FLEX-VALUE DOES NOT EXIST (SEGMENT=Account) (VALUESET=Corporate Account) (VALUE=99999)',
      'Record 3: Rejected - Error on table GL_INTERFACE, column REFERENCE1.',
      'ORA-12899: value too large for column "FUSION"."GL_INTERFACE"."REFERENCE1" (actual: 101, maximum: 100)',
    ].join('\n');
    const named = namedRejections({ 'x.log': log }, ['itxn_d', 'itxn_d', 'itxn_e', 'itxn_e']);
    expect(named.get('itxn_c')).toEqual({
      code: 'EF04',
      message: 'FLEX-VALUE DOES NOT EXIST (SEGMENT=Account) (VALUESET=Corporate Account) (VALUE=99999)',
    });
    expect(named.get('itxn_e')?.code).toBe('ORA-12899');
    expect(named.get('itxn_e')?.message).toMatch(/column REFERENCE1\. ORA-12899: value too large/);
    expect(named.has('itxn_d')).toBe(false);
  });
});
