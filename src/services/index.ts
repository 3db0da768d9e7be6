import { AuditLog } from '../audit/query.js';
import type { Channels } from '../channels/channel.js';
import type { JobQueue } from '../jobs/queue.js';
import { MemberAccountService } from './accounts.js';
import { ContactDeletionService } from './contact-deletion.js';
import { ContactService, type ContactServiceOptions } from './contacts.js';
import { ControlPolicyService } from './control-policies.js';
import { DelegationService, type DelegationOptions } from './delegations.js';
import type { ServiceDeps } from './deps.js';
import { DirectorySettingsService } from './directory-settings.js';
import { DirectoryService, type DirectoryServiceOptions } from './directory.js';
import { FanOutService } from './fan-out.js';
import { HandshakeService, type HandshakeOptions } from './handshakes.js';
import { GuardrailService } from './guardrails.js';
import { storedPolicies } from './stored-policies.js';
import { MessageCenterService } from './message-center.js';
import { MessageService } from './messages.js';
import { OutboxService } from './outbox.js';
import { TagService } from './tags.js';
import { TenantLanes } from './tenant-lanes.js';
import { OverviewService } from './overview.js';
import { RedriveService } from './redrive.js';
import { StateService, type Tenancy } from './state.js';
import { StsService, type StsOptions } from './sts.js';
import { VerificationService, type VerificationOptions } from './verification.js';

export interface Services {
  directory: DirectoryService;
  directorySettings: DirectorySettingsService;
  accounts: MemberAccountService;
  tags: TagService;
  contacts: ContactService;
  deletions: ContactDeletionService;
  fanOut: FanOutService;
  messageCenters: MessageCenterService;
  outbox: OutboxService;
  verification: VerificationService;
  messages: MessageService;
  state: StateService;
  overview: OverviewService;
  /** The audit trail, read (src/audit/ writes it). */
  audit: AuditLog;
  redrive: RedriveService;
  sts: StsService;
  controlPolicies: ControlPolicyService;
  delegations: DelegationService;
  handshakes: HandshakeService;
  guardrails: GuardrailService;
}

export interface ServiceOptions extends ContactServiceOptions, DirectoryServiceOptions, VerificationOptions, Tenancy, StsOptions, DelegationOptions, HandshakeOptions {
  channels: Channels;
  /** How many accounts one transaction of a fan-out or a deletion takes. */
  jobBatchSize: number;
  /** List requests of one caller account that run at once (RDMC_TENANT_LIST_CONCURRENCY). */
  tenantListConcurrency: number;
}

export function buildServices(deps: ServiceDeps, queue: JobQueue, options: ServiceOptions): Services {
  const messageCenters = new MessageCenterService(deps);
  const outbox = new OutboxService(deps, queue, options.channels);
  // One set of turns for every list action, so a tenant's lists of any kind share its cap.
  const listLanes = new TenantLanes(options.tenantListConcurrency);
  const tags = new TagService(deps, listLanes);
  const fanOut = new FanOutService(queue, messageCenters, options.jobBatchSize);
  const deletions = new ContactDeletionService(deps, queue, options.jobBatchSize);
  const directory = new DirectoryService(deps, messageCenters, tags, fanOut, listLanes, options);
  const contacts = new ContactService(deps, fanOut, deletions, options);
  return {
    directory,
    directorySettings: new DirectorySettingsService(deps),
    accounts: new MemberAccountService(deps),
    tags,
    contacts,
    deletions,
    messageCenters,
    fanOut,
    outbox,
    verification: new VerificationService(deps, outbox, options),
    messages: new MessageService(deps, messageCenters, outbox),
    state: new StateService(deps, directory, contacts, options),
    overview: new OverviewService(deps, options, messageCenters),
    audit: new AuditLog(deps.store),
    redrive: new RedriveService(deps, queue),
    sts: new StsService(deps, options),
    controlPolicies: new ControlPolicyService(deps, tags, listLanes),
    delegations: new DelegationService(deps, options),
    handshakes: new HandshakeService(deps, directory, messageCenters, outbox, options),
    guardrails: new GuardrailService(deps, storedPolicies),
  };
}
