import type { DelegatedAdministrator, DelegationRecord, EnabledService } from '../records.js';

/** A `delegated_administrators` row, as both dialects return it. */
export interface DelegationRow {
  directory_id: string;
  service_principal: string;
  account_id: string;
  enabled_at: number;
}

/** A row joined with its member's display name and join method. */
export interface DelegatedAdministratorRow extends DelegationRow {
  display_name: string;
  join_method: DelegatedAdministrator['joinMethod'];
}

export interface EnabledServiceRow {
  service_principal: string;
  enabled_at: number;
}

export const toDelegation = (r: DelegationRow): DelegationRecord => ({
  directoryId: r.directory_id,
  servicePrincipal: r.service_principal,
  accountId: r.account_id,
  enabledAt: Number(r.enabled_at),
});

export const toDelegatedAdministrator = (r: DelegatedAdministratorRow): DelegatedAdministrator => ({
  ...toDelegation(r),
  displayName: r.display_name,
  joinMethod: r.join_method,
});

export const toEnabledService = (r: EnabledServiceRow): EnabledService => ({ servicePrincipal: r.service_principal, enabledAt: Number(r.enabled_at) });
