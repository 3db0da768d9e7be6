import { SYSTEM_POLICY, SYSTEM_POLICY_ID } from '../domain/control-policy-rules.js';
import type { AttachedPolicy } from '../domain/policy-evaluation.js';
import type { AttachedPolicySource } from './guardrails.js';

const SYSTEM: AttachedPolicy = { ...SYSTEM_POLICY, type: 'System' };

/**
 * The control policies attached to an account's chain, from storage: the chain's attachments
 * in one statement, then the custom policies they name in one more (the system policy is not
 * stored: its document is rdmc's, src/domain/control-policy-rules.ts).
 */
export const storedPolicies: AttachedPolicySource = {
  async attachedTo(tx, directoryId, targetIds) {
    const attachments = await tx.controlPolicies.forTargets(directoryId, targetIds);
    const customIds = [...new Set(attachments.map((a) => a.policyId).filter((id) => id !== SYSTEM_POLICY_ID))];
    const policies = new Map<string, AttachedPolicy>([[SYSTEM_POLICY_ID, SYSTEM]]);
    for (const p of await tx.controlPolicies.byIds(directoryId, customIds)) {
      policies.set(p.id, { id: p.id, name: p.name, type: 'Custom', effectScope: p.effectScope, document: p.document });
    }
    const attached = new Map<string, AttachedPolicy[]>();
    for (const a of attachments) {
      const policy = policies.get(a.policyId);
      if (!policy) continue;
      const list = attached.get(a.targetId);
      if (list) list.push(policy);
      else attached.set(a.targetId, [policy]);
    }
    return attached;
  },
};
