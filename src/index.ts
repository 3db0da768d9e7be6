/**
 * rdmc as a library: start a server inside a test suite (port 0, `:memory:` or a temporary
 * file) and call it with any Alibaba Cloud client, or with the small signing client below.
 *
 *   import { startServer } from 'rd-message-contacts';
 *   const rdmc = await startServer({ port: 0, db: ':memory:', asyncMode: 'immediate', logLevel: 'silent' });
 *   // ... rdmc.url is http://127.0.0.1:<port>
 *   await rdmc.close();
 */
export { startServer, startWorker, type Overrides, type RunningServer } from './server.js';
export type { Config, ConfigInput as ServerOptions, AccessKey, AsyncMode } from './config/schema.js';
export { DEFAULT_ACCESS_KEY } from './config/settings.js';
export { callAction, signRequest, RpcError, type ClientOptions, type ParamValue } from './client/rpc.js';
export type { StateFile, StateFileInput } from './services/state-file.js';
