import { describe, expect, it } from 'vitest';
import { type DecisionInput, evaluateControls } from '../src/index';
import { boundaryCases } from './boundaries';

describe('evaluateControls at the exact boundaries', () => {
  for (const c of boundaryCases) {
    it(c.name, () => {
      expect(evaluateControls(c.input as unknown as DecisionInput)).toEqual({
        approved: c.reason === 'approved',
        reason: c.reason,
        message: c.message,
        control: c.control,
      });
    });
  }
});
