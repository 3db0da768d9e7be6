import { errors } from '../domain/errors.js';
import { directoryArn, type Identity } from '../domain/identity.js';
import { requestContext, type RequestContext } from '../domain/policy-conditions.js';
import { evaluateGuardrails, evaluateSessionPolicy, type AttachedPolicy, type ChainLevel, type Evaluation, type PrincipalType } from '../domain/policy-evaluation.js';
import type { AccountRecord, DirectoryRecord, Toggle } from '../storage/records.js';
import type { Tx } from '../storage/store.js';
import type { ServiceDeps } from './deps.js';
import { directorySettings } from './directory-settings.js';
import { folderPath, foldersUpToRoot } from './folder-chain.js';
import { folderName } from './console-names.js';

/**
 * The guardrail simulator and its enforcement on rdmc's own actions (docs/reference/guardrails.md):
 * an account's chain (the account, the folders above it, the Root) with the control policies
 * attached to each level, read in a number of statements bounded by the folder depth, then
 * judged by the pure evaluator (src/domain/policy-evaluation.ts).
 */

/** Where the policies attached to targets come from: control-policy storage. */
export interface AttachedPolicySource {
  /**
   * The policies attached to each of `targetIds` (at most the chain's 7) in the directory, in
   * attachment order, read in a bounded number of statements; a target with none is absent.
   */
  attachedTo(tx: Tx, directoryId: string, targetIds: readonly string[]): Promise<ReadonlyMap<string, readonly AttachedPolicy[]>>;
}

export interface AccountChain {
  accountId: string;
  directoryId: string;
  managementAccountId: string;
  /** The directory's management account is never restricted (docs/reference/guardrails.md). */
  managementAccount: boolean;
  controlPolicyStatus: Toggle;
  /** The account first, the Root last. */
  chain: ChainLevel[];
}

export interface SimulationRequest {
  accountId: string;
  principalType: PrincipalType;
  action: string;
  resource: string;
  context: Readonly<Record<string, string | readonly string[]>>;
}

export interface Simulation extends AccountChain {
  request: SimulationRequest;
  evaluation: Evaluation;
}

/** What enforcement knows of a request beyond its caller and action. */
export interface EnforcedRequest {
  /** `resourcemanager:CreateFolder`, `sts:AssumeRole`... */
  action: string;
  /** The ARN acted on; null for the caller's directory, `acs:resourcemanager::<management account>:rd/<directory ID>`. */
  resource: string | null;
  sourceIp: string | null;
  secureTransport: boolean;
}

export class GuardrailService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly source: AttachedPolicySource,
  ) {}

  /** The account and its directory; 404 for an account in no directory. */
  private async placed(tx: Tx, accountId: string): Promise<{ account: AccountRecord; directory: DirectoryRecord }> {
    const account = await tx.accounts.byId(accountId);
    const directory = account?.directoryId ? await tx.directories.byId(account.directoryId) : null;
    if (!account || !directory) throw errors.accountNotExists();
    return { account, directory };
  }

  /** The account's chain with what is attached at each level. */
  private async chainOf(tx: Tx, account: AccountRecord, directory: DirectoryRecord, controlPolicyStatus: Toggle): Promise<AccountChain> {
    const folders = account.folderId ? folderPath(await foldersUpToRoot(tx, directory.id, [account.folderId]), account.folderId) : [];
    const targets = [
      { kind: 'Account' as const, id: account.id, name: account.displayName },
      ...folders.reverse().map((f) => ({ kind: f.parentId === null ? ('Root' as const) : ('Folder' as const), id: f.id, name: folderName(f) })),
    ];
    const attached = await this.source.attachedTo(tx, directory.id, targets.map((t) => t.id));
    return {
      accountId: account.id,
      directoryId: directory.id,
      managementAccountId: directory.masterAccountId,
      managementAccount: directory.masterAccountId === account.id,
      controlPolicyStatus,
      chain: targets.map((t) => ({ ...t, policies: attached.get(t.id) ?? [] })),
    };
  }

  /** The policies in effect for an account, level by level. */
  async effectivePolicies(accountId: string): Promise<AccountChain> {
    return this.deps.store.read(async (tx) => {
      const { account, directory } = await this.placed(tx, accountId);
      return this.chainOf(tx, account, directory, (await directorySettings(tx, directory.id)).controlPolicyStatus);
    });
  }

  /** The decision for one request; `acs:CurrentTime` is the node's clock unless the context gives it. */
  async simulate(request: SimulationRequest): Promise<Simulation> {
    const account = await this.effectivePolicies(request.accountId);
    const context = { 'acs:CurrentTime': new Date(this.deps.clock.now()).toISOString(), ...request.context };
    const evaluation = evaluateGuardrails({ ...account, principalType: request.principalType, action: request.action, resource: request.resource, context: requestContext(context) });
    return { ...account, request: { ...request, context }, evaluation };
  }

  /**
   * The same decision on an action rdmc serves, for a RAM user or role session of a member
   * account: refused with 403 NoPermission when denied. An account's root key and the management
   * account's callers are not judged (docs/reference/guardrails.md, "Enforcement"). A role
   * session is held to its own session policy too, first, since that costs no read
   * (docs/reference/identity.md, section 6).
   */
  async enforce(caller: Identity, request: EnforcedRequest): Promise<void> {
    if (caller.type === 'Account') return;
    const context = this.contextOf(request);
    if (caller.type === 'AssumedRoleUser' && caller.policy) {
      const resource = request.resource ?? caller.policy.directoryArn;
      const decision = evaluateSessionPolicy(caller.policy.document, { action: request.action, resource, context });
      if (decision !== 'Allowed') throw errors.sessionPolicyDenied(decision, request.action);
    }
    const account = await this.deps.store.read(async (tx) => {
      const member = await tx.accounts.byId(caller.accountId);
      if (!member?.directoryId) return null;
      // The switch first: a directory with control policies off costs one more read, no chain;
      // then the management account's callers (Terraform's own provider) stop before the chain too.
      if ((await directorySettings(tx, member.directoryId)).controlPolicyStatus !== 'Enabled') return null;
      const directory = await tx.directories.byId(member.directoryId);
      if (!directory || directory.masterAccountId === member.id) return null;
      return this.chainOf(tx, member, directory, 'Enabled');
    });
    if (!account) return;
    const resource = request.resource ?? directoryArn(account.managementAccountId, account.directoryId);
    const evaluation = evaluateGuardrails({ ...account, principalType: caller.type, action: request.action, resource, context });
    if (evaluation.decision !== 'Allowed') throw errors.controlPolicyDenied(evaluation.decision, request.action);
  }

  /** The request context rdmc's actions are judged with (docs/reference/guardrails.md, "Enforcement"). */
  private contextOf(request: EnforcedRequest): RequestContext {
    const context: Record<string, string> = { 'acs:CurrentTime': new Date(this.deps.clock.now()).toISOString(), 'acs:SecureTransport': String(request.secureTransport) };
    if (request.sourceIp) context['acs:SourceIp'] = request.sourceIp;
    return requestContext(context);
  }
}
