import { callAction, type ClientOptions } from '../client/rpc.js';
import type { RdmcClient } from './types.js';

/** `callAction` bound to a server and a key: `RunningServer.client`. */
export function boundClient(options: ClientOptions): RdmcClient {
  const frozen = Object.freeze({ ...options });
  return {
    options: frozen,
    call: (action, params = {}, more = {}) => callAction({ ...frozen, ...more }, action, params),
  };
}
