import type { Executor } from '../executor.js';
import { statement } from '../statement.js';
import type { IdKind, StateRepo } from '../store.js';

const inUse = (table: string) =>
  statement<{ id: string }, { ids: readonly string[] }>((d) => `SELECT id FROM ${table} WHERE ${d.in('id', 'ids')}`);

/** The statements, exported for the storage contract suite's plan checks. */
export const statements = {
  ids: { directory: inUse('directories'), folder: inUse('folders'), account: inUse('accounts'), contact: inUse('contacts'), controlPolicy: inUse('control_policies') } satisfies Record<IdKind, unknown>,
  accountNames: statement<{ account_name: string }, { names: readonly string[] }>(
    (d) => `SELECT account_name FROM accounts WHERE ${d.in('account_name', 'names')}`,
  ),
};
const s = statements;

/**
 * @param wipe the dialect's own: which tables there are and in what order they may be emptied
 * are questions of each one's catalog and foreign-key checks (src/storage/{sqlite,postgres}/wipe.ts).
 */
export function stateRepo(x: Executor, wipe: () => Promise<void>): StateRepo {
  return {
    wipe,
    async idsInUse(kind, ids) {
      return ids.length === 0 ? [] : (await x.all(s.ids[kind], { ids })).map((r) => r.id);
    },
    async accountNamesInUse(names) {
      return names.length === 0 ? [] : (await x.all(s.accountNames, { names })).map((r) => r.account_name);
    },
  };
}
