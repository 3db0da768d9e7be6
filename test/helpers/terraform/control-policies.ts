import assert from 'node:assert/strict';
import { computed, optional, orGone, poll, required, type Provider, type ResourceModel, type State } from './provider.js';
import { RDM22, RM20 } from './tea-rpc.js';

/**
 * alicloud_resource_manager_control_policy, _control_policy_attachment and their data sources,
 * call by call as the provider makes them (the research note's section 2.1): policies on
 * ResourceManager 2020-03-31, their tags on ResourceDirectoryMaster 2022-04-19 with
 * ResourceType=ControlPolicy.
 */
export function controlPolicyModels(tf: Provider) {
  const policy: ResourceModel = {
    name: 'alicloud_resource_manager_control_policy',
    schema: { control_policy_name: required, description: optional, effect_scope: required, policy_document: required, tags: optional, create_time: computed },
    create: async (config) => {
      const body = await tf.call(RM20, 'CreateControlPolicy', {
        PolicyName: config.control_policy_name as string,
        PolicyDocument: config.policy_document as string,
        EffectScope: config.effect_scope as string,
        Description: config.description as string | undefined,
      });
      const id = String(body.ControlPolicy?.PolicyId);
      await policy.update(id, {}, config, true);
      return id;
    },
    read: async (id) => {
      const body = await orGone(() => tf.call(RM20, 'GetControlPolicy', { PolicyId: id }), ['EntityNotExists.ControlPolicy']);
      if (!body) return null;
      const p = body.ControlPolicy;
      return {
        control_policy_name: p.PolicyName,
        create_time: p.CreateDate,
        description: p.Description,
        effect_scope: p.EffectScope,
        policy_document: p.PolicyDocument,
        tags: await tf.listTags(RDM22, 'ControlPolicy', id),
      };
    },
    update: async (id, before, after, isNew = false) => {
      if (!isNew && (after.control_policy_name !== before.control_policy_name || after.policy_document !== before.policy_document || after.description !== before.description)) {
        // Name and document always, the description only when it changed.
        await tf.call(RM20, 'UpdateControlPolicy', {
          PolicyId: id,
          NewPolicyName: after.control_policy_name as string,
          NewPolicyDocument: after.policy_document as string,
          NewDescription: after.description !== before.description ? (after.description as string | undefined) ?? '' : undefined,
        });
      }
      const was = (before.tags as Record<string, string>) ?? {};
      const now = (after.tags as Record<string, string>) ?? {};
      if (JSON.stringify(was) !== JSON.stringify(now)) await tf.setTags('ControlPolicy', id, was, now);
    },
    delete: async (id) => {
      await orGone(() => tf.call(RM20, 'DeleteControlPolicy', { PolicyId: id }), ['EntityNotExists.ControlPolicy']);
    },
  };

  /** The target's direct attachments, `$.ControlPolicyAttachments.ControlPolicyAttachment[*]`. */
  const attachedTo = async (targetId: string, language?: string) => {
    const body = await tf.call(RM20, 'ListControlPolicyAttachmentsForTarget', { TargetId: targetId, Language: language });
    const list = body.ControlPolicyAttachments?.ControlPolicyAttachment as Array<Record<string, string>>;
    assert.ok(Array.isArray(list), '$.ControlPolicyAttachments.ControlPolicyAttachment must resolve to a list');
    return list;
  };
  const split = (id: string) => {
    const [policyId, targetId] = id.split(':');
    return { policyId: policyId!, targetId: targetId! };
  };

  const attachment: ResourceModel = {
    name: 'alicloud_resource_manager_control_policy_attachment',
    schema: { policy_id: required, target_id: required },
    create: async (config) => {
      const { policy_id: policyId, target_id: targetId } = config as Record<string, string>;
      await tf.call(RM20, 'AttachControlPolicy', { TargetId: targetId, PolicyId: policyId });
      // Polls until the item of the policy shows PolicyType "Custom".
      await poll(async () => (await attachedTo(targetId!)).find((a) => a.PolicyId === policyId)?.PolicyType ?? '', ['Custom']);
      return `${policyId}:${targetId}`;
    },
    read: async (id) => {
      const { policyId, targetId } = split(id);
      const list = await orGone(() => attachedTo(targetId), ['EntityNotExists.Target']);
      const item = list?.find((a) => a.PolicyId === policyId);
      return item ? { policy_id: policyId, target_id: targetId } : null;
    },
    update: async () => assert.fail('every attribute is ForceNew'),
    delete: async (id) => {
      const { policyId, targetId } = split(id);
      await orGone(() => tf.call(RM20, 'DetachControlPolicy', { TargetId: targetId, PolicyId: policyId }), ['EntityNotExists.Target']);
    },
  };

  /** data.alicloud_resource_manager_control_policies: pages of 50 until a short one, the filters, details by GetControlPolicy. */
  async function policies(args: { ids?: string[]; name_regex?: string; policy_type?: string; language?: string; enable_details?: boolean }) {
    const items: Array<Record<string, any>> = [];
    for (let page = 1; ; page++) {
      assert.ok(page < 100, 'ListControlPolicies never returns a short page');
      const body = await tf.call(RM20, 'ListControlPolicies', { PageSize: 50, PageNumber: page, PolicyType: args.policy_type, Language: args.language });
      const list = body.ControlPolicies?.ControlPolicy as Array<Record<string, any>>;
      assert.ok(Array.isArray(list), '$.ControlPolicies.ControlPolicy must resolve to a list');
      items.push(...list);
      if (list.length < 50) break;
    }
    const regex = args.name_regex ? new RegExp(args.name_regex) : null;
    const kept = items.filter((p) => (!args.ids || args.ids.includes(p.PolicyId)) && (!regex || regex.test(p.PolicyName)));
    const out: State[] = [];
    for (const p of kept) {
      const document = args.enable_details ? String((await tf.call(RM20, 'GetControlPolicy', { PolicyId: p.PolicyId, Language: args.language })).ControlPolicy.PolicyDocument) : '';
      out.push({
        id: p.PolicyId,
        attachment_count: String(p.AttachmentCount),
        control_policy_id: p.PolicyId,
        control_policy_name: p.PolicyName,
        description: p.Description,
        effect_scope: p.EffectScope,
        policy_document: document,
        policy_type: p.PolicyType,
      });
    }
    return { ids: out.map((p) => p.id as string), names: out.map((p) => p.control_policy_name as string), policies: out };
  }

  /** data.alicloud_resource_manager_control_policy_attachments: one call for the target. */
  async function attachments(args: { target_id: string; language?: string; policy_type?: string }) {
    const list = (await attachedTo(args.target_id, args.language)).filter((a) => !args.policy_type || a.PolicyType === args.policy_type);
    return list.map((a) => ({
      id: a.PolicyId,
      attach_date: a.AttachDate,
      description: a.Description,
      effect_scope: a.EffectScope,
      policy_id: a.PolicyId,
      policy_name: a.PolicyName,
      policy_type: a.PolicyType,
    }));
  }

  return { policy, attachment, policies, attachments };
}
