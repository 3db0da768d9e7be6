import type { JobQueue } from '../jobs/queue.js';
import { ContactService, type ContactServiceOptions } from './contacts.js';
import type { ServiceDeps } from './deps.js';
import { DirectoryService } from './directory.js';
import { MessageCenterService } from './message-center.js';

export interface Services {
  directory: DirectoryService;
  contacts: ContactService;
  messageCenters: MessageCenterService;
}

export function buildServices(deps: ServiceDeps, queue: JobQueue, options: ContactServiceOptions): Services {
  const messageCenters = new MessageCenterService(deps);
  return {
    directory: new DirectoryService(deps, messageCenters),
    contacts: new ContactService(deps, queue, options),
    messageCenters,
  };
}
