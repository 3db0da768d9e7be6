/**
 * rdmc as a library: start a server inside a test suite (port 0, `:memory:` or a temporary
 * file), call it with its ready client or any Alibaba Cloud client, and drive it through its
 * admin API in process (README, "rdmc inside a test suite").
 *
 *   import { startServer } from 'rd-message-contacts';
 *   await using rdmc = await startServer({ port: 0, db: ':memory:', asyncMode: 'immediate', logLevel: 'silent' });
 *   await rdmc.client.call('GetResourceDirectory');
 *   await rdmc.admin.reset();
 *
 * Only what this file exports is the package's interface: the store, the services and the
 * rest inside are not, and change without notice.
 */
export { startServer, startWorker, type Overrides } from './server.js';
export type {
  AdminApi,
  AppliedState,
  AsyncSettings,
  JobView,
  MessageMatch,
  OutboxFilter,
  OutboxMessage,
  RdmcClient,
  RunningNode,
  RunningServer,
  ServerCredentials,
  SeedOptions,
  Seeded,
} from './facade/types.js';
export type { Clock } from './domain/clock.js';
export { ManualClock } from './domain/advancing-clock.js';
export type { Config, ConfigInput as ServerOptions, AccessKey, AsyncMode } from './config/schema.js';
export { DEFAULT_ACCESS_KEY } from './config/settings.js';
export { callAction, signRequest, RpcError, type ClientOptions, type ParamValue } from './client/rpc.js';
export type { StateFile, StateFileInput } from './services/state-file.js';
