/**
 * The error catalogue. Every error rdmc sends on the wire is built here, with the HTTP
 * status, code and message Alibaba Cloud documents for it (docs/reference/api.md, and
 * docs/reference/protocol.md section 6). Services and the protocol layer throw only these; anything else is a bug and
 * renders as 500 InternalError.
 */
const CATALOGUE: unique symbol = Symbol('the error catalogue');

export class ApiError extends Error {
  /**
   * Only this module holds `CATALOGUE`, so only the catalogue below can build one: a new wire
   * error is a new entry here, never an ad-hoc status and code elsewhere.
   */
  constructor(
    catalogue: typeof CATALOGUE,
    readonly status: number,
    readonly code: string,
    message: string,
    /** `rdmc` for codes of rdmc's own (the admin API's): Alibaba's troubleshooting site knows nothing of them. */
    readonly origin: 'alibaba' | 'rdmc' = 'alibaba',
  ) {
    super(message);
    if (catalogue !== CATALOGUE) throw new TypeError('An ApiError is built by the error catalogue (src/domain/errors.ts) only.');
    this.name = 'ApiError';
  }
}

const e = (status: number, code: string, message: string) => new ApiError(CATALOGUE, status, code, message);
/** An error of rdmc's own API (admin routes, console, state files): no Alibaba Cloud page documents it. */
const own = (status: number, code: string, message: string) => new ApiError(CATALOGUE, status, code, message, 'rdmc');

/**
 * How much of a v1 string-to-sign a SignatureDoesNotMatch answer echoes: all of it for any
 * call the API allows (the largest, a TagResources of 50 IDs and 20 keys and values of 128
 * four-byte characters, signs about 105,000 characters), then cut, so that the answer to a
 * padded request stays small.
 */
export const ECHOED_STRING_TO_SIGN_MAX = 128 * 1024;
const echoed = (text: string) =>
  text.length <= ECHOED_STRING_TO_SIGN_MAX
    ? text
    : `${text.slice(0, ECHOED_STRING_TO_SIGN_MAX)}...[${text.length - ECHOED_STRING_TO_SIGN_MAX} more characters not shown]`;

/**
 * How much of a caller's parameter name a message echoes: every name the API declares is
 * far shorter, and a request may carry names of up to a megabyte.
 */
const ECHOED_NAME_MAX = 128;
const shownName = (name: string) => (name.length <= ECHOED_NAME_MAX ? name : `${name.slice(0, ECHOED_NAME_MAX)}...`);

export const errors = {
  // Gateway: signatures, timestamps, keys, routing.
  missingCommonParameter: (name: string) =>
    e(400, 'MissingParameter', `The input parameter "${name}" that is mandatory for processing this request is not supplied.`),
  /** Gateway-level signing fields: `MissingAccessKeyId`, `MissingSignature`, `MissingTimestamp`... */
  missingSigningParameter: (name: string) => e(400, `Missing${name}`, `${name} is mandatory for this action.`),
  incompleteSignature: (stringToSign: string) =>
    e(400, 'IncompleteSignature', `The request signature does not conform to Aliyun standards. server string to sign is:${stringToSign}`),
  invalidSignatureMethod: () => e(400, 'InvalidSignatureMethod', 'Specified signature method is not valid.'),
  signatureDoesNotMatchV1: (stringToSign: string) =>
    e(400, 'SignatureDoesNotMatch', `Specified signature is not matched with our calculation. server string to sign is:${echoed(stringToSign)}`),
  signatureDoesNotMatchV3: (stringToSign: string) =>
    e(400, 'SignatureDoesNotMatch', `Specified signature does not match our calculation. server StringToSign is [${stringToSign}]`),
  contentHashMismatch: () =>
    e(400, 'SignatureDoesNotMatch', 'The x-acs-content-sha256 header does not match the SHA-256 of the request body.'),
  accessKeyNotFound: () => e(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.'),
  // The POP gateway's codes for temporary credentials; their statuses and messages are not
  // documented: rdmc's choice, docs/reference/identity.md.
  securityTokenMissing: () => e(400, 'MissingSecurityToken', 'SecurityToken is mandatory for a temporary (STS.) AccessKeyId.'),
  securityTokenMalformed: () => e(400, 'InvalidSecurityToken.Malformed', 'Specified SecurityToken is malformed.'),
  securityTokenMismatch: () => e(400, 'InvalidSecurityToken.MismatchWithAccessKey', 'Specified SecurityToken mismatch with the AccessKey.'),
  securityTokenExpired: () => e(400, 'InvalidSecurityToken.Expired', 'Specified SecurityToken is expired.'),
  securityTokenRevoked: () =>
    e(400, 'InvalidSecurityToken.Expired', 'Specified SecurityToken is expired: its account is no longer a member of the resource directory whose management account assumed the role.'),
  timestampExpired: () => e(400, 'InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.'),
  timestampFormat: () => e(400, 'InvalidTimeStamp.Format', 'Specified time stamp or date value is not well formatted.'),
  nonceUsed: () => e(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.'),
  // 400, as Alibaba Cloud's API gateway answers it (some products use 429; the SDKs classify it by its code).
  throttled: () => e(400, 'Throttling.User', 'Request was denied due to user flow control.'),
  actionNotFound: () => e(404, 'InvalidAction.NotFound', 'Specified api is not found, please check your url and method.'),
  invalidVersion: () => e(400, 'InvalidVersion', 'Specified parameter Version is not valid.'),
  unsupportedHttpMethod: () => e(400, 'UnsupportedHTTPMethod', 'This http method not supported.'),
  requestTooLarge: () => e(413, 'RequestEntityTooLarge', 'The request body exceeds the 1 MiB limit.'),
  malformedRequest: () => e(400, 'MalformedRequest', 'The HTTP request is malformed.'),
  headersTooLarge: () => e(431, 'RequestHeaderFieldsTooLarge', 'The request headers are too large.'),
  requestTimeout: () => e(408, 'RequestTimeout', 'The request did not arrive in full in time.'),
  invalidSignatureVersion: () => e(400, 'InvalidSignatureVersion', 'Specified signature version is not valid.'),
  invalidNonce: (max: number) =>
    e(400, 'InvalidSignatureNonce', `Specified signature nonce is not valid. It must be 1 to ${max} printable ASCII characters, without spaces.`),
  tooManyParameters: (max: number) => e(400, 'InvalidParameter', `The request carries more than ${max} parameters.`),
  repeatedParameter: (name: string) =>
    e(400, 'InvalidParameter', `The parameter "${shownName(name)}" is given more than once.`),
  unknownParameter: (name: string) =>
    e(400, 'InvalidParameter', `The parameter "${shownName(name)}" is not supported by this action.`),
  internalError: () =>
    e(500, 'InternalError', 'The request processing has failed due to some unknown error, exception or failure.'),
  /** The database cannot be reached or written just now (an outage, a full disk): the caller retries later. */
  serviceUnavailable: () => e(503, 'ServiceUnavailable', 'The request has failed due to a temporary failure of the server.'),

  // STS AssumeRole (docs/reference/identity.md): statuses, codes and messages as Alibaba documents them.
  stsDurationSeconds: () => e(400, 'InvalidParameter.DurationSeconds', 'The Min/Max value of DurationSeconds is 15min/1hr.'),
  stsExternalId: () => e(400, 'InvalidParameter.ExternalId', 'The parameter ExternalId is wrongly formed.'),
  stsRoleArn: () => e(400, 'InvalidParameter.RoleArn', 'The parameter RoleArn is wrongly formed.'),
  stsRoleSessionName: () => e(400, 'InvalidParameter.RoleSessionName', 'The parameter RoleSessionName is wrongly formed.'),
  stsPolicyGrammar: () => e(400, 'InvalidParameter.PolicyGrammar', 'The parameter Policy has not passed grammar check.'),
  stsPolicySize: () => e(400, 'InvalidParameter.PolicySize', 'The size of Policy must be smaller than 2048 bytes.'),
  // Not in AssumeRole's list of errors; named and worded as its siblings are (rdmc's choice).
  stsSourceIdentity: () => e(400, 'InvalidParameter.SourceIdentity', 'The parameter SourceIdentity is wrongly formed.'),
  stsRootCaller: () => e(403, 'NoPermission', 'Roles may not be assumed by root accounts.'),
  stsNotTrusted: () => e(403, 'NoPermission', 'You are not authorized to do this action. You should be authorized by RAM.'),
  stsRoleNotExists: () => e(404, 'EntityNotExist.Role', 'The specified Role not exists .'),
  // rdmc's bound on its session table (RDMC_STS_MAX_LIVE_SESSIONS); Alibaba documents no such limit.
  stsSessionLimit: (cap: number) =>
    e(409, 'LimitExceeded.StsSession', `The account holds ${cap} live STS sessions, the most it may; wait for some to expire.`),

  // Product-level parameter errors (RD style).
  missingParameter: (name: string) => e(400, `MissingParameter.${name}`, `You must specify ${name}.`),
  invalidParameter: (name: string) => e(400, `InvalidParameter.${name}`, `The ${name} is invalid.`),

  // Directory structure.
  resourceDirectoryNotInUse: () =>
    e(404, 'ResourceDirectoryNotInUse', 'The specified account is not an Alibaba Cloud account or a member account of the resource directory.'),
  // The code is in the product's list of errors; its message is not documented (rdmc's wording).
  accountInAnotherDirectory: () => e(409, 'AccountInAnotherResourceDir', 'The account is already a member of another resource directory.'),
  resourceDirectoryNotExists: () =>
    e(404, 'EntityNotExists.ResourceDirectory', 'The resource directory for the account is not enabled. We recommend that you first enable the resource directory for the account.'),
  resourceDirectoryAlreadyExists: () =>
    e(409, 'EntityAlreadyExists.ResourceDirectory', 'The resource directory for the account is already enabled. Please do not enable it again.'),
  enableModeUnsupported: () =>
    e(400, 'InvalidParameter.EnableMode', 'The EnableMode is invalid. rdmc supports EnableMode=CurrentAccount only.'),
  invalidFolderId: () =>
    e(400, 'InvalidParameter.FolderId', 'The FolderId is invalid. It must start with fd- followed by 10 characters, or with r- followed by 6 characters.'),
  invalidParentFolderId: () => e(400, 'InvalidParameter.ParentFolderId', 'The ParentFolderId is invalid.'),
  invalidDestinationFolderId: () => e(400, 'InvalidParameter.DestinationFolderId', 'The DestinationFolderId is invalid.'),
  invalidChildId: () => e(400, 'InvalidParameter.ChildId', 'The ChildId is invalid.'),
  missingFolderName: () => e(400, 'MissingParameter.Folder.Name', 'You must specify the resource folder name.'),
  invalidFolderName: () =>
    e(400, 'InvalidParameter.Folder.Name', 'The folder name is invalid. It can contain letters, digits, Chinese characters, underscores (_), periods (.), and hyphens (-).'),
  invalidFolderNameLength: () =>
    e(400, 'InvalidParameter.Folder.Name.Length', 'The folder name must be 1 to 24 characters in length.'),
  folderNameAlreadyUsed: () =>
    e(400, 'InvalidParameter.Folder.Name.AlreadyUsed', 'The name already exists under the same parent. Please change to another name.'),
  folderDepthExceeded: () =>
    e(400, 'LimitExceeded.Folder.Depth', 'The folder depth exceeds the limit. Folders can be nested at most 5 levels below the Root folder.'),
  folderQuotaExceeded: () => e(400, 'QuotaExceeded.Folder', 'The maximum number of folders exceeds the limit.'),
  // Alibaba Cloud's code for a directory at its member quota (documented for InviteAccountToResourceDirectory).
  accountQuotaExceeded: () => e(409, 'LimitExceeded.Account', 'The maximum number of member accounts in a resource directory exceeds the limit.'),
  folderNotExists: () => e(404, 'EntityNotExists.Folder', 'The resource directory folder does not exist.'),
  folderHasAccounts: () => e(409, 'DeleteConflict.Folder.Account', 'This folder has accounts.'),
  folderHasSubFolders: () => e(409, 'DeleteConflict.Folder.SubFolder', 'This folder has sub folders.'),
  rootFolderUndeletable: () => e(409, 'DeleteConflict.Folder.Root', 'The Root folder cannot be deleted.'),
  invalidAccountId: () => e(400, 'InvalidParameter.AccountId', 'Specify a 16-digit ID.'),
  accountNotExists: () => e(404, 'EntityNotExists.Account', 'This resource directory account does not exist.'),
  invalidDisplayName: () => e(400, 'InvalidParameter.DisplayName', 'The DisplayName is invalid.'),
  displayNameAlreadyUsed: () =>
    e(400, 'InvalidParameter.DisplayName.AlreadyUsed', 'The display name already exists in the resource directory. Please change to another name.'),
  invalidAccountNamePrefix: () => e(400, 'InvalidParameter.AccountNamePrefix', 'The AccountNamePrefix is invalid.'),
  accountNamePrefixAlreadyUsed: () =>
    e(400, 'InvalidParameter.AccountNamePrefix.AlreadyUsed', 'The account name prefix already exists. Please change to another prefix.'),
  invalidStatus: () => e(400, 'InvalidParameter.Status', 'The specified Status is invalid.'),
  dryRunOperation: () => e(400, 'DryRunOperation', 'Request validation has been passed with DryRun flag set.'),
  directoryHasAccounts: () =>
    e(409, 'DeleteConflict.ResourceDirectory.Account', 'Failed to delete the resource directory because one or more member accounts exist. We recommend that you first remove these member accounts.'),
  directoryHasFolders: () =>
    e(409, 'DeleteConflict.ResourceDirectory.Folder', 'Failed to delete the resource directory because one or more folders exist. We recommend that you first delete these folders.'),
  directoryHasContacts: () =>
    e(409, 'DeleteConflict.ResourceDirectory.Contact', 'Failed to delete the resource directory because one or more message contacts exist. We recommend that you first delete these contacts.'),
  rootFolderRename: () => e(400, 'InvalidParameter.FolderId', 'The Root folder cannot be renamed.'),
  memberDeletionDisabled: () => e(409, 'NoLicense.ResourceDirectory', 'The resource directory has not enabled the delete operation.'),
  accountTypeOrStatusMismatch: () => e(409, 'AccountTypeOrStatusMismatch', 'You cannot perform the action on the member account.'),
  accountTypeMismatch: () =>
    e(409, 'AccountTypeMismatch', 'The type or status of the member account cannot satisfy the current operation.'),
  payerNotInDirectory: () =>
    e(409, 'NotSupport.PayerAccountInAnotherResourceDirectory', 'The specified payment account does not exist in the resource directory. You must specify a valid payment account.'),
  accountPaysForOthers: () =>
    e(409, 'DeleteConflict.Account.Payer', 'The account pays for other member accounts. Change their payer first.'),
  noCheckTask: () => e(409, 'EntityNotExists.CheckAccount', 'There is no check task for this account'),
  tagLimit: () => e(400, 'LimitExceeded.Tag', 'A resource can have at most 20 tags.'),
  resourceNotExists: (type: 'Account' | 'Folder' | 'ControlPolicy') =>
    type === 'Account'
      ? e(404, 'EntityNotExists.Account', 'This resource directory account does not exist.')
      : type === 'Folder'
        ? e(404, 'EntityNotExists.Folder', 'The resource directory folder does not exist.')
        : errors.controlPolicyNotExists(),
  associateConflict: () =>
    e(409, 'AssociateConflict', 'You cannot perform the operation while disassociation operation is being performed.'),

  // Delegated administrators and trusted services (codes and messages as ResourceManager 2020-03-31 documents them).
  invalidServicePrincipal: () => e(409, 'InvalidParameter.ServicePrincipal', 'The specified ServicePrincipal is invalid.'),
  accountAlreadyRegistered: () => e(409, 'AccountAlreadyRegistered', 'The specified account is already a delegated administrator for this service.'),
  accountNotRegistered: () => e(409, 'AccountNotRegistered', 'The specified account is not a delegated administrator for this service.'),
  delegatedAccountNumberExceeded: () =>
    e(409, 'DelegatedAccountNumberExceeded', 'The maximum number of delegated administrators for the service principal is exceeded.'),
  cannotRegisterMaster: () =>
    e(409, 'CannotRegisterMasterAsDelegatedAdministrator', 'You attempted to register the enterprise management account as a delegated administrator for the service. You can designate only a member account as a delegated administrator.'),
  /** The code's spelling is Alibaba's own. */
  memberIsDelegatedAdministrator: () =>
    e(409, 'RemoveConfilctAccountAsDelegatedAdministator', 'You attempted to remove a member that is registered as a delegated administrator. To complete this operation, you must first deregister this account as a delegated administrator.'),
  /** RemoveCloudAccount of a delegated administrator; Alibaba's `%s` is a service it administers (rdmc: the first by principal). */
  trustedServiceAdministrator: (servicePrincipal: string) =>
    e(409, 'Deny.TrustedService', `You attempted to remove an account that is used in ${servicePrincipal}. To complete this operation, you must first remove this account from the Trusted Service.`),

  // Message contacts.
  nameLength: () => e(400, 'InvalidParameter.Name.Length', 'The Name exceeds the length limit.'),
  nameAlreadyUsed: () => e(400, 'InvalidParameter.Name.AlreadyUsed', 'The Name already exists. Please change to another name.'),
  mobileCountryCode: () => e(400, 'InvalidParameter.MobileCountryCode', 'The current site does not support the country code.'),
  contactNotExists: () => e(404, 'EntityNotExists.Contact', 'This Contact does not exist.'),
  memberNotExists: () => e(404, 'EntityNotExists.Member', 'This Member does not exist.'),
  verificationNotExists: () => e(404, 'EntityNotExists.Contact.Verification', 'This contact verification does not exist.'),
  contactStatusMismatch: () =>
    e(400, 'ContactStatusMismatchAction', 'The status of the contact does not allow the specified operation.'),
  concurrentCall: () =>
    e(429, 'ConcurrentCallNotSupported', 'The operation conflicts with other operations. Please try again later.'),
  contactQuotaExceeded: () => e(400, 'QuotaExceeded.Contact', 'The maximum number of contacts exceeds the limit.'),
  membersDuplicate: () => e(400, 'InvalidParameter.Members.Duplicate', 'The Members contains duplicate values.'),
  membersLength: () => e(400, 'InvalidParameter.Members.Length', 'The maximum number of Members exceeds the limit.'),
  contactMembersLimit: () =>
    e(400, 'LimitExceeded.ContactMembers', 'The maximum number of contact members exceeds the limit.'),
  invalidMember: () => e(400, 'InvalidMember', 'The member does not exist in the resource directory.'),
  sendLimit: () =>
    e(409, 'SendValidateCodeExceedsLimitForAccount', 'For the same account, the number of verification codes sent exceeds the limit.'),

  // Control policies (docs/reference/control-policies.md). The codes Alibaba documents keep its
  // status and message; the others (marked rdmc there) are rdmc's choice where Alibaba is silent.
  controlPolicyNotExists: () => e(404, 'EntityNotExists.ControlPolicy', 'The control policy does not exist.'),
  targetNotExists: () => e(404, 'EntityNotExists.Target', 'The specified target does not exist in the resource directory.'),
  controlPolicyDocumentLength: () =>
    e(409, 'InvalidParameter.PolicyDocument.Length', 'The maximum length of the policy document is exceeded. It must not exceed 4096 characters.'),
  newControlPolicyDocumentLength: () =>
    e(400, 'InvalidParameter.NewPolicyDocument.Length', 'Unable to save your policy. A policy contains a maximum of 4096 characters.'),
  /** A document that is not the policy grammar; `reason` is the grammar's (bounded, never the caller's whole text). */
  controlPolicyDocument: (name: 'PolicyDocument' | 'NewPolicyDocument', reason: string) =>
    e(400, `InvalidParameter.${name}`, `The ${name} is invalid: ${reason}.`),
  controlPolicyEnablement: () =>
    e(409, 'InvalidControlPolicyEnablementStatus', 'The control policy enablement status is not valid to perform this operation.'),
  detachLastControlPolicy: () => e(400, 'NotSupport.DetachLastControlPolicy', 'It is not detach the last control policy on the target node.'),
  controlPolicyNameAlreadyUsed: () =>
    e(409, 'EntityAlreadyExists.ControlPolicy', 'A control policy with the same name already exists in the resource directory.'),
  controlPolicyQuotaExceeded: () =>
    e(409, 'QuotaExceeded.ControlPolicy', 'The maximum number of custom control policies in a resource directory (1500) is exceeded.'),
  systemControlPolicy: () => e(409, 'NoPermission.SystemPolicy', 'A system control policy cannot be modified or deleted.'),
  controlPolicyAttached: () =>
    e(409, 'DeleteConflict.ControlPolicy.Attachment', 'The control policy is attached to one or more targets. Detach it from every target first.'),
  controlPolicyAlreadyAttached: () =>
    e(409, 'EntityAlreadyExists.ControlPolicyAttachment', 'The control policy is already attached to the target.'),
  controlPolicyNotAttached: () => e(404, 'EntityNotExists.ControlPolicyAttachment', 'The control policy is not attached to the target.'),
  controlPolicyAttachmentLimit: () =>
    e(409, 'LimitExceeded.ControlPolicyAttachment', 'A maximum of 10 custom control policies can be attached to a folder or member.'),
  directoryHasControlPolicies: () =>
    e(409, 'DeleteConflict.ResourceDirectory.ControlPolicy', 'Failed to delete the resource directory because one or more custom control policies exist. We recommend that you first delete these policies.'),
  // Invitations (handshakes).
  handshakeNoteLength: () => e(400, 'InvalidParameter.Note.Length', 'The length of the invitation note exceeds the limit.'),
  handshakeNotExists: () => e(404, 'EntityNotExists.Handshake', 'The specified handshake does not exist.'),
  handshakeStatusMismatch: () => e(409, 'HandshakeStatusMismatch', 'The invitation is invalid.'),
  handshakeAlreadyExists: () => e(409, 'EntityAlreadyExists.Handshake', 'Handshakes with the same target entity already exist.'),
  accountAlreadyMember: () => e(409, 'EntityAlreadyExists.ResourceDir.Account', 'This resource directory account already exists.'),
  invitedAccountInAnotherDirectory: () =>
    e(409, 'NotSupport.AccountInAnotherResourceDirectory', 'The invited account already belongs to another resource directory.'),
  inviteeInAnotherDirectory: () =>
    e(409, 'NotSupport.AccountInAnotherResourceDirectory', 'Your account is a management account for another resource directory or a member of another resource directory.'),
  invitationRate: () => e(409, 'LimitExceeded.InvitationRate', 'The number of invitations sent exceeds the limit.'),
  // Terraform retries this code; Alibaba documents neither its status nor its message (rdmc's wording).
  sameTargetInvitationRate: () =>
    e(409, 'LimitExceeded.SameTargetInvitationRate', 'The number of invitations sent to the same target exceeds the limit.'),
  specifiedDirectoryNotExists: () =>
    e(404, 'SpecifiedResourceDirectoryNotExists', 'The specified resource directory does not exist. You must specify a valid resource directory.'),
  // A control policy on the caller's chain denies an action rdmc serves (docs/reference/guardrails.md, "Enforcement"):
  // Alibaba's RAM denial, with what denied it.
  controlPolicyDenied: (decision: 'ExplicitDeny' | 'ImplicitDeny', action: string) =>
    e(403, 'NoPermission', `You are not authorized to do this action. A control policy of the resource directory denies ${action} (${decision}).`),
  sessionPolicyDenied: (decision: 'ExplicitDeny' | 'ImplicitDeny', action: string) =>
    e(403, 'NoPermission', `You are not authorized to do this action. The session policy of the STS token denies ${action} (${decision}).`),
} as const;

/**
 * Errors of rdmc's own surfaces: the admin API (/_rdmc/), the console, state files and the
 * embedding API. Their codes are rdmc's (origin `rdmc`), listed in docs/reference/model.md (the admin API errors).
 */
export const ownErrors = {
  /** A parameter of an admin route or console page that is not what it must be; `why` says what it must be. */
  invalidParameter: (name: string, why: string) => own(400, `InvalidParameter.${name}`, why),
  controlCharacters: (name: string) => own(400, `InvalidParameter.${name}`, `${name} must not contain control characters.`),
  unsupportedMediaType: () => own(415, 'UnsupportedMediaType', 'The body must be sent with "Content-Type: application/json".'),
  bodyNotJson: () => own(400, 'InvalidBody', 'The request body is not valid JSON.'),
  invalidBody: (problems: string) => own(400, 'InvalidBody', problems),
  /** The admin API's access rule refused the caller (src/admin/access.ts says which and why). */
  refused: (refusal: { status: 401 | 403; code: 'Unauthorized' | 'Forbidden'; message: string }) => own(refusal.status, refusal.code, refusal.message),
  routeNotFound: (path: string) => own(404, 'NotFound', `No admin route ${path}.`),
  methodNotAllowed: (method: string | undefined, path: string) => own(405, 'MethodNotAllowed', `${method} is not allowed on ${path}.`),
  /** What the console or the admin API was asked to show is not there (`what`: "folder", "account"...). */
  notFound: (what: string) => own(404, 'NotFound', `No such ${what}.`),
  /** The database's schema is not this build's (a newer or unknown migration): the operation waits for an upgrade. */
  schemaMismatch: (reason: string) => own(503, 'ServiceUnavailable', `${reason}.`),
  backupUnsupported: () =>
    own(400, 'BackupUnsupported', 'Only a SQLite database has an online backup here; back PostgreSQL up with pg_dump.'),
  invalidState: (problem: string) => own(400, 'InvalidState', problem),
  jobNotExists: (jobId: number | string) =>
    own(404, 'EntityNotExists.Job', `Job ${jobId} does not exist: it finished, or retention removed it.`),
  jobNotRetriable: (jobId: number | string, kind: string, retriable: readonly string[]) =>
    own(409, 'JobNotRetriable', `Job ${jobId} is a ${kind} job, which is not retried: only ${retriable.join(' and ')} jobs are; a failed contact deletion is started again with DeleteMessageContact.`),
  incorrectJobState: (jobId: number | string, state: string) =>
    own(409, 'IncorrectJobState', `Job ${jobId} is ${state}: only a job that failed for good can be retried.`),
  deliveryNotExists: (deliveryId: string) =>
    own(404, 'EntityNotExists.Delivery', `Delivery ${deliveryId} does not exist: it was cleared, or retention removed it.`),
  incorrectDeliveryState: (deliveryId: string, delivery: string) =>
    own(409, 'IncorrectDeliveryState', `Delivery ${deliveryId} is ${delivery}: only a delivery that failed for good can be retried.`),
  /** `POST /_rdmc/time/advance` where RDMC_TIME_TRAVEL is off (docs/operations.md, Time). */
  timeTravelOff: () =>
    own(
      409,
      'TimeTravelOff',
      "This node's clock cannot be moved: the clock is per node, and on a database other nodes share a node ahead of them would take their jobs over and prune early. Set RDMC_TIME_TRAVEL=true (--time-travel) on every node of a test cluster.",
    ),
} as const;
