import { type ControlsInput, evaluateControls } from '@openissuing/platform';
import { describe, expect, it } from 'vitest';
import { evaluateSpendingControls, type SpendingControlsInput } from '../src/index';
import { boundaryCases } from './helpers/decision-boundaries';

describe('evaluateSpendingControls at the exact boundaries (and the platform agrees)', () => {
  for (const c of boundaryCases) {
    it(c.name, () => {
      const expected = {
        approved: c.reason === 'approved',
        reason: c.reason,
        message: c.message,
        control: c.control,
      };
      expect(evaluateSpendingControls(c.input as unknown as SpendingControlsInput)).toEqual(expected);
      expect(evaluateControls(c.input as unknown as ControlsInput)).toEqual(expected);
    });
  }
});
