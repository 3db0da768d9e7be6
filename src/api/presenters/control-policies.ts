import type { ControlPolicyPage, ControlPolicyView, PolicyTargetPage, TargetAttachment } from '../../services/control-policies.js';
import type { DirectorySwitches } from '../../services/directory-settings.js';
import type { Presenter } from '../action.js';
import type { controlPolicyActions } from '../actions/control-policies.js';
import { nothing, object, objects, secondsTimeOf, text, type Answer } from './answer.js';
import { controlPolicy, pageField, wrappedTags } from './shared.js';

/**
 * Control-policy answers, alike at ResourceManager 2020-03-31 and ResourceDirectoryMaster
 * 2022-04-19 but for the tags of ListControlPolicies' items (2022-04-19 only). Dates are to the
 * second, `AttachmentCount` is a string, lists are wrapper objects, as the API models declare.
 */
const field = {
  AttachmentCount: text((p: ControlPolicyView) => String(p.attachmentCount)),
  CreateDate: secondsTimeOf((p: ControlPolicyView) => p.createTime),
  Description: text((p: ControlPolicyView) => p.description),
  EffectScope: text((p: ControlPolicyView) => p.effectScope),
  PolicyDocument: text((p: ControlPolicyView) => p.document),
  PolicyId: text((p: ControlPolicyView) => p.id),
  PolicyName: text((p: ControlPolicyView) => p.name),
  PolicyType: text((p: ControlPolicyView) => p.policyType),
  UpdateDate: secondsTimeOf((p: ControlPolicyView) => p.updateTime),
};

/** A policy without its document: Create's, Update's and each list item's. */
const summary: Answer<ControlPolicyView> = {
  AttachmentCount: field.AttachmentCount,
  CreateDate: field.CreateDate,
  Description: field.Description,
  EffectScope: field.EffectScope,
  PolicyId: field.PolicyId,
  PolicyName: field.PolicyName,
  PolicyType: field.PolicyType,
  UpdateDate: field.UpdateDate,
};

const written: Answer<ControlPolicyView> = { ControlPolicy: object(summary, (p: ControlPolicyView) => p) };

const policyPage = (item: Answer<ControlPolicyView>): Answer<ControlPolicyPage> => ({
  TotalCount: pageField.TotalCount,
  PageNumber: pageField.PageNumber,
  PageSize: pageField.PageSize,
  ControlPolicies: object({ ControlPolicy: objects(item, (p: ControlPolicyPage) => p.policies) }, (p: ControlPolicyPage) => p),
});

const attachment: Answer<TargetAttachment> = {
  AttachDate: secondsTimeOf((a: TargetAttachment) => a.attachTime),
  Description: text((a: TargetAttachment) => a.policy.description),
  EffectScope: text((a: TargetAttachment) => a.policy.effectScope),
  PolicyId: text((a: TargetAttachment) => a.policy.id),
  PolicyName: text((a: TargetAttachment) => a.policy.name),
  PolicyType: text((a: TargetAttachment) => a.policy.policyType),
};

type TargetItem = PolicyTargetPage['targets'][number];
const target: Answer<TargetItem> = {
  AttachDate: secondsTimeOf((t: TargetItem) => t.attachTime),
  TargetId: text((t: TargetItem) => t.targetId),
  TargetName: text((t: TargetItem) => t.targetName),
  TargetType: text((t: TargetItem) => t.targetType),
};

/** Every control-policy answer; `listItem` is the version's ListControlPolicies item. */
export const controlPolicyAnswers = (listItem: Answer<ControlPolicyView>): Presenter<typeof controlPolicyActions> => ({
  GetControlPolicyEnablementStatus: controlPolicy satisfies Answer<DirectorySwitches>,
  CreateControlPolicy: written,
  GetControlPolicy: {
    ControlPolicy: object(
      {
        AttachmentCount: field.AttachmentCount,
        CreateDate: field.CreateDate,
        Description: field.Description,
        EffectScope: field.EffectScope,
        PolicyDocument: field.PolicyDocument,
        PolicyId: field.PolicyId,
        PolicyName: field.PolicyName,
        PolicyType: field.PolicyType,
        UpdateDate: field.UpdateDate,
      },
      (p: ControlPolicyView) => p,
    ),
  },
  UpdateControlPolicy: written,
  DeleteControlPolicy: nothing,
  ListControlPolicies: policyPage(listItem),
  AttachControlPolicy: nothing,
  DetachControlPolicy: nothing,
  ListControlPolicyAttachmentsForTarget: {
    ControlPolicyAttachments: object({ ControlPolicyAttachment: objects(attachment, (a: TargetAttachment[]) => a) }, (a: TargetAttachment[]) => a),
  },
  ListTargetAttachmentsForControlPolicy: {
    TotalCount: pageField.TotalCount,
    PageNumber: pageField.PageNumber,
    PageSize: pageField.PageSize,
    TargetAttachments: object({ TargetAttachment: objects(target, (p: PolicyTargetPage) => p.targets) }, (p: PolicyTargetPage) => p),
  },
});

/** ListControlPolicies items at 2020-03-31 (no tags) and 2022-04-19 (tags, wrapped). */
export const controlPolicyItem2020 = summary;
export const controlPolicyItem2022: Answer<ControlPolicyView> = { ...summary, Tags: wrappedTags };
