import { eventually } from './eventually.js';

/** The admin API (/_rdmc/...) over real HTTP, as an operator or a test script calls it. */
export interface AdminClient {
  get(path: string): Promise<any>;
  put(path: string, body: unknown): Promise<any>;
  post(path: string, body?: unknown): Promise<any>;
  /** Raw answer (status and parsed body) for asserting refusals. */
  raw(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
}

export function adminClient(baseUrl: string, token?: string): AdminClient {
  const raw = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${baseUrl}/_rdmc${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  };
  const ok = async (method: string, path: string, body?: unknown) => {
    const r = await raw(method, path, body);
    if (r.status !== 200) throw new Error(`${method} ${path} answered ${r.status}: ${JSON.stringify(r.body)}`);
    return r.body;
  };
  return {
    get: (path) => ok('GET', path),
    put: (path, body) => ok('PUT', path, body),
    post: (path, body) => ok('POST', path, body ?? {}),
    raw,
  };
}

/**
 * Polls the job table until it is empty (whichever node ran the jobs), calling `seen` with
 * each listing on the way.
 */
export async function waitForNoJobs(admin: AdminClient, seen: (jobs: any[]) => void = () => {}): Promise<void> {
  await eventually('background jobs to finish', async () => {
    const jobs = (await admin.get('/jobs')).Jobs;
    if (jobs.length > 0) seen(jobs);
    return jobs.length === 0;
  });
}
