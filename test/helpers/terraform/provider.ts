import assert from 'node:assert/strict';
import { RDM22, RM20, STS, TeaError, type RpcBody, type RpcPost } from './tea-rpc.js';

/**
 * The alicloud provider's resources and data sources for the resource directory, call by
 * call as it makes them (its Create, Read, Update and Delete, with their error rules and
 * polling loops), so the replay tests can run Terraform's sequences against rdmc with the
 * provider's own expectations. What rdmc must hold for each is in docs/compatibility.md.
 */

export type Attr = string | Record<string, string> | string[] | boolean;
export type State = Record<string, Attr>;

/** `NotFoundError`: HTTP 404, or NotFound in the message. */
export const isNotFound = (err: unknown) => err instanceof TeaError && (err.statusCode === 404 || /NotFound/.test(err.message));

/** `IsExpectedErrors`: the code, a code the wanted one starts with, or the code anywhere in the body. */
export const isExpected = (err: unknown, codes: string[]) =>
  err instanceof TeaError && codes.some((c) => err.code === c || c.startsWith(err.code) || JSON.stringify(err.data).includes(c));

/**
 * `NeedRetry`: every 5xx and every Throttling or ServiceUnavailable code. The provider retries
 * those until the step times out (5 minutes), so against rdmc any of them is a failure.
 */
function refuseRetryable(err: unknown): never {
  if (err instanceof TeaError && (err.statusCode >= 500 || /Throttling|ServiceUnavailable/.test(err.code))) {
    assert.fail(`the provider would retry ${err.code} for five minutes: ${err.message}`);
  }
  throw err;
}

/** A describe call whose "gone" errors (these codes, or any 404) mean the resource no longer exists: null. */
export async function orGone<T>(call: () => Promise<T>, codes: string[]): Promise<T | null> {
  try {
    return await call();
  } catch (err) {
    if (isExpected(err, codes) || isNotFound(err)) return null;
    throw err;
  }
}

/** A poll loop of BuildStateConf: rdmc applies every change at once, so the target must come within a few reads. */
export async function poll(read: () => Promise<string>, targets: string[], fails: string[] = []): Promise<string> {
  let last = '';
  for (let i = 0; i < 3; i++) {
    last = await read();
    if (fails.includes(last)) assert.fail(`polling reached the fail state ${last}`);
    if (targets.includes(last)) return last;
  }
  return assert.fail(`polling never reached ${targets.join('/')} (last: ${last})`);
}

/** `tagsToMap`: TagKey/TagValue (or Key/Value), without the provider's reserved prefixes. */
function tagsToMap(items: unknown): Record<string, string> {
  if (items === undefined || items === null) return {};
  assert.ok(Array.isArray(items), 'TagResources must be a list');
  const out: Record<string, string> = {};
  for (const t of items as Array<Record<string, string>>) {
    const key = t.TagKey ?? t.Key!;
    if (/^(aliyun|acs:|https?:\/\/|sae\.do\.not\.delete)/.test(key)) continue;
    out[key] = t.TagValue ?? t.Value ?? '';
  }
  return out;
}

export class Provider {
  constructor(
    private readonly rpc: RpcPost,
    /** The provider block's region: GetPayerForAccount and GetAccount of the old service send it. */
    private readonly region = 'cn-hangzhou',
  ) {}

  /** An RpcPost inside resource.Retry: `retryOn` codes would be retried; here they fail, as would NeedRetry. */
  async call(version: string, action: string, body: RpcBody = {}): Promise<Record<string, any>> {
    try {
      return await this.rpc(version, action, body);
    } catch (err) {
      return refuseRetryable(err);
    }
  }

  /** The ListTagResources loop: it goes on while NextToken is anything but absent or null. */
  async listTags(version: string, type: 'Account' | 'Folder' | 'ControlPolicy', id: string): Promise<Record<string, string>> {
    const all: unknown[] = [];
    let token: string | undefined;
    for (let page = 0; ; page++) {
      assert.ok(page < 10, 'ListTagResources never stops paging (an empty NextToken loops the provider forever)');
      const body = await this.call(version, 'ListTagResources', { ResourceType: type, 'ResourceId.1': id, NextToken: token });
      if (body.TagResources !== undefined && body.TagResources !== null) all.push(...(body.TagResources as unknown[]));
      if (body.NextToken === undefined || body.NextToken === null) break;
      token = body.NextToken;
    }
    return tagsToMap(all);
  }

  /** `SetResourceTags(d, type)`: untag removed or changed keys, then tag the whole new map (RDM22). */
  async setTags(type: 'Account' | 'Folder' | 'ControlPolicy', id: string, before: Record<string, string>, after: Record<string, string>) {
    const removed = Object.keys(before).filter((k) => !(k in after) || after[k] !== before[k]);
    if (removed.length > 0) {
      const body: RpcBody = { ResourceType: type, 'ResourceId.1': id };
      removed.forEach((k, i) => (body[`TagKey.${i + 1}`] = k));
      await this.call(RDM22, 'UntagResources', body);
    }
    if (Object.keys(after).length > 0) {
      const body: RpcBody = { ResourceType: type, 'ResourceId.1': id };
      Object.entries(after).forEach(([k, v], i) => {
        body[`Tag.${i + 1}.Key`] = k;
        body[`Tag.${i + 1}.Value`] = v;
      });
      await this.call(RDM22, 'TagResources', body);
    }
  }

  /** data.alicloud_account: `client.AccountId()`, i.e. STS GetCallerIdentity's AccountId. */
  async callerAccount(): Promise<string> {
    return String((await this.rpc(STS, 'GetCallerIdentity')).AccountId);
  }

  // --- alicloud_resource_manager_resource_directory -------------------------------------

  readonly resourceDirectory: ResourceModel = {
    name: 'alicloud_resource_manager_resource_directory',
    schema: {
      create_time: computed,
      master_account_id: computed,
      master_account_name: computed,
      member_account_display_name_sync_status: optionalComputed,
      member_deletion_status: optionalComputed,
      root_folder_id: computed,
      status: optionalComputed,
    },
    create: async (config) => {
      const body = await this.call(RM20, 'InitResourceDirectory');
      const id = String(body.ResourceDirectory?.ResourceDirectoryId);
      await this.resourceDirectory.update(id, {}, config, true);
      return id;
    },
    read: async () => {
      const body = await orGone(() => this.call(RDM22, 'GetResourceDirectory'), ['ResourceDirectoryNotInUse']);
      if (!body) return null;
      const rd = body.ResourceDirectory;
      assert.equal(typeof rd, 'object', '$.ResourceDirectory must be an object');
      return {
        create_time: rd.CreateTime,
        master_account_id: rd.MasterAccountId,
        master_account_name: rd.MasterAccountName,
        member_account_display_name_sync_status: rd.MemberAccountDisplayNameSyncStatus,
        member_deletion_status: rd.MemberDeletionStatus,
        root_folder_id: rd.RootFolderId,
        status: rd.ControlPolicyStatus,
      };
    },
    update: async (_id, before, after, isNew = false) => {
      const changed = (k: string) => (isNew ? after[k] !== undefined : after[k] !== undefined && after[k] !== before[k]);
      if (changed('status')) {
        const current = (await this.call(RDM22, 'GetResourceDirectory')).ResourceDirectory?.ControlPolicyStatus;
        // object["ControlPolicyStatus"].(string): anything but a string panics the provider.
        assert.equal(typeof current, 'string', 'ControlPolicyStatus must be a string (a Go type assertion)');
        const target = after.status as string;
        if (current !== target && (target === 'Enabled' || target === 'Disabled')) {
          await this.call(RM20, target === 'Enabled' ? 'EnableControlPolicy' : 'DisableControlPolicy');
          await poll(async () => (await this.call(RDM22, 'GetResourceDirectory')).ResourceDirectory.ControlPolicyStatus, [target]);
        }
      }
      if (changed('member_deletion_status')) {
        await this.call(RM20, 'SetMemberDeletionPermission', { Status: after.member_deletion_status as string });
      }
      if (changed('member_account_display_name_sync_status')) {
        await this.call(RDM22, 'SetMemberDisplayNameSyncStatus', { Status: after.member_account_display_name_sync_status as string });
      }
    },
    delete: async () => {
      await orGone(() => this.call(RM20, 'DestroyResourceDirectory'), []);
    },
  };

  /** data.alicloud_resource_manager_resource_directories: one RM20 call, no retry, no empty case. */
  async resourceDirectories(): Promise<State[]> {
    const body = await this.rpc(RM20, 'GetResourceDirectory');
    const rd = body.ResourceDirectory;
    assert.equal(typeof rd, 'object', 'response["ResourceDirectory"].(map[string]interface{})');
    const id = String(rd.ResourceDirectoryId);
    return [
      {
        id,
        resource_directory_id: id,
        master_account_id: rd.MasterAccountId,
        master_account_name: rd.MasterAccountName,
        root_folder_id: rd.RootFolderId,
        status: rd.ScpStatus,
      },
    ];
  }

  // --- alicloud_resource_manager_folder -------------------------------------------------

  readonly folder: ResourceModel = {
    name: 'alicloud_resource_manager_folder',
    schema: { folder_name: required, parent_folder_id: optionalComputed, tags: optional, create_time: computed },
    create: async (config) => {
      const body = await this.call(RM20, 'CreateFolder', { FolderName: config.folder_name as string, ParentFolderId: config.parent_folder_id as string | undefined });
      const id = String(body.Folder?.FolderId);
      await this.folder.update(id, {}, config, true);
      return id;
    },
    read: async (id) => {
      const body = await orGone(() => this.call(RM20, 'GetFolder', { FolderId: id }), ['EntityNotExists.Folder', 'EntityNotExists.ResourceDirectory']);
      if (!body) return null;
      const f = body.Folder;
      return {
        create_time: f.CreateTime,
        folder_name: f.FolderName,
        parent_folder_id: f.ParentFolderId,
        tags: await this.listTags(RDM22, 'Folder', id),
      };
    },
    update: async (id, before, after, isNew = false) => {
      if (!isNew && after.folder_name !== before.folder_name) {
        await this.call(RM20, 'UpdateFolder', { FolderId: id, NewFolderName: after.folder_name as string });
      }
      const was = (before.tags as Record<string, string>) ?? {};
      const now = (after.tags as Record<string, string>) ?? {};
      if (JSON.stringify(was) !== JSON.stringify(now)) await this.setTags('Folder', id, was, now);
    },
    delete: async (id) => {
      await orGone(() => this.call(RM20, 'DeleteFolder', { FolderId: id }), ['EntityNotExists.Folder', 'EntityNotExists.ResourceDirectory']);
    },
  };

  /** data.alicloud_resource_manager_folders: pages of 50 until a short page, then the client-side filters. */
  async folders(args: { ids?: string[]; name_regex?: string; parent_folder_id?: string; query_keyword?: string; enable_details?: boolean }) {
    const items: Array<Record<string, any>> = [];
    for (let page = 1; ; page++) {
      assert.ok(page < 100, 'ListFoldersForParent never returns a short page');
      const body = await this.call(RM20, 'ListFoldersForParent', {
        PageSize: 50,
        PageNumber: page,
        ParentFolderId: args.parent_folder_id,
        QueryKeyword: args.query_keyword,
      });
      const list = body.Folders.Folder as Array<Record<string, any>>;
      assert.ok(Array.isArray(list), '$.Folders.Folder must resolve to a list');
      items.push(...list);
      if (list.length < 50) break;
    }
    const regex = args.name_regex ? new RegExp(args.name_regex) : null;
    const kept = items.filter((f) => (!args.ids || args.ids.includes(f.FolderId)) && (!regex || regex.test(f.FolderName)));
    const folders = [];
    for (const f of kept) {
      let parent = '';
      if (args.enable_details) parent = (await this.call(RM20, 'GetFolder', { FolderId: f.FolderId })).Folder.ParentFolderId;
      folders.push({ id: f.FolderId, folder_id: f.FolderId, folder_name: f.FolderName, parent_folder_id: parent });
    }
    return { ids: folders.map((f) => f.id), names: folders.map((f) => f.folder_name), folders };
  }

  // --- alicloud_resource_manager_account ------------------------------------------------

  readonly account: ResourceModel = {
    name: 'alicloud_resource_manager_account',
    schema: {
      display_name: required,
      folder_id: optionalComputed,
      payer_account_id: optional,
      type: optionalComputed,
      tags: optional,
      account_name_prefix: optional,
      resell_account_type: optional,
      force_delete: optional,
      join_method: computed,
      join_time: computed,
      modify_time: computed,
      resource_directory_id: computed,
      status: computed,
    },
    importIgnore: ['force_delete', 'account_name_prefix', 'resell_account_type'],
    create: async (config) => {
      const body: RpcBody = {
        DisplayName: config.display_name as string,
        PayerAccountId: config.payer_account_id as string | undefined,
        ResellAccountType: config.resell_account_type as string | undefined,
        AccountNamePrefix: config.account_name_prefix as string | undefined,
        ParentFolderId: config.folder_id as string | undefined,
      };
      // ConvertTags: the provider's request["Tags"] flattens to Tags.N.Key / Tags.N.Value.
      Object.entries((config.tags as Record<string, string>) ?? {}).forEach(([k, v], i) => {
        body[`Tags.${i + 1}.Key`] = k;
        body[`Tags.${i + 1}.Value`] = v;
      });
      const id = String((await this.call(RM20, 'CreateResourceAccount', body)).Account?.AccountId);
      await this.account.update(id, {}, config, true);
      return id;
    },
    read: async (id) => {
      const body = await orGone(() => this.call(RM20, 'GetAccount', { AccountId: id }), ['EntityNotExists.Account']);
      if (!body) return null;
      const a = body.Account;
      const payer = await this.call(RM20, 'GetPayerForAccount', { RegionId: this.region, AccountId: id });
      return {
        display_name: a.DisplayName,
        folder_id: a.FolderId,
        join_method: a.JoinMethod,
        join_time: a.JoinTime,
        modify_time: a.ModifyTime,
        resource_directory_id: a.ResourceDirectoryId,
        status: a.Status,
        type: a.Type,
        payer_account_id: payer.PayerAccountId ?? '',
        tags: await this.listTags(RM20, 'Account', id),
      };
    },
    update: async (id, before, after, isNew = false) => {
      if (!isNew && after.folder_id !== undefined && after.folder_id !== before.folder_id) {
        await this.call(RM20, 'MoveAccount', { AccountId: id, DestinationFolderId: after.folder_id as string });
      }
      const typeChanged = isNew ? after.type !== undefined : after.type !== undefined && after.type !== before.type;
      const nameChanged = !isNew && after.display_name !== before.display_name;
      if (typeChanged || nameChanged) {
        await this.call(RM20, 'UpdateAccount', {
          AccountId: id,
          NewAccountType: typeChanged ? (after.type as string) : undefined,
          NewDisplayName: nameChanged ? (after.display_name as string) : undefined,
        });
      }
      if (!isNew && (after.payer_account_id ?? '') !== (before.payer_account_id ?? '')) {
        // request["PayerAccountId"] = d.Get(...): "" when the attribute was removed.
        await this.call(RDM22, 'UpdatePayerForAccount', { AccountId: id, PayerAccountId: (after.payer_account_id as string) ?? '' });
      }
      const was = (before.tags as Record<string, string>) ?? {};
      const now = (after.tags as Record<string, string>) ?? {};
      if (JSON.stringify(was) !== JSON.stringify(now)) await this.setTags('Account', id, was, now);
    },
    delete: async (id, config) => {
      let checkIds: string | undefined;
      if (config.force_delete === true) {
        await this.call(RM20, 'CheckAccountDelete', { AccountId: id });
        const status = async () => (await this.call(RM20, 'GetAccountDeletionCheckResult', { AccountId: id })).AccountDeletionCheckResultInfo.Status;
        await poll(status, ['PreCheckComplete']);
        const info = (await this.call(RM20, 'GetAccountDeletionCheckResult', { AccountId: id })).AccountDeletionCheckResultInfo;
        const ids = (info.AbandonableChecks as Array<{ CheckId: string }>).map((c) => c.CheckId);
        checkIds = ids.length > 0 ? JSON.stringify(ids) : '';
      }
      // Gone already: success, and no polling.
      const deleted = await orGone(() => this.call(RM20, 'DeleteAccount', { AccountId: id, AbandonableCheckId: checkIds }), ['EntityNotExists.ResourceDirectory']);
      if (!deleted) return;
      // DescribeAsyncResourceManagerAccountStateRefreshFunc: errors become an empty state and polling goes on.
      await poll(
        async () => {
          try {
            return String((await this.rpc(RM20, 'GetAccountDeletionStatus', { AccountId: id })).RdAccountDeletionStatus?.Status);
          } catch {
            return '';
          }
        },
        ['Success', 'Deleting'],
        ['CheckFailed', 'DeleteFailed'],
      );
    },
  };

  /** data.alicloud_resource_manager_accounts: RDM22 ListAccounts pages of 50 with IncludeTags, then the client-side filters. */
  async accounts(args: { ids?: string[]; status?: string; tags?: Record<string, string>; enable_details?: boolean }) {
    const items: Array<Record<string, any>> = [];
    const tagParams: RpcBody = {};
    Object.entries(args.tags ?? {}).forEach(([k, v], i) => {
      tagParams[`Tag.${i + 1}.Key`] = k;
      tagParams[`Tag.${i + 1}.Value`] = v;
    });
    for (let page = 1; ; page++) {
      assert.ok(page < 100, 'ListAccounts never returns a short page');
      const body = await this.call(RDM22, 'ListAccounts', { PageNumber: page, PageSize: 50, IncludeTags: true, ...tagParams });
      const list = body.Accounts.Account as Array<Record<string, any>>;
      assert.ok(Array.isArray(list), '$.Accounts.Account must resolve to a list');
      items.push(...list);
      if (list.length < 50) break;
    }
    const accounts = [];
    for (const a of items) {
      assert.equal(typeof a.Status, 'string', 'item["Status"].(string)');
      if (args.ids && !args.ids.includes(a.AccountId)) continue;
      if (args.status && a.Status !== args.status) continue;
      const tags: Record<string, string> = {};
      if (a.Tags) for (const t of a.Tags.Tag as Array<{ Key: string; Value: string }>) tags[t.Key] = t.Value;
      const mapped: Record<string, any> = {
        id: a.AccountId,
        account_id: a.AccountId,
        display_name: a.DisplayName,
        type: a.Type,
        folder_id: a.FolderId,
        resource_directory_id: a.ResourceDirectoryId,
        status: a.Status,
        join_method: a.JoinMethod,
        join_time: a.JoinTime,
        modify_time: a.ModifyTime,
        deletion_status: a.DeletionStatus,
        tags,
        account_name: '',
        payer_account_id: '',
      };
      if (args.enable_details) {
        mapped.account_name = (await this.call(RM20, 'GetAccount', { RegionId: this.region, AccountId: a.AccountId })).Account.AccountName;
        mapped.payer_account_id = (await this.call(RM20, 'GetPayerForAccount', { RegionId: this.region, AccountId: a.AccountId })).PayerAccountId;
      }
      accounts.push(mapped);
    }
    return { ids: accounts.map((a) => a.id as string), accounts };
  }

  // --- alicloud_resource_manager_message_contact ----------------------------------------

  readonly messageContact: ResourceModel = {
    name: 'alicloud_resource_manager_message_contact',
    schema: {
      email_address: required,
      message_contact_name: required,
      message_types: required,
      phone_number: optional,
      title: required,
      create_time: computed,
      status: computed,
    },
    create: async (config) => {
      const body: RpcBody = {
        EmailAddress: config.email_address as string,
        Name: config.message_contact_name as string,
        PhoneNumber: config.phone_number as string | undefined,
        Title: config.title as string,
      };
      (config.message_types as string[]).forEach((t, i) => (body[`MessageTypes.${i + 1}`] = t));
      return String((await this.call(RDM22, 'AddMessageContact', body)).Contact?.ContactId);
    },
    read: async (id) => {
      const body = await orGone(() => this.call(RDM22, 'GetMessageContact', { ContactId: id }), ['EntityNotExists.Contact']);
      if (!body) return null;
      const c = body.Contact;
      return {
        create_time: c.CreateDate,
        email_address: c.EmailAddress,
        message_contact_name: c.Name,
        phone_number: c.PhoneNumber,
        status: c.Status,
        title: c.Title,
        message_types: c.MessageTypes,
      };
    },
    update: async (id, before, after) => {
      const body: RpcBody = {
        ContactId: id,
        EmailAddress: after.email_address as string,
        Name: after.message_contact_name as string,
        Title: after.title as string,
        PhoneNumber: after.phone_number !== before.phone_number ? (after.phone_number as string) : undefined,
      };
      (after.message_types as string[]).forEach((t, i) => (body[`MessageTypes.${i + 1}`] = t));
      await this.call(RDM22, 'UpdateMessageContact', body);
    },
    delete: async (id) => {
      await orGone(() => this.call(RDM22, 'DeleteMessageContact', { ContactId: id }), ['EntityNotExists.Contact']);
    },
  };
}

export interface AttrSchema {
  optional: boolean;
  computed: boolean;
}
export const required: AttrSchema = { optional: false, computed: false };
export const optional: AttrSchema = { optional: true, computed: false };
export const computed: AttrSchema = { optional: false, computed: true };
export const optionalComputed: AttrSchema = { optional: true, computed: true };

export interface ResourceModel {
  name: string;
  schema: Record<string, AttrSchema>;
  /** Attributes an import cannot read back (ImportStateVerifyIgnore). */
  importIgnore?: string[];
  create(config: State): Promise<string>;
  read(id: string): Promise<State | null>;
  update(id: string, before: State, after: State, isNew?: boolean): Promise<void>;
  delete(id: string, config: State): Promise<void>;
}

const isEmpty = (v: Attr | undefined) =>
  v === undefined || v === '' || v === false || (Array.isArray(v) ? v.length === 0 : typeof v === 'object' && Object.keys(v).length === 0);

/**
 * What `terraform plan` would show after a refresh: every configured attribute the state
 * disagrees with, and every Optional, not Computed attribute left out of the configuration
 * that the state still holds. Write-only arguments (never read back) are skipped.
 */
export function planDiff(model: ResourceModel, config: State, state: State): string[] {
  const diffs: string[] = [];
  const writeOnly = new Set(model.importIgnore ?? []);
  for (const [name, attr] of Object.entries(model.schema)) {
    if (writeOnly.has(name)) continue;
    const want = config[name];
    const have = state[name];
    if (want !== undefined) {
      if (JSON.stringify(normalise(want)) !== JSON.stringify(normalise(have))) diffs.push(`${name}: ${JSON.stringify(have)} -> ${JSON.stringify(want)}`);
    } else if (attr.optional && !attr.computed && !isEmpty(have)) {
      diffs.push(`${name}: ${JSON.stringify(have)} -> null`);
    }
  }
  return diffs;
}

function normalise(v: Attr | undefined): unknown {
  if (v && typeof v === 'object' && !Array.isArray(v)) return Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)));
  return v;
}
