import type { Executor } from '../executor.js';
import {
  toDelegatedAdministrator,
  toDelegation,
  toEnabledService,
  type DelegatedAdministratorRow,
  type DelegationRow,
  type EnabledServiceRow,
} from '../rows/delegations.js';
import { statement, type Count, type Dialect, type NoRow } from '../statement.js';
import type { DelegationRepo } from '../store.js';

type Key = { directoryId: string; servicePrincipal: string; accountId: string };
/** One service of the directory, or (null) every one. */
type Scope = { directoryId: string; servicePrincipal: string | null };
// PostgreSQL cannot type a parameter that is only compared with NULL: the cast names its type.
const inScope = (d: Dialect, t = '') =>
  `${t}directory_id = :directoryId AND (:servicePrincipal${d.name === 'postgres' ? '::text' : ''} IS NULL OR ${t}service_principal = :servicePrincipal)`;

/**
 * The statements, exported for the storage contract suite's plan checks. Every read is bounded
 * by the quota (services x per-service maximum per directory), and each starts from an index:
 * the primary key (directory, service, account) or the account index.
 */
export const statements = {
  insert: statement<NoRow, Key & { enabledAt: number }>(
    `INSERT INTO delegated_administrators (directory_id, service_principal, account_id, enabled_at)
     VALUES (:directoryId, :servicePrincipal, :accountId, :enabledAt)`,
  ),
  byKey: statement<DelegationRow, Key>(
    `SELECT * FROM delegated_administrators
      WHERE directory_id = :directoryId AND service_principal = :servicePrincipal AND account_id = :accountId`,
  ),
  delete: statement<NoRow, Key>(
    `DELETE FROM delegated_administrators
      WHERE directory_id = :directoryId AND service_principal = :servicePrincipal AND account_id = :accountId`,
  ),
  count: statement<Count, Scope>((d) => `SELECT count(*) AS n FROM delegated_administrators WHERE ${inScope(d)}`),
  // In primary-key order (service, then account), so no sort; the account join is by primary key, one row per delegation of the page.
  page: statement<DelegatedAdministratorRow, Scope & { offset: number; limit: number }>(
    (d) => `SELECT g.*, a.display_name, a.join_method FROM delegated_administrators g JOIN accounts a ON a.id = g.account_id
      WHERE ${inScope(d, 'g.')}
      ORDER BY g.service_principal, g.account_id LIMIT :limit OFFSET :offset`,
  ),
  // Named: the primary key also walks principal order, and SQLite would read the directory's delegations by it.
  ofAccount: statement<DelegationRow, { directoryId: string; accountId: string; after: string; limit: number }>(
    (d) => `SELECT * FROM delegated_administrators ${d.indexedBy('delegated_administrators_account')} WHERE account_id = :accountId AND directory_id = :directoryId AND service_principal > :after
      ORDER BY service_principal LIMIT :limit`,
  ),
  deleteOfAccount: statement<NoRow, { accountId: string }>(`DELETE FROM delegated_administrators WHERE account_id = :accountId`),
  // A service counts as enabled from its earliest delegation in place (docs/compatibility.md, "Delegated administrators"), by principal.
  enabledServices: statement<EnabledServiceRow, { directoryId: string; offset: number; limit: number }>(
    `SELECT service_principal, min(enabled_at) AS enabled_at FROM delegated_administrators WHERE directory_id = :directoryId
      GROUP BY service_principal ORDER BY service_principal LIMIT :limit OFFSET :offset`,
  ),
  enabledServiceCount: statement<Count, { directoryId: string }>(
    `SELECT count(DISTINCT service_principal) AS n FROM delegated_administrators WHERE directory_id = :directoryId`,
  ),
  ofDirectory: statement<DelegationRow, { directoryId: string }>(
    `SELECT * FROM delegated_administrators WHERE directory_id = :directoryId ORDER BY service_principal, account_id`,
  ),
};
const s = statements;

export function delegationRepo(x: Executor): DelegationRepo {
  return {
    async insert(r) {
      await x.run(s.insert, { ...r });
    },
    async byKey(directoryId, servicePrincipal, accountId) {
      const r = await x.one(s.byKey, { directoryId, servicePrincipal, accountId });
      return r && toDelegation(r);
    },
    async delete(directoryId, servicePrincipal, accountId) {
      return (await x.run(s.delete, { directoryId, servicePrincipal, accountId })) > 0;
    },
    async count(directoryId, servicePrincipal) {
      return Number((await x.one(s.count, { directoryId, servicePrincipal }))?.n ?? 0);
    },
    async page(directoryId, servicePrincipal, offset, limit) {
      return (await x.all(s.page, { directoryId, servicePrincipal, offset, limit })).map(toDelegatedAdministrator);
    },
    async ofAccount(directoryId, accountId, after, limit) {
      return (await x.all(s.ofAccount, { directoryId, accountId, after: after ?? '', limit })).map(toDelegation);
    },
    async deleteOfAccount(accountId) {
      await x.run(s.deleteOfAccount, { accountId });
    },
    async enabledServices(directoryId, offset, limit) {
      return (await x.all(s.enabledServices, { directoryId, offset, limit })).map(toEnabledService);
    },
    async enabledServiceCount(directoryId) {
      return Number((await x.one(s.enabledServiceCount, { directoryId }))?.n ?? 0);
    },
    async ofDirectory(directoryId) {
      return (await x.all(s.ofDirectory, { directoryId })).map(toDelegation);
    },
  };
}
