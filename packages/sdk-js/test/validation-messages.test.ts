import { describe, expect, it } from 'vitest';
import { apiKey, budget, spendingControls, ValidationError } from '../src/index.node';

/** The ValidationError a builder throws, as `path: message` lines. */
function messages(build: () => unknown): string[] {
  try {
    build();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  throw new Error('expected a ValidationError');
}

describe('ValidationError messages say what the value must be, not only "Invalid input"', () => {
  it('names a missing field as required and an empty list by its minimum', () => {
    expect(messages(() => budget('X').forDimensions({ department: 'marketing' }).build())).toEqual([
      'currency: is required',
      'limits: needs at least 1 item(s)',
    ]);
    expect(messages(() => apiKey('Nothing granted').build())).toEqual([
      'permissions: needs at least 1 item(s)',
    ]);
  });

  it('says the allowed values, the format and the bound, with the value that was sent', () => {
    const lines = messages(() =>
      budget('X')
        .forDimensions({ department: 'marketing' })
        .currency('USD')
        .limit(-1, 'monthy' as 'monthly')
        .build(),
    );
    expect(lines).toContain('currency: must match /^[a-z]{3}$/, not "USD"');
    expect(lines).toContain('limits[0].amount: must be ≥ 0');
    expect(lines).toContain(
      'limits[0].interval: must be one of "daily", "weekly", "monthly", "yearly", "all_time", not "monthy"',
    );
    expect(messages(() => spendingControls().limit(1.5, 'daily').build())).toEqual([
      'spending_limits[0].amount: must be an integer (minor units), not 1.5',
    ]);
    for (const line of [...lines, ...messages(() => apiKey('x').build())])
      expect(line).not.toMatch(/Invalid input/);
  });
});
