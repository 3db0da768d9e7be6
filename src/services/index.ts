import type { JobQueue } from '../jobs/queue.js';
import { ContactService, type ContactServiceOptions } from './contacts.js';
import type { ServiceDeps } from './deps.js';
import { DirectoryService } from './directory.js';

export interface Services {
  directory: DirectoryService;
  contacts: ContactService;
}

export function buildServices(deps: ServiceDeps, queue: JobQueue, options: ContactServiceOptions): Services {
  return {
    directory: new DirectoryService(deps),
    contacts: new ContactService(deps, queue, options),
  };
}
