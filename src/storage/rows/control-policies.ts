import type { ControlPolicyAttachmentRecord, ControlPolicyRecord } from '../records.js';

/** A `control_policies` row as both dialects return it. */
export interface ControlPolicyRow {
  id: string;
  directory_id: string;
  name: string;
  description: string;
  effect_scope: string;
  document: string;
  create_time: number;
  update_time: number;
}

export const toControlPolicy = (r: ControlPolicyRow): ControlPolicyRecord => ({
  id: r.id,
  directoryId: r.directory_id,
  name: r.name,
  description: r.description,
  effectScope: r.effect_scope as ControlPolicyRecord['effectScope'],
  document: r.document,
  createTime: Number(r.create_time),
  updateTime: Number(r.update_time),
});

/** A `control_policy_attachments` row as both dialects return it. */
export interface ControlPolicyAttachmentRow {
  directory_id: string;
  target_id: string;
  policy_id: string;
  target_type: string;
  attach_time: number;
}

export const toControlPolicyAttachment = (r: ControlPolicyAttachmentRow): ControlPolicyAttachmentRecord => ({
  directoryId: r.directory_id,
  targetId: r.target_id,
  policyId: r.policy_id,
  targetType: r.target_type as ControlPolicyAttachmentRecord['targetType'],
  attachTime: Number(r.attach_time),
});
