import { action, asVersion, type ActionDefinition } from '../action.js';
import { directorySettingsActions, memberAccountActions, tagActions } from './directory-admin.js';
import { directoryActions } from './directory.js';

type Body = Record<string, unknown>;

/** Drops fields from the object at `key` (or from each item of the list at `key.list`). */
const omitIn = (body: Body, path: string[], fields: string[]): Body => {
  const [head, ...rest] = path;
  if (head === undefined) return Object.fromEntries(Object.entries(body).filter(([k]) => !fields.includes(k)));
  const inner = body[head];
  if (Array.isArray(inner)) return { ...body, [head]: inner.map((item) => omitIn(item as Body, rest, fields)) };
  if (inner && typeof inner === 'object') return { ...body, [head]: omitIn(inner as Body, rest, fields) };
  return body;
};

const d = directoryActions;

/**
 * ResourceManager 2020-03-31: the directory actions as that version models them (the
 * ResourceDirectoryMaster 2022-04-19 handlers, reshaped), plus InitResourceDirectory. Message
 * contacts and the 2022 additions (SetMemberDisplayNameSyncStatus, UpdatePayerForAccount) do
 * not exist at this version. The shapes are in docs/compatibility.md, "Two versions".
 */
export const resourceManagerActions: Record<string, ActionDefinition> = {
  InitResourceDirectory: action({}, async ({ caller, services }) => ({
    ResourceDirectory: await services.directory.enable(caller.accountId, 'CurrentAccount'),
  })),
  // The legacy ScpStatus (what Terraform's data source reads) is the control-policy status; the sync switch came later.
  GetResourceDirectory: asVersion(d.GetResourceDirectory!, {
    shape: (body) => {
      const rd = omitIn(body.ResourceDirectory as Body, [], ['MemberAccountDisplayNameSyncStatus']);
      return { ...body, ResourceDirectory: { ...rd, ScpStatus: rd.ControlPolicyStatus } };
    },
  }),
  CreateFolder: asVersion(d.CreateFolder!, { without: ['Tag'] }),
  GetFolder: d.GetFolder!,
  UpdateFolder: d.UpdateFolder!,
  ListFoldersForParent: asVersion(d.ListFoldersForParent!, {
    without: ['Tag'],
    shape: (body) => omitIn(body, ['Folders', 'Folder'], ['Tags']),
  }),
  DeleteFolder: d.DeleteFolder!,
  CreateResourceAccount: asVersion(d.CreateResourceAccount!, { without: ['DryRun'] }),
  GetAccount: asVersion(d.GetAccount!, { shape: (body) => omitIn(body, ['Account'], ['HasSecureMobilePhone', 'SecureMobilePhone']) }),
  ListAccounts: asVersion(d.ListAccounts!, {
    without: ['MaxResults', 'NextToken', 'QueryKeyword'],
    shape: (body) => omitIn(body, ['Accounts', 'Account'], ['AccountName', 'DeletionStatus']),
  }),
  ListAccountsForParent: d.ListAccountsForParent!,
  MoveAccount: d.MoveAccount!,
  ListAncestors: d.ListAncestors!,
  ...directorySettingsActions,
  ...memberAccountActions,
  ...tagActions,
};
