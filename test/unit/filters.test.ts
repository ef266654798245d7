import { describe, expect, it } from 'vitest';
import { andFilters } from '../../src/storage/repos/filters.js';

describe('andFilters', () => {
  it('keeps only the filters present, numbering parameters from the first free one', () => {
    expect(andFilters(2, [['id < ?', 'agt_9'], ['status = ?', undefined], ['is_active = ?', false], ['x = ?', null]])).toEqual({
      sql: ' AND id < $2 AND is_active = $3',
      params: ['agt_9', false],
    });
  });
  it('no filter: no SQL, and one statement text per combination', () => {
    expect(andFilters(3, [['number < ?', undefined]])).toEqual({ sql: '', params: [] });
  });
});
