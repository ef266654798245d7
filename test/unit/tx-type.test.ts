/**
 * The `Tx` type is the guarantee that a row lock is only ever taken inside a transaction: these
 * lines must not compile (`npm test` type-checks the tests first, so a regression fails there).
 */
import { describe, expect, it } from 'vitest';
import type { Db, Queryable, Tx } from '../../src/storage/db.js';
import { getAgentForUpdate, updateAgent } from '../../src/storage/repos/agents.js';
import { insertNextVersion } from '../../src/storage/repos/agent-versions.js';

// never called: only compiled
export function notCompilable(db: Db, q: Queryable, tx: Tx) {
  // @ts-expect-error a locked read needs a transaction
  void getAgentForUpdate(db, 'org', 'agt');
  // @ts-expect-error nor may a plain connection stand in for one
  void getAgentForUpdate(q, 'org', 'agt');
  // @ts-expect-error writes of several rows' worth of guarantees take a Tx too
  void insertNextVersion(db, 'org', {} as never);
  // @ts-expect-error
  void updateAgent(db, 'org', 'agt', {} as never);
  void getAgentForUpdate(tx, 'org', 'agt'); // fine
}

describe('Tx', () => {
  it('is a distinct type (checked by the compiler above)', () => {
    expect(typeof notCompilable).toBe('function');
  });
});
