import type { Presenter } from '../action.js';
import type { contactActions } from '../actions/contacts.js';
import type { controlPolicyActions } from '../actions/control-policies.js';
import type { delegationActions } from '../actions/delegations.js';
import type { additions2022, directorySettingsActions, memberAccountActions, tagActions } from '../actions/directory-admin.js';
import type { directoryActions } from '../actions/directory.js';
import type { verificationActions } from '../actions/verification.js';
import type { ContactView } from '../../services/contact-view.js';
import type { BindingChange, ContactDeletion, ContactPage, VerificationPage } from '../../services/contacts.js';
import type { DirectorySwitches } from '../../services/directory-settings.js';
import type { AccountView, DirectoryView } from '../../services/directory.js';
import type { ContactRecord, FailReason } from '../../storage/records.js';
import { contactTime } from '../../domain/clock.js';
import { delegationAnswers } from './delegations.js';
import { contactTimeOf, nothing, object, objects, optional, text, texts, type Answer } from './answer.js';
import { controlPolicyAnswers, controlPolicyItem2022 } from './control-policies.js';
import {
  accountField,
  accountInFolder,
  accountPage,
  accountSummary,
  createAccount,
  directoryField,
  folderAnswer,
  folderListItem,
  folderPage,
  getFolder,
  listAncestors,
  newDirectory,
  pageField,
  tag,
  wrappedTags,
  administration,
} from './shared.js';

type Operations = typeof directoryActions &
  typeof directorySettingsActions &
  typeof memberAccountActions &
  typeof tagActions &
  typeof additions2022 &
  typeof contactActions &
  typeof verificationActions &
  typeof controlPolicyActions &
  typeof delegationActions;

/** The contact object of GetMessageContact and of each ListMessageContacts item. */
const contact: Answer<ContactView> = {
  ContactId: text((c: ContactView) => c.id),
  Name: text((c: ContactView) => c.name),
  EmailAddress: text((c: ContactView) => c.emailAddress),
  PhoneNumber: text((c: ContactView) => c.phoneNumber),
  Title: text((c: ContactView) => c.title),
  MessageTypes: texts((c: ContactView) => c.messageTypes),
  Members: texts((c: ContactView) => c.members),
  Status: text((c: ContactView) => c.status),
  CreateDate: contactTimeOf((c: ContactView) => c.createTime),
};

const bindingChanges: Answer<BindingChange[]> = {
  Members: objects(
    {
      ContactId: text((b: BindingChange) => b.contactId),
      MemberId: text((b: BindingChange) => b.memberId),
      ModifyDate: contactTimeOf((b: BindingChange) => b.modifiedAt),
    },
    (changes: BindingChange[]) => changes,
  ),
};

/**
 * ResourceDirectoryMaster 2022-04-19: the answer of every action it serves, rendered from
 * the services' domain values.
 */
export const resourceDirectoryMaster20220419: Presenter<Operations> = {
  EnableResourceDirectory: newDirectory,
  GetResourceDirectory: {
    ResourceDirectory: object(
      {
        ControlPolicyStatus: directoryField.ControlPolicyStatus,
        CreateTime: directoryField.CreateTime,
        IdentityInformation: directoryField.IdentityInformation,
        MasterAccountId: directoryField.MasterAccountId,
        MasterAccountName: directoryField.MasterAccountName,
        MemberAccountDisplayNameSyncStatus: directoryField.MemberAccountDisplayNameSyncStatus,
        MemberDeletionStatus: directoryField.MemberDeletionStatus,
        ResourceDirectoryId: directoryField.ResourceDirectoryId,
        RootFolderId: directoryField.RootFolderId,
      },
      (d: DirectoryView) => d,
    ),
  },
  CreateFolder: folderAnswer,
  GetFolder: getFolder,
  UpdateFolder: folderAnswer,
  ListFoldersForParent: folderPage({ ...folderListItem, Tags: wrappedTags }),
  DeleteFolder: nothing,
  CreateResourceAccount: createAccount,
  GetAccount: {
    Account: object<AccountView, AccountView>(
      {
        ...accountSummary,
        EmailStatus: accountField.empty,
        HasSecureMobilePhone: { type: 'boolean', read: () => false },
        IdentityInformation: accountField.empty,
        Location: accountField.empty,
        ResourceDirectoryPath: accountField.ResourceDirectoryPath,
        SecureMobilePhone: accountField.empty,
        Tags: objects(tag, (a: AccountView) => a.tags),
      },
      (a: AccountView) => a,
    ),
  },
  ListAccounts: accountPage({
    ...accountSummary,
    DeletionStatus: accountField.empty,
    Tags: wrappedTags,
    ResourceDirectoryPath: accountField.ResourceDirectoryPath,
  }),
  ListAccountsForParent: accountPage(accountInFolder),
  MoveAccount: nothing,
  ListAncestors: listAncestors,
  ...administration,
  ...delegationAnswers,
  SetMemberDisplayNameSyncStatus: {
    MemberAccountDisplayNameSyncStatus: text((s: DirectorySwitches) => s.settings.memberDisplayNameSyncStatus),
  },
  UpdatePayerForAccount: nothing,
  AddMessageContact: {
    Contact: object(
      { ContactId: text((c: ContactRecord) => c.id), CreateDate: contactTimeOf((c: ContactRecord) => c.createTime) },
      (c: ContactRecord) => c,
    ),
  },
  UpdateMessageContact: nothing,
  CancelMessageContactUpdate: nothing,
  GetMessageContact: { Contact: object(contact, (c: ContactView) => c) },
  ListMessageContacts: {
    TotalCount: pageField.TotalCount,
    PageNumber: pageField.PageNumber,
    PageSize: pageField.PageSize,
    Contacts: objects(
      {
        ...contact,
        // "" for a contact bound to nothing.
        AssociatedDate: text((c: ContactPage['contacts'][number]) => (c.associatedAt === null ? '' : contactTime(c.associatedAt))),
      },
      (p: ContactPage) => p.contacts,
    ),
  },
  ListMessageContactVerifications: {
    TotalCount: pageField.TotalCount,
    PageNumber: pageField.PageNumber,
    PageSize: pageField.PageSize,
    ContactVerifications: objects(
      { ContactId: text((t: VerificationPage['targets'][number]) => t.contactId), Target: text((t: VerificationPage['targets'][number]) => t.target) },
      (p: VerificationPage) => p.targets,
    ),
  },
  AssociateMembers: bindingChanges,
  DisassociateMembers: bindingChanges,
  DeleteMessageContact: { Status: text((status: 'Deleted' | 'Deleting') => status) },
  GetMessageContactDeletionStatus: {
    ContactDeletionStatus: object(
      {
        ContactId: text((s: ContactDeletion) => s.contactId),
        Status: optional(text((s: ContactDeletion) => s.deletion?.status)),
        FailReasonList: objects(
          { AccountId: text((r: FailReason) => r.AccountId), MessageTypes: texts((r: FailReason) => r.MessageTypes) },
          (s: ContactDeletion) => s.deletion?.failReasons ?? [],
        ),
      },
      (s: ContactDeletion) => s,
    ),
  },
  SendEmailVerificationForMessageContact: nothing,
  SendPhoneVerificationForMessageContact: nothing,
  ...controlPolicyAnswers(controlPolicyItem2022),
};
