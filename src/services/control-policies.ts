import {
  CONTROL_POLICY_LIMITS,
  SYSTEM_POLICY,
  SYSTEM_POLICY_ID,
  checkControlPolicyDocument,
  checkEffectScope,
  checkPolicyDescription,
  checkPolicyName,
  parseLanguage,
  systemPolicyDescription,
  type PolicyLanguage,
} from '../domain/control-policy-rules.js';
import { errors } from '../domain/errors.js';
import { idPatterns } from '../domain/ids.js';
import type { TagParam } from '../domain/tag-rules.js';
import type { ControlPolicyAttachmentRecord, ControlPolicyRecord, ControlPolicyTargetType, DirectoryRecord } from '../storage/records.js';
import type { Tx } from '../storage/store.js';
import { locks } from '../storage/locks.js';
import { callerDirectory, toPage, type PageRequest, type ServiceDeps } from './deps.js';
import { tagConditions, tagsToWrite, writeTags, type TagService, type TagView } from './tags.js';
import type { TenantLanes } from './tenant-lanes.js';

/** A policy as answers show it: a custom one, or the system policy as this directory sees it. */
export interface ControlPolicyView {
  id: string;
  name: string;
  description: string;
  effectScope: 'RAM' | 'All';
  document: string;
  policyType: 'System' | 'Custom';
  attachmentCount: number;
  createTime: number;
  updateTime: number;
  tags: TagView[];
}

export interface ControlPolicyPage {
  policies: ControlPolicyView[];
  total: number;
  paging: { pageNumber: number; pageSize: number };
}

/** One attachment of a target, with its policy (ListControlPolicyAttachmentsForTarget). */
export type TargetAttachment = ControlPolicyAttachmentRecord & { policy: ControlPolicyView };

/** One target of a policy, with its name (ListTargetAttachmentsForControlPolicy). */
export type PolicyTarget = ControlPolicyAttachmentRecord & { targetName: string };

export interface PolicyTargetPage {
  targets: PolicyTarget[];
  total: number;
  paging: { pageNumber: number; pageSize: number };
}

interface Target {
  id: string;
  type: ControlPolicyTargetType;
  name: string;
}

/** Whether the directory's control-policy switch is on (a directory that never set it has it off). */
const enabledIn = async (tx: Tx, directoryId: string) => (await tx.directorySettings.get(directoryId))?.controlPolicyStatus === 'Enabled';

/**
 * Attaches the system policy to targets that just joined the directory (a new folder, a created
 * member, an invited member that accepted), when the feature is enabled: the one place that says
 * so, for every path that adds a target. One statement whatever the number of targets.
 */
export async function attachSystemPolicyToNewTargets(tx: Tx, directoryId: string, targets: Array<{ id: string; type: ControlPolicyTargetType }>, now: number) {
  if (targets.length === 0) return;
  if (!(await enabledIn(tx, directoryId))) return;
  await tx.controlPolicies.attachMany(directoryId, SYSTEM_POLICY_ID, targets, now);
}

/** A target (folder or member) leaves the directory: its attachments go with it. */
export async function dropTargetAttachments(tx: Tx, directoryId: string, targetIds: string[]) {
  await tx.controlPolicies.detachAll(directoryId, targetIds);
}

/**
 * The switch's side effects, set-based: enabling attaches the system policy to the Root, every
 * folder and every member (one statement); disabling drops every attachment and keeps the policies.
 */
export async function applyControlPolicySwitch(tx: Tx, directoryId: string, enabled: boolean, now: number) {
  if (enabled) await tx.controlPolicies.attachEverywhere(directoryId, SYSTEM_POLICY_ID, now);
  else await tx.controlPolicies.detachAll(directoryId, null);
}

/** Create, read, update, delete, list, attach and detach control policies (docs/reference/control-policies.md). */
export class ControlPolicyService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly tags: TagService,
    private readonly lists: TenantLanes,
  ) {}

  /** The system policy as a directory sees it: it exists since the directory does. */
  private systemView(directory: DirectoryRecord, language: PolicyLanguage, attachmentCount: number): ControlPolicyView {
    return {
      ...SYSTEM_POLICY,
      description: systemPolicyDescription(language),
      policyType: 'System',
      attachmentCount,
      createTime: directory.createTime,
      updateTime: directory.createTime,
      tags: [],
    };
  }

  private customView(p: ControlPolicyRecord, attachmentCount: number, tags: TagView[] = []): ControlPolicyView {
    return { id: p.id, name: p.name, description: p.description, effectScope: p.effectScope, document: p.document, policyType: 'Custom', attachmentCount, createTime: p.createTime, updateTime: p.updateTime, tags };
  }

  /** A policy of the directory by ID: the system one or a custom one; another directory's is as missing as one that never was. */
  private async view(tx: Tx, directory: DirectoryRecord, policyId: string, language: PolicyLanguage): Promise<ControlPolicyView> {
    const counts = await tx.controlPolicies.attachmentCounts(directory.id, [policyId]);
    if (policyId === SYSTEM_POLICY_ID) return this.systemView(directory, language, counts.get(policyId) ?? 0);
    const custom = await tx.controlPolicies.byId(directory.id, policyId);
    if (!custom) throw errors.controlPolicyNotExists();
    return this.customView(custom, counts.get(policyId) ?? 0);
  }

  /** That a policy of the directory has this ID (the system one, or a custom one), without counting its attachments. */
  private async requirePolicy(tx: Tx, directory: DirectoryRecord, policyId: string): Promise<void> {
    if (policyId !== SYSTEM_POLICY_ID && !(await tx.controlPolicies.byId(directory.id, policyId))) throw errors.controlPolicyNotExists();
  }

  /** A custom policy the caller may change: the system policy is refused, a missing one is not found. */
  private async requireCustom(tx: Tx, directory: DirectoryRecord, policyId: string): Promise<ControlPolicyRecord> {
    if (policyId === SYSTEM_POLICY_ID) throw errors.systemControlPolicy();
    const custom = await tx.controlPolicies.byId(directory.id, policyId);
    if (!custom) throw errors.controlPolicyNotExists();
    return custom;
  }

  /** A folder (the Root included) or member of the directory; anything else is the documented 404. */
  private async requireTarget(tx: Tx, directory: DirectoryRecord, targetId: string): Promise<Target> {
    if (idPatterns.rootFolder.test(targetId) || idPatterns.folder.test(targetId)) {
      const folder = await tx.folders.byId(directory.id, targetId);
      if (folder) return { id: folder.id, type: folder.parentId === null ? 'Root' : 'Folder', name: folder.name };
    } else if (idPatterns.account.test(targetId)) {
      const account = await tx.accounts.byId(targetId);
      if (account && account.directoryId === directory.id) return { id: account.id, type: 'Account', name: account.displayName };
    }
    throw errors.targetNotExists();
  }

  private write<T>(callerId: string, fn: (tx: Tx, directory: DirectoryRecord) => Promise<T>): Promise<T> {
    return this.deps.store.transaction(locks.callerDirectory(callerId), async (tx) => fn(tx, await callerDirectory(tx, callerId)));
  }

  private read<T>(callerId: string, fn: (tx: Tx, directory: DirectoryRecord) => Promise<T>): Promise<T> {
    return this.deps.store.read(async (tx) => fn(tx, await callerDirectory(tx, callerId)));
  }

  async create(
    callerId: string,
    p: { PolicyName: string; PolicyDocument: string; EffectScope: string; Description?: string; Tag?: TagParam[] },
  ): Promise<ControlPolicyView> {
    const name = checkPolicyName(p.PolicyName, 'PolicyName');
    const description = checkPolicyDescription(p.Description ?? '', 'Description');
    const effectScope = checkEffectScope(p.EffectScope);
    const document = checkControlPolicyDocument(p.PolicyDocument, 'PolicyDocument');
    const tags = tagsToWrite(p.Tag ?? []);
    return this.write(callerId, async (tx, directory) => {
      if ((await tx.controlPolicies.count(directory.id, null)) >= CONTROL_POLICY_LIMITS.perDirectory) throw errors.controlPolicyQuotaExceeded();
      if (await tx.controlPolicies.byName(directory.id, name)) throw errors.controlPolicyNameAlreadyUsed();
      const now = this.deps.clock.now();
      const policy: ControlPolicyRecord = { id: this.deps.ids.controlPolicyId(), directoryId: directory.id, name, description, effectScope, document, createTime: now, updateTime: now };
      await tx.controlPolicies.insert(policy);
      await writeTags(tx, directory.id, 'ControlPolicy', [policy.id], tags);
      return this.customView(policy, 0);
    });
  }

  async get(callerId: string, p: { PolicyId: string; Language?: string }): Promise<ControlPolicyView> {
    const language = parseLanguage(p.Language);
    return this.read(callerId, (tx, directory) => this.view(tx, directory, p.PolicyId, language));
  }

  /** UpdateControlPolicy: what is given changes; a new name must be free in the directory. */
  async update(callerId: string, p: { PolicyId: string; NewPolicyName?: string; NewDescription?: string; NewPolicyDocument?: string }): Promise<ControlPolicyView> {
    const name = p.NewPolicyName === undefined ? undefined : checkPolicyName(p.NewPolicyName, 'NewPolicyName');
    const description = p.NewDescription === undefined ? undefined : checkPolicyDescription(p.NewDescription, 'NewDescription');
    const document = p.NewPolicyDocument === undefined ? undefined : checkControlPolicyDocument(p.NewPolicyDocument, 'NewPolicyDocument');
    return this.write(callerId, async (tx, directory) => {
      const policy = await this.requireCustom(tx, directory, p.PolicyId);
      if (name !== undefined && name !== policy.name && (await tx.controlPolicies.byName(directory.id, name))) throw errors.controlPolicyNameAlreadyUsed();
      const updated: ControlPolicyRecord = {
        ...policy,
        name: name ?? policy.name,
        description: description ?? policy.description,
        document: document ?? policy.document,
        updateTime: this.deps.clock.now(),
      };
      await tx.controlPolicies.update(updated);
      return this.customView(updated, (await tx.controlPolicies.attachmentCounts(directory.id, [policy.id])).get(policy.id) ?? 0);
    });
  }

  /** DeleteControlPolicy: a custom policy attached nowhere; its tags go with it. */
  async delete(callerId: string, policyId: string): Promise<void> {
    await this.write(callerId, async (tx, directory) => {
      const policy = await this.requireCustom(tx, directory, policyId);
      if ((await tx.controlPolicies.countTargets(directory.id, policy.id)) > 0) throw errors.controlPolicyAttached();
      await tx.tags.remove(directory.id, 'ControlPolicy', [policy.id], null);
      await tx.controlPolicies.delete(directory.id, policy.id);
    });
  }

  /**
   * ListControlPolicies: the system policy first (it has no tags, so a tag filter leaves it
   * out), then the custom ones in creation order.
   */
  async list(callerId: string, p: PageRequest & { PolicyType?: string; Language?: string; Tag?: TagParam[] }): Promise<ControlPolicyPage> {
    if (p.PolicyType !== undefined && p.PolicyType !== 'System' && p.PolicyType !== 'Custom') throw errors.invalidParameter('PolicyType');
    const language = parseLanguage(p.Language);
    const conditions = tagConditions(p.Tag);
    const paging = { pageNumber: p.PageNumber, pageSize: p.PageSize };
    return this.lists.run(callerId, () =>
      this.read(callerId, async (tx, directory) => {
        const withSystem = p.PolicyType !== 'Custom' && conditions === null;
        const withCustom = p.PolicyType !== 'System' && conditions !== 'none';
        const filter = conditions === 'none' ? null : conditions;
        const customTotal = withCustom ? await tx.controlPolicies.count(directory.id, filter) : 0;
        const { offset, limit } = toPage(p);
        const systemShown = withSystem && offset === 0;
        const customOffset = withSystem ? Math.max(offset - 1, 0) : offset;
        const customLimit = systemShown ? limit - 1 : limit;
        const customs = withCustom && customLimit > 0 && customOffset < customTotal ? await tx.controlPolicies.page(directory.id, filter, { offset: customOffset, limit: customLimit }) : [];
        const ids = [...(systemShown ? [SYSTEM_POLICY_ID] : []), ...customs.map((c) => c.id)];
        const counts = await tx.controlPolicies.attachmentCounts(directory.id, ids);
        const tags = await this.tags.viewsFor(tx, directory.id, 'ControlPolicy', customs.map((c) => c.id));
        const policies = [
          ...(systemShown ? [this.systemView(directory, language, counts.get(SYSTEM_POLICY_ID) ?? 0)] : []),
          ...customs.map((c) => this.customView(c, counts.get(c.id) ?? 0, tags.get(c.id) ?? [])),
        ];
        return { policies, total: customTotal + (withSystem ? 1 : 0), paging };
      }),
    );
  }

  /** AttachControlPolicy: only while the feature is enabled, once per target, 10 custom policies at most. */
  async attach(callerId: string, p: { PolicyId: string; TargetId: string }): Promise<void> {
    await this.write(callerId, async (tx, directory) => {
      await this.requirePolicy(tx, directory, p.PolicyId);
      const target = await this.requireTarget(tx, directory, p.TargetId);
      if (!(await enabledIn(tx, directory.id))) throw errors.controlPolicyEnablement();
      const attached = await tx.controlPolicies.forTarget(directory.id, target.id);
      if (attached.some((a) => a.policyId === p.PolicyId)) throw errors.controlPolicyAlreadyAttached();
      const custom = attached.filter((a) => a.policyId !== SYSTEM_POLICY_ID).length;
      if (p.PolicyId !== SYSTEM_POLICY_ID && custom >= CONTROL_POLICY_LIMITS.customPerTarget) throw errors.controlPolicyAttachmentLimit();
      await tx.controlPolicies.attach({ directoryId: directory.id, targetId: target.id, policyId: p.PolicyId, targetType: target.type, attachTime: this.deps.clock.now() });
    });
  }

  /** DetachControlPolicy: system or custom, but never a target's last policy. */
  async detach(callerId: string, p: { PolicyId: string; TargetId: string }): Promise<void> {
    await this.write(callerId, async (tx, directory) => {
      await this.requirePolicy(tx, directory, p.PolicyId);
      const target = await this.requireTarget(tx, directory, p.TargetId);
      const attached = await tx.controlPolicies.forTarget(directory.id, target.id);
      if (!attached.some((a) => a.policyId === p.PolicyId)) throw errors.controlPolicyNotAttached();
      if (attached.length === 1) throw errors.detachLastControlPolicy();
      await tx.controlPolicies.detach(directory.id, target.id, p.PolicyId);
    });
  }

  /** ListControlPolicyAttachmentsForTarget: the policies attached to the target itself (not inherited), oldest first. */
  async forTarget(callerId: string, p: { TargetId: string; Language?: string }): Promise<TargetAttachment[]> {
    const language = parseLanguage(p.Language);
    return this.read(callerId, async (tx, directory) => {
      const target = await this.requireTarget(tx, directory, p.TargetId);
      const attached = await tx.controlPolicies.forTarget(directory.id, target.id);
      const customIds = attached.filter((a) => a.policyId !== SYSTEM_POLICY_ID).map((a) => a.policyId);
      const customs = new Map((await tx.controlPolicies.byIds(directory.id, customIds)).map((c) => [c.id, c]));
      return attached.flatMap((a) => {
        if (a.policyId === SYSTEM_POLICY_ID) return [{ ...a, policy: this.systemView(directory, language, 0) }];
        const custom = customs.get(a.policyId);
        return custom ? [{ ...a, policy: this.customView(custom, 0) }] : [];
      });
    });
  }

  /** ListTargetAttachmentsForControlPolicy: the targets a policy is attached to, oldest first, by page. */
  async targets(callerId: string, p: PageRequest & { PolicyId: string }): Promise<PolicyTargetPage> {
    return this.lists.run(callerId, () =>
      this.read(callerId, async (tx, directory) => {
        await this.requirePolicy(tx, directory, p.PolicyId);
        const total = await tx.controlPolicies.countTargets(directory.id, p.PolicyId);
        const page = toPage(p);
        const rows = page.offset < total ? await tx.controlPolicies.targets(directory.id, p.PolicyId, page) : [];
        const folderIds = rows.filter((r) => r.targetType !== 'Account').map((r) => r.targetId);
        const accountIds = rows.filter((r) => r.targetType === 'Account').map((r) => r.targetId);
        const names = new Map<string, string>([
          ...(folderIds.length ? await tx.folders.byIds(directory.id, folderIds) : []).map((f): [string, string] => [f.id, f.name]),
          ...(accountIds.length ? await tx.accounts.byIds(directory.id, accountIds) : []).map((a): [string, string] => [a.id, a.displayName]),
        ]);
        return { targets: rows.map((r) => ({ ...r, targetName: names.get(r.targetId) ?? '' })), total, paging: { pageNumber: p.PageNumber, pageSize: p.PageSize } };
      }),
    );
  }
}
