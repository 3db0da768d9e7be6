import assert from 'node:assert/strict';
import { isExpected, orGone, poll, type Provider, type ResourceModel, type State } from './provider.js';
import { RM20 } from './tea-rpc.js';

/**
 * alicloud_resource_manager_handshake (the management account's provider),
 * alicloud_resource_manager_handshake_acceptance (the invited account's own provider) and
 * data.alicloud_resource_manager_handshakes, call by call as the alicloud provider makes them
 * (docs/compatibility.md, "Invitations"): all on ResourceManager 2020-03-31.
 */

const computed = { optional: false, computed: true };
const required = { optional: false, computed: false };
const optional = { optional: true, computed: false };

/** The attributes both resources read from a handshake. */
const fields = (h: Record<string, any>): State => ({
  expire_time: h.ExpireTime,
  master_account_id: h.MasterAccountId,
  master_account_name: h.MasterAccountName,
  modify_time: h.ModifyTime,
  note: h.Note,
  resource_directory_id: h.ResourceDirectoryId,
  status: h.Status,
  target_entity: h.TargetEntity,
  target_type: h.TargetType,
});

/** GetHandshake as both resources read it: `HandshakeStatusMismatch` means the invitation was accepted (its other fields unread). */
async function readHandshake(tf: Provider, id: string): Promise<Record<string, any> | null> {
  try {
    return (await tf.call(RM20, 'GetHandshake', { HandshakeId: id })).Handshake as Record<string, any>;
  } catch (err) {
    if (isExpected(err, ['HandshakeStatusMismatch'])) return { Status: 'Accepted' };
    if (isExpected(err, ['EntityNotExists.Handshake'])) return null;
    throw err;
  }
}

export function handshakeModel(tf: Provider): ResourceModel {
  return {
    name: 'alicloud_resource_manager_handshake',
    schema: {
      target_entity: required,
      target_type: required,
      note: optional,
      expire_time: computed,
      master_account_id: computed,
      master_account_name: computed,
      modify_time: computed,
      resource_directory_id: computed,
      status: computed,
    },
    // InviteAccountToResourceDirectory retries LimitExceeded.InvitationRate and .SameTargetInvitationRate (here they fail).
    create: async (config) => {
      const body = await tf.call(RM20, 'InviteAccountToResourceDirectory', {
        TargetType: config.target_type as string,
        TargetEntity: config.target_entity as string,
        Note: config.note as string | undefined,
      });
      return String(body.Handshake?.HandshakeId);
    },
    read: async (id) => {
      const h = await readHandshake(tf, id);
      // A cancelled invitation is gone.
      if (!h || h.Status === 'Cancelled') return null;
      return h.HandshakeId === undefined ? { status: 'Accepted' } : fields(h);
    },
    update: async () => assert.fail('every argument of the handshake forces a new resource'),
    delete: async (id, config) => {
      try {
        await tf.call(RM20, 'CancelHandshake', { HandshakeId: id });
        return;
      } catch (err) {
        if (!(isExpected(err, ['HandshakeStatusMismatch']) && config.target_type === 'Account')) throw err;
      }
      // Accepted: the member is taken out of the directory instead, and polled until gone.
      await tf.call(RM20, 'RemoveCloudAccount', { AccountId: config.target_entity as string });
      await poll(async () => {
        const found = await orGone(() => tf.call(RM20, 'GetAccount', { AccountId: config.target_entity as string }), ['EntityNotExists.Account', 'EntityNotExists.ResourceDirectory']);
        return found ? 'present' : 'gone';
      }, ['gone']);
    },
  };
}

export function handshakeAcceptanceModel(invited: Provider): ResourceModel {
  return {
    name: 'alicloud_resource_manager_handshake_acceptance',
    schema: {
      handshake_id: required,
      expire_time: computed,
      invited_account_real_name: computed,
      master_account_id: computed,
      master_account_name: computed,
      master_account_real_name: computed,
      modify_time: computed,
      note: computed,
      resource_directory_id: computed,
      status: computed,
      target_entity: computed,
      target_type: computed,
    },
    create: async (config) => {
      const id = config.handshake_id as string;
      // GetHandshake first (EntityNotExists.Handshake would be retried), then the acceptance.
      assert.ok(await readHandshake(invited, id), `handshake ${id} is not visible to the invited account`);
      await invited.call(RM20, 'AcceptHandshake', { HandshakeId: id });
      return id;
    },
    read: async (id) => {
      const h = await readHandshake(invited, id);
      // Anything but an accepted invitation is gone.
      if (!h || h.Status !== 'Accepted') return null;
      return {
        handshake_id: id,
        ...(h.HandshakeId === undefined ? { status: 'Accepted' } : fields(h)),
        invited_account_real_name: h.InvitedAccountRealName ?? '',
        master_account_real_name: h.MasterAccountRealName ?? '',
      };
    },
    update: async () => assert.fail('every argument of the acceptance forces a new resource'),
    // Acceptance cannot be undone: destroying the resource calls nothing.
    delete: async () => {},
  };
}

/**
 * data.alicloud_resource_manager_handshakes: pages of 50 until a short page, then the ids and
 * status filters (`item["Status"].(string)`); `enable_details` reads each kept one by
 * GetHandshake for the two real names, any error failing the data source.
 */
export async function handshakes(tf: Provider, args: { ids?: string[]; status?: string; enable_details?: boolean } = {}) {
  const items: Array<Record<string, any>> = [];
  for (let page = 1; ; page++) {
    assert.ok(page < 100, 'ListHandshakesForResourceDirectory never returns a short page');
    const body = await tf.call(RM20, 'ListHandshakesForResourceDirectory', { PageNumber: page, PageSize: 50 });
    const list = body.Handshakes.Handshake as Array<Record<string, any>>;
    assert.ok(Array.isArray(list), '$.Handshakes.Handshake must resolve to a list');
    items.push(...list);
    if (list.length < 50) break;
  }
  for (const h of items) assert.equal(typeof h.Status, 'string', 'item["Status"].(string)');
  const kept = items.filter((h) => (!args.ids || args.ids.includes(h.HandshakeId)) && (!args.status || h.Status === args.status));
  const found: State[] = [];
  for (const h of kept) {
    const item: State = { id: h.HandshakeId as string, handshake_id: h.HandshakeId as string, ...fields(h) };
    if (args.enable_details) {
      const detail = (await tf.call(RM20, 'GetHandshake', { HandshakeId: h.HandshakeId as string })).Handshake;
      item.invited_account_real_name = detail.InvitedAccountRealName ?? '';
      item.master_account_real_name = detail.MasterAccountRealName ?? '';
    }
    found.push(item);
  }
  return { ids: found.map((h) => h.id as string), handshakes: found };
}
