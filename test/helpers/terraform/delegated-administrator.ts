import assert from 'node:assert/strict';
import type { Provider, ResourceModel, State } from './provider.js';
import { RM20 } from './tea-rpc.js';

/**
 * alicloud_resource_manager_delegated_administrator and its data source, call by call as the
 * provider makes them (docs/compatibility.md, "Terraform"): the ID is `<account>:<principal>`;
 * Create registers; Read pages ListDelegatedAdministrators of the principal by 50 through
 * `$.Accounts.Account` until it finds the account or a page is short (an empty page is "not
 * found"); no Update (both arguments force a new resource); Delete deregisters, with no "gone"
 * rule (Terraform's refresh drops a vanished one from the state before any destroy).
 */
const PAGE_SIZE_LARGE = 50;
const forceNew = { optional: false, computed: false };

/** `ParseResourceId(id, 2)`. */
function parts(id: string): [account: string, principal: string] {
  const split = id.split(':');
  assert.equal(split.length, 2, `${id} is not <account>:<principal>`);
  return [split[0]!, split[1]!];
}

/** `$.Accounts.Account` as a list, or the provider's FailedGetAttributeMsg. */
function accountsOf(body: Record<string, any>): Array<Record<string, any>> {
  const list = body.Accounts?.Account;
  assert.ok(Array.isArray(list), '$.Accounts.Account must resolve to a list');
  return list;
}

export function delegatedAdministrator(tf: Provider): ResourceModel {
  return {
    name: 'alicloud_resource_manager_delegated_administrator',
    schema: { account_id: forceNew, service_principal: forceNew },
    create: async (config) => {
      await tf.call(RM20, 'RegisterDelegatedAdministrator', { AccountId: config.account_id as string, ServicePrincipal: config.service_principal as string });
      return `${config.account_id}:${config.service_principal}`;
    },
    read: async (id) => {
      const [account, principal] = parts(id);
      for (let page = 1; ; page++) {
        assert.ok(page < 100, 'ListDelegatedAdministrators never returns a short page');
        const list = accountsOf(await tf.call(RM20, 'ListDelegatedAdministrators', { ServicePrincipal: principal, PageNumber: page, PageSize: PAGE_SIZE_LARGE }));
        if (list.length < 1) return null;
        if (list.some((item) => String(item.AccountId) === account)) return { account_id: account, service_principal: principal };
        if (list.length < PAGE_SIZE_LARGE) return null;
      }
    },
    update: async () => {
      // Every argument forces a new resource: Terraform never calls an update.
    },
    delete: async (id) => {
      const [account, principal] = parts(id);
      await tf.call(RM20, 'DeregisterDelegatedAdministrator', { AccountId: account, ServicePrincipal: principal });
    },
  };
}

/** data.alicloud_resource_manager_delegated_administrators: pages of `page_size` (50) until a short one, then the `ids` filter. */
export async function delegatedAdministrators(tf: Provider, args: { ids?: string[]; service_principal?: string } = {}) {
  const objects: Array<Record<string, any>> = [];
  for (let page = 1; ; page++) {
    assert.ok(page < 100, 'ListDelegatedAdministrators never returns a short page');
    const list = accountsOf(await tf.call(RM20, 'ListDelegatedAdministrators', { ServicePrincipal: args.service_principal, PageNumber: page, PageSize: PAGE_SIZE_LARGE }));
    for (const item of list) if (!args.ids?.length || args.ids.includes(`${item.AccountId}:${item.ServicePrincipal}`)) objects.push(item);
    if (list.length < PAGE_SIZE_LARGE) break;
  }
  const administrators: State[] = objects.map((o) => ({
    account_id: o.AccountId,
    delegation_enabled_time: o.DelegationEnabledTime,
    id: `${o.AccountId}:${o.ServicePrincipal}`,
    service_principal: String(o.ServicePrincipal),
  }));
  return { ids: administrators.map((a) => a.id as string), administrators };
}
