import { describe, expect, it } from 'vitest';
import { migrations, splitStatements } from '../src/db/migrate';

describe('migrations', () => {
  it('splits statements but keeps dollar-quoted function bodies whole', () => {
    const parts = splitStatements(
      'CREATE TABLE a (x int);\nCREATE FUNCTION f() RETURNS int AS $fn$\nBEGIN\n  RETURN 1;\nEND\n$fn$ LANGUAGE plpgsql;\nSELECT 1',
    );
    expect(parts).toHaveLength(3);
    expect(parts[1]).toContain('RETURN 1;\nEND');
  });

  it('are ordered and uniquely named', () => {
    const ids = migrations.map((m) => m.id);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
