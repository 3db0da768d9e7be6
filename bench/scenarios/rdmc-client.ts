import { expectOk, send, type HttpResponse } from '../load/http.js';
import { jsonRequest, signedV3, type Params, type SigningKey } from '../load/requests.js';
import { BENCH_KEY, BENCH_USER_KEY } from '../targets/rdmc.js';

/** One signed v3 call from the orchestrator (set-up and one-off timings, not load). */
export async function call(url: string, action: string, params: Params = {}, key: SigningKey = BENCH_KEY, version?: string): Promise<any> {
  const base = new URL(url);
  return expectOk(await send(base, signedV3(base.host, key, action, params, version)), action);
}

/**
 * A new member of BENCH_KEY's directory and an STS session acting as it: BENCH_USER_KEY (a RAM
 * user of the management account) assumes the member's ResourceDirectoryAccountAccessRole for
 * an hour, longer than any run of the cases that sign with it.
 */
export async function memberSession(url: string): Promise<SigningKey> {
  const member = (await call(url, 'CreateResourceAccount', { DisplayName: 'bench-member', AccountNamePrefix: 'bench-member' })).Account.AccountId as string;
  const roleArn = `acs:ram::${member}:role/ResourceDirectoryAccountAccessRole`;
  const { Credentials } = await call(url, 'AssumeRole', { RoleArn: roleArn, RoleSessionName: 'bench', DurationSeconds: '3600' }, BENCH_USER_KEY, '2015-04-01');
  return { accessKeyId: Credentials.AccessKeyId, accessKeySecret: Credentials.AccessKeySecret, securityToken: Credentials.SecurityToken };
}

/** Same call, answered with status and raw body (for the expected 404s). */
export async function callRaw(url: string, action: string, params: Params = {}): Promise<HttpResponse> {
  const base = new URL(url);
  return send(base, signedV3(base.host, BENCH_KEY, action, params));
}

export async function adminRaw(url: string, method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<HttpResponse> {
  return send(new URL(url), jsonRequest(method, `/_rdmc${path}`, body));
}

export async function admin(url: string, method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<any> {
  return expectOk(await adminRaw(url, method, path, body), `${method} /_rdmc${path}`);
}

export async function addContact(url: string, name: string, messageTypes = ['AccountExpenses']): Promise<string> {
  const body = await call(url, 'AddMessageContact', { Name: name, EmailAddress: `${name}@example.com`, Title: 'CEO', MessageTypes: messageTypes });
  return body.Contact.ContactId as string;
}

/** Milliseconds `fn` took, with its result. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}
