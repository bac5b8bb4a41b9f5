import { describe, expect, it } from 'vitest';
// the shared boundary table (it moves with the decision engine)
import { boundaryCases } from '../../sdk-js/test/helpers/decision-boundaries';
import { type ControlsInput, evaluateControls } from '../src/authorization/evaluate-controls';

describe('evaluateControls at the exact boundaries', () => {
  for (const c of boundaryCases) {
    it(c.name, () => {
      expect(evaluateControls(c.input as unknown as ControlsInput)).toEqual({
        approved: c.reason === 'approved',
        reason: c.reason,
        message: c.message,
        control: c.control,
      });
    });
  }
});
