import type { ConfigInput } from '../../src/config/schema.js';
import type { Overrides } from '../../src/server.js';
import { STS_VERSION } from '../../src/domain/api-versions.js';
import { MEMBER_ACCESS_ROLE } from '../../src/domain/identity.js';
import { openApiClient, popCore, sessionKey, type Call, type CallParams, type ClientKey } from './clients.js';
import { TestClock } from './clock.js';
import { RAM_USER_KEYS, withRamUsers } from './keys.js';
import { startTestServer, type TestServer } from './server.js';


/**
 * Where the domain's clock starts: half a second into a second, so that expirations, which
 * are rendered to the second, do not depend on the few milliseconds by which PostgreSQL's
 * clock correction moves the node's time (src/storage/store-clock.ts).
 */
export const START = Date.parse('2030-01-01T00:00:00.500Z');

export const memberRoleArn = (accountId: string, roleName = MEMBER_ACCESS_ROLE) => `acs:ram::${accountId}:role/${roleName}`;

/** Both signatures a session is used with: pop-core (v1, `SecurityToken` parameter) and openapi-client (v3, `x-acs-security-token`). */
export const SIGNATURES = ['v1', 'v3'] as const;
export type Signature = (typeof SIGNATURES)[number];

/** A real client for `version`: pop-core for v1, openapi-client for v3. */
export const client = (url: string, key: ClientKey, signature: Signature, version?: string): Call =>
  signature === 'v1' ? popCore(url, key, 'GET', version) : openApiClient(url, key, 'v3', undefined, version);

export interface StsWorld {
  server: TestServer;
  clock: TestClock;
  /** A member account of main's directory, made by CreateResourceAccount. */
  member: string;
  /** STS as `key` signs it. */
  sts(key: ClientKey, signature?: Signature): Call;
  /** AssumeRole into `member`'s access role by main's RAM user; resolves to the whole answer. */
  assume(params?: CallParams, signature?: Signature): Promise<Record<string, any>>;
  /** The key of a fresh session of `member`'s access role. */
  session(params?: CallParams): Promise<ClientKey>;
}

/** A server on a manual clock whose keys include RAM users (RAM_USER_KEYS), with one member account in main's directory. */
export async function startStsWorld(extra: Partial<ConfigInput> = {}, overrides: Omit<Overrides, 'clock'> = {}): Promise<StsWorld> {
  const clock = new TestClock(START);
  const server = await startTestServer({ accessKeys: withRamUsers(), ...extra }, { ...overrides, clock });
  const member = (await openApiClient(server.url)('CreateResourceAccount', { DisplayName: 'member one' })).Account.AccountId as string;
  const sts = (key: ClientKey, signature: Signature = 'v3') => client(server.url, key, signature, STS_VERSION);
  const assume = (params: CallParams = {}, signature: Signature = 'v3') =>
    sts(RAM_USER_KEYS.main, signature)('AssumeRole', { RoleArn: memberRoleArn(member), RoleSessionName: 'terraform', ...params });
  return {
    server,
    clock,
    member,
    sts,
    assume,
    session: async (params) => sessionKey((await assume(params)).Credentials),
  };
}
