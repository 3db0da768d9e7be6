import { z } from 'zod';
import { SYSTEM_POLICY_ID } from '../domain/control-policy-rules.js';
import { MESSAGE_TYPES, TITLES } from '../domain/contact-rules.js';
import { childFolderDepth } from '../domain/folder-rules.js';

/**
 * The declarative state file of `rdmc serve --init`, `rdmc export` and `rdmc import`
 * (docs/operations.md, Declarative state): per directory its folders as a tree, its member
 * accounts, and its contacts with their verified and pending addresses and their bindings.
 * IDs are optional when writing a file by hand (rdmc makes them); an export names them all,
 * so that an import restores the same IDs.
 */

export interface FolderEntry {
  FolderId?: string;
  FolderName: string;
  Tags?: Record<string, string>;
  Folders?: FolderEntry[];
  Accounts?: AccountEntry[];
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/**
 * Tags as a map, as Terraform writes them: key to value (docs/compatibility.md, "Tags"). Read
 * as the entries of the parsed document into an object without a prototype: a tag key is free
 * text, and `__proto__` is as good a key as any. (`z.record` assigns each key to a plain
 * object, where `__proto__` hits the prototype setter and the tag is gone without a word.)
 */
const tags = z
  // Typed as the map it must be; the refinement below makes it so.
  .custom<Record<string, string>>((value) => isObject(value) && !Array.isArray(value), 'Expected a map of tag keys to values')
  .superRefine((map, ctx) => {
    for (const [key, value] of Object.entries(map as Record<string, unknown>)) {
      if (typeof value !== 'string') ctx.addIssue({ code: z.ZodIssueCode.custom, path: [key], message: `Expected string, received ${typeof value}` });
    }
  })
  .transform((map) => {
    const own: Record<string, string> = Object.create(null);
    for (const [key, value] of Object.entries(map)) own[key] = value;
    return own;
  })
  .optional();
const toggle = z.enum(['Enabled', 'Disabled']).optional();

const account = z
  .object({
    AccountId: z.string().regex(/^\d{16}$/, 'must be 16 digits').optional(),
    DisplayName: z.string().min(1),
    AccountName: z.string().min(1).optional(),
    Tags: tags,
    /** The account that pays for this one: an account ID, or a DisplayName of the same directory. */
    PayerAccountId: z.string().min(1).optional(),
    /** The trusted services (principals) this member is the delegated administrator of. */
    DelegatedServices: z.array(z.string().min(1)).optional(),
    /** `invited`: an account that joined by invitation (a standalone account, a configured key's one say), not one made in the directory. */
    JoinMethod: z.enum(['created', 'invited']).optional(),
  })
  .strict();
export type AccountEntry = z.infer<typeof account>;

// Recursive, as deep as the document: run it only on a document that passed checkFolderNesting.
const folder: z.ZodType<FolderEntry> = z.lazy(() =>
  z
    .object({
      FolderId: z.string().optional(),
      FolderName: z.string().min(1),
      Tags: tags,
      Folders: z.array(folder).optional(),
      Accounts: z.array(account).optional(),
    })
    .strict(),
);

const contact = z
  .object({
    ContactId: z.string().optional(),
    Name: z.string().min(1),
    Title: z.enum(TITLES),
    MessageTypes: z.array(z.enum(MESSAGE_TYPES)).default([]),
    /** Verified addresses: deliveries go to them. */
    EmailAddress: z.string().min(1).optional(),
    PhoneNumber: z.string().min(1).optional(),
    /** Addresses waiting for their verification link. */
    PendingEmailAddress: z.string().min(1).optional(),
    PendingPhoneNumber: z.string().min(1).optional(),
    /**
     * Binding targets: an ID (of the file or of the database), `/` for the Root folder,
     * `/Name/Name` for a folder by path, or a member account's DisplayName.
     */
    Members: z.array(z.string().min(1)).default([]),
  })
  .strict()
  .refine((c) => c.EmailAddress !== undefined || c.PendingEmailAddress !== undefined, {
    message: 'a contact needs EmailAddress or PendingEmailAddress',
  });
export type ContactEntry = z.infer<typeof contact>;

/** A custom control policy (docs/reference/control-policies.md); the system policy follows the switch and is not written. */
const controlPolicy = z
  .object({
    // "FullAliyunAccess" is 16 letters too: the system policy's ID has the shape of a custom one.
    PolicyId: z.string().regex(/^cp-[A-Za-z0-9]{16}$/, 'must be cp- and 16 letters or digits').refine((id) => id !== SYSTEM_POLICY_ID, "is the system policy's ID").optional(),
    PolicyName: z.string().min(1),
    Description: z.string().optional(),
    PolicyDocument: z.string().min(1),
    Tags: tags,
    /** Where it is attached (only while the switch is enabled): the references of a contact's Members. */
    Targets: z.array(z.string().min(1)).default([]),
  })
  .strict();
export type ControlPolicyEntry = z.infer<typeof controlPolicy>;

const directory = z
  .object({
    MasterAccountId: z.string().regex(/^\d{16}$/, 'must be 16 digits'),
    ResourceDirectoryId: z.string().optional(),
    RootFolderId: z.string().optional(),
    /** The directory's switches; each one named is set, the others are left as they are. */
    Settings: z
      .object({ ControlPolicyStatus: toggle, MemberDeletionStatus: toggle, MemberAccountDisplayNameSyncStatus: toggle })
      .strict()
      .optional(),
    Folders: z.array(folder).default([]),
    /** Members in the Root folder (the management account is there already). */
    Accounts: z.array(account).default([]),
    Contacts: z.array(contact).default([]),
    ControlPolicies: z.array(controlPolicy).default([]),
  })
  .strict();
export type DirectoryEntry = z.infer<typeof directory>;

/**
 * Who a configured key is, as an export lists it: read-only. Identities come from configuration
 * (RDMC_ACCESS_KEYS), so a file's are checked for shape and then ignored; the shape has no room
 * for a secret, so a file carrying one is refused rather than kept around.
 */
const identity = z
  .object({
    AccessKeyId: z.string().min(1),
    AccountId: z.string().regex(/^\d{16}$/, 'must be 16 digits'),
    IdentityType: z.enum(['Account', 'RAMUser']),
    UserName: z.string().min(1).optional(),
    Arn: z.string().min(1),
  })
  .strict();

export const stateFile = z.object({ Directories: z.array(directory).default([]), Identities: z.array(identity).optional() }).strict();
export type StateFile = z.infer<typeof stateFile>;
export type StateFileInput = z.input<typeof stateFile>;

const subfolders = (value: unknown): unknown[] => (isObject(value) && Array.isArray(value.Folders) ? value.Folders : []);

/**
 * The folder depth rule, checked on the document as read and before the schema, with the
 * same error as when the file is applied (`LimitExceeded.Folder.Depth`): the schema recurses
 * once per level, and a document some thousand levels deep (or a YAML alias that contains
 * itself) would overflow the stack there. Walks level by level, never recursively.
 */
export function checkFolderNesting(document: unknown): void {
  const directories = isObject(document) && Array.isArray(document.Directories) ? document.Directories : [];
  let level = directories.flatMap(subfolders);
  for (let parentDepth = 0; level.length > 0; parentDepth = childFolderDepth(parentDepth)) level = level.flatMap(subfolders);
}

/**
 * A parsed document as a state file, by the nesting rule and then the schema: what every way
 * in (the admin API, `rdmc import`, `rdmc serve --init`, `startServer({ initialState })`)
 * checks before the file reaches `StateService`. Throws the nesting rule's error; answers the
 * schema's problems, each with its place in the document.
 */
export function parseStateFile(document: unknown): { file: StateFile } | { problems: string[] } {
  checkFolderNesting(document);
  const parsed = stateFile.safeParse(document ?? {});
  if (parsed.success) return { file: parsed.data };
  return { problems: parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`) };
}

/** A refused file's problems as `rdmc import` prints them: where the file came from, then one line each. */
export const describeStateProblems = (place: string, problems: string[]) => `${place}:\n${problems.map((p) => `  - ${p}`).join('\n')}`;
