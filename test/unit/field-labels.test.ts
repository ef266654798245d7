import { describe, expect, it } from 'vitest';
import { fieldLabel, humanizeMessage } from '../../web/src/editor/field-labels.js';

describe('the dashboard names API paths in words', () => {
  it.each([
    ['tone', 'Tone'],
    ['handoffConfig.transferRules', 'Transfer rules'],
    ['handoffConfig.transferRules[1].label', 'Transfer rules #2 › label'],
    ['businessHours.weekly.mon[0].end', 'Weekly hours › mon #1 › end'],
    ['businessHours.holidays[2].endDate', 'Holidays #3 › endDate'],
    ['voiceMap.fr', 'Voice per language › fr'],
    ['languages[2]', 'Languages #3'],
    ['somethingNew.deep[0]', 'somethingNew.deep #1'],
  ])('%s → %s', (path, label) => expect(fieldLabel(path)).toBe(label));

  it('rewrites the paths inside a server message, leaves the rest', () => {
    expect(humanizeMessage('duplicate label (same as handoffConfig.transferRules[0].label)')).toBe('duplicate label (same as Transfer rules #1 › label)');
    expect(humanizeMessage('transfer requires handoffConfig.transferDestination')).toBe('transfer requires Default transfer destination');
    expect(humanizeMessage('must be at most 2, e.g. 1.5')).toBe('must be at most 2, e.g. 1.5');
  });
});
