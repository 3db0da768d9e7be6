import { errors } from '../domain/errors.js';
import { idPatterns } from '../domain/ids.js';
import type { TrustedServices } from '../domain/trusted-services.js';
import { locks } from '../storage/locks.js';
import type { DelegatedAdministrator, DelegationRecord, DirectoryRecord, EnabledService } from '../storage/records.js';
import type { Tx } from '../storage/store.js';
import { callerDirectory, toPage, type PageRequest, type ServiceDeps } from './deps.js';
import { requireMember } from './members.js';

export interface DelegationOptions {
  /** The services that may be delegated, each with its maximum of delegated administrators (RDMC_TRUSTED_SERVICES). */
  trustedServices: TrustedServices;
}

type Numbered = { paging: { pageNumber: number; pageSize: number }; total: number };

export interface DelegatedAdministratorPage extends Numbered {
  administrators: DelegatedAdministrator[];
}

export interface TrustedServicePage extends Numbered {
  services: EnabledService[];
}

/** ListDelegatedServicesForAccount: every service at once, or a page of `maxResults` when the caller asked for one. */
export interface DelegatedServicePage {
  services: DelegationRecord[];
  maxResults?: number;
  /** Where the next page starts; undefined on the last page. */
  nextToken?: string;
}

const numbered = (p: PageRequest) => ({ paging: { pageNumber: p.PageNumber, pageSize: p.PageSize }, ...toPage(p) });

/** The next-page position of ListDelegatedServicesForAccount: the last principal returned, opaque to callers. */
const encodeToken = (principal: string) => Buffer.from(principal).toString('base64url');
function decodeToken(token: string): string {
  const principal = Buffer.from(token, 'base64url').toString('utf8');
  // Only what a principal can be, so the text reaching the store is bounded and printable.
  if (encodeToken(principal) !== token || !/^[a-z0-9.-]{1,128}$/.test(principal)) throw errors.invalidParameter('NextToken');
  return principal;
}

/** The principal's maximum of delegated administrators; a principal not configured is invalid. */
function checkPrincipal(services: TrustedServices, principal: string): number {
  const max = services.get(principal);
  if (max === undefined) throw errors.invalidServicePrincipal();
  return max;
}

/**
 * Registers a member of `directory` for a service (RegisterDelegatedAdministrator, and a state
 * file's `DelegatedServices`): not the management account, and within the service's maximum.
 * False when the member administers the service already.
 */
export async function delegate(tx: Tx, directory: DirectoryRecord, accountId: string, principal: string, services: TrustedServices, now: number): Promise<boolean> {
  const max = checkPrincipal(services, principal);
  if (accountId === directory.masterAccountId) throw errors.cannotRegisterMaster();
  if (await tx.delegations.byKey(directory.id, principal, accountId)) return false;
  if ((await tx.delegations.count(directory.id, principal)) >= max) throw errors.delegatedAccountNumberExceeded();
  await tx.delegations.insert({ directoryId: directory.id, servicePrincipal: principal, accountId, enabledAt: now });
  return true;
}

/**
 * Delegated administrators of trusted services (docs/compatibility.md, "Delegated
 * administrators"): the management account registers members for services and lists them; a
 * delegated member cannot be deleted, and its delegations go when it leaves the directory
 * (src/services/members.ts). No RD action enables a trusted service, so a service counts as
 * enabled while it has a delegated administrator, since the earliest one.
 */
export class DelegationService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly options: DelegationOptions,
  ) {}

  private write<T>(callerId: string, fn: (tx: Tx, directory: DirectoryRecord) => Promise<T>): Promise<T> {
    return this.deps.store.transaction(locks.callerDirectory(callerId), async (tx) => fn(tx, await callerDirectory(tx, callerId)));
  }

  async register(callerId: string, p: { AccountId: string; ServicePrincipal: string }): Promise<void> {
    // A parameter fault first, before the caller's directory is read (docs/compatibility.md gives the order).
    checkPrincipal(this.options.trustedServices, p.ServicePrincipal);
    await this.write(callerId, async (tx, directory) => {
      const account = await requireMember(tx, directory, p.AccountId);
      if (!(await delegate(tx, directory, account.id, p.ServicePrincipal, this.options.trustedServices, this.deps.clock.now()))) throw errors.accountAlreadyRegistered();
    });
  }

  /**
   * A principal no longer configured can still be deregistered where a delegation holds it (an
   * operator shrank RDMC_TRUSTED_SERVICES); otherwise it is invalid, as at registration. Any
   * account without the delegation, in this directory, another or none, is not registered.
   */
  async deregister(callerId: string, p: { AccountId: string; ServicePrincipal: string }): Promise<void> {
    if (!idPatterns.account.test(p.AccountId)) throw errors.invalidAccountId();
    await this.write(callerId, async (tx, directory) => {
      if (await tx.delegations.delete(directory.id, p.ServicePrincipal, p.AccountId)) return;
      throw this.options.trustedServices.has(p.ServicePrincipal) ? errors.accountNotRegistered() : errors.invalidServicePrincipal();
    });
  }

  /** ListDelegatedAdministrators: a numbered page by principal, then account; a principal nobody delegated (or unknown) lists nothing. */
  async list(callerId: string, p: PageRequest & { ServicePrincipal?: string }): Promise<DelegatedAdministratorPage> {
    const { paging, offset, limit } = numbered(p);
    return this.deps.store.read(async (tx) => {
      const directory = await callerDirectory(tx, callerId);
      const principal = p.ServicePrincipal ?? null;
      const total = await tx.delegations.count(directory.id, principal);
      const administrators = offset < total ? await tx.delegations.page(directory.id, principal, offset, limit) : [];
      return { paging, total, administrators };
    });
  }

  /** ListDelegatedServicesForAccount: the member's services by principal; empty for a member that administers none. */
  async servicesOf(callerId: string, p: { AccountId: string; MaxResults?: number; NextToken?: string }): Promise<DelegatedServicePage> {
    const after = p.NextToken ? decodeToken(p.NextToken) : null;
    return this.deps.store.read(async (tx) => {
      const directory = await callerDirectory(tx, callerId);
      const account = await requireMember(tx, directory, p.AccountId);
      // Without MaxResults every service at once, as before the parameter existed (at most one per configured service).
      const limit = p.MaxResults ?? this.options.trustedServices.size + 1;
      const rows = await tx.delegations.ofAccount(directory.id, account.id, after, limit + 1);
      const services = rows.slice(0, limit);
      const nextToken = rows.length > limit ? encodeToken(services[services.length - 1]!.servicePrincipal) : undefined;
      return { services, maxResults: p.MaxResults, nextToken };
    });
  }

  /**
   * ListTrustedServiceStatus, for the management account or one of its delegated
   * administrators. `AdminAccountId` (default: the caller) names whose view: the management
   * account sees every enabled service, a delegated administrator the services it administers,
   * any other account (of this directory or not) none.
   */
  async trustedServices(callerId: string, p: PageRequest & { AdminAccountId?: string }): Promise<TrustedServicePage> {
    const { paging, offset, limit } = numbered(p);
    return this.deps.store.read(async (tx) => {
      const directory = await this.viewableDirectory(tx, callerId);
      const admin = p.AdminAccountId ?? callerId;
      if (admin === directory.masterAccountId) {
        const total = await tx.delegations.enabledServiceCount(directory.id);
        return { paging, total, services: offset < total ? await tx.delegations.enabledServices(directory.id, offset, limit) : [] };
      }
      // A member administers at most one delegation per configured service: one bounded read.
      const own = await tx.delegations.ofAccount(directory.id, admin, null, this.options.trustedServices.size + 1);
      const services = own.map((d) => ({ servicePrincipal: d.servicePrincipal, enabledAt: d.enabledAt }));
      return { paging, total: services.length, services: services.slice(offset, offset + limit) };
    });
  }

  /** The directory the caller manages, or the one where it is a delegated administrator; otherwise as if there were none. */
  private async viewableDirectory(tx: Tx, callerId: string): Promise<DirectoryRecord> {
    const managed = await tx.directories.byMasterAccount(callerId);
    if (managed) return managed;
    const member = await tx.accounts.byId(callerId);
    const directory = member?.directoryId ? await tx.directories.byId(member.directoryId) : null;
    if (directory && (await tx.delegations.ofAccount(directory.id, callerId, null, 1)).length > 0) return directory;
    throw errors.resourceDirectoryNotExists();
  }
}
