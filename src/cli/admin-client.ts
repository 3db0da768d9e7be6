import { RpcError } from '../client/rpc.js';

/** Where the admin commands (export, import, backup) find the server: flags, then RDMC_ENDPOINT and RDMC_ADMIN_TOKEN. */
export interface AdminTarget {
  endpoint: string;
  token: string | undefined;
}

export function adminTarget(flags: { endpoint?: string; 'admin-token'?: string }, env: NodeJS.ProcessEnv): AdminTarget {
  const endpoint = flags.endpoint ?? env.RDMC_ENDPOINT ?? 'http://127.0.0.1:8080';
  return { endpoint: /^https?:\/\//.test(endpoint) ? endpoint : `http://${endpoint}`, token: flags['admin-token'] ?? env.RDMC_ADMIN_TOKEN };
}

/** One admin API request; an error answer becomes an RpcError (`Code: Message`). */
export async function adminRequest(target: AdminTarget, method: string, path: string, body?: unknown): Promise<Response> {
  const res = await fetch(new URL(`/_rdmc${path}`, target.endpoint), {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(target.token ? { authorization: `Bearer ${target.token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) {
    const answer = (await res.json().catch(() => ({}))) as { Code?: string; Message?: string; RequestId?: string };
    throw new RpcError(res.status, answer.Code ?? `HTTP${res.status}`, answer.Message ?? '', answer.RequestId);
  }
  return res;
}
