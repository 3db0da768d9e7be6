import RPCClient from '@alicloud/pop-core';
import OpenApiClientModule, * as $OpenApi from '@alicloud/openapi-client';
import OpenApiCoreModule, { $OpenApiUtil } from '@alicloud/openapi-core';
import OpenApiUtilModule from '@alicloud/openapi-util';

// These packages are CommonJS compiled from TypeScript: the class is the module's `default` export.
const OpenApiClient = OpenApiClientModule.default;
const OpenApiCore = OpenApiCoreModule.default;
const OpenApiUtil = OpenApiUtilModule.default;
import assert from 'node:assert/strict';
import * as $Util from '@alicloud/tea-util';
import { KEYS, type SigningKey } from './keys.js';

/** Anything an action accepts: scalars, or arrays flattened to `Name.1`, `Name.2`... by the client. */
export type CallParams = Record<string, string | number | boolean | string[] | undefined>;

/** One call through a real client: resolves to the response body, rejects with the client's own error. */
export type Call = (action: string, params?: CallParams) => Promise<Record<string, any>>;

/** The error fields every client exposes, normalised: status (where the client reads it), code, message. */
export interface ClientFailure {
  status: number | undefined;
  code: string;
  message: string;
  data: Record<string, any>;
}

const API_VERSION = '2022-04-19';

/** What a client signs with: a configured key, or an STS session's key with its security token. */
export type ClientKey = SigningKey & { securityToken?: string };

/** AssumeRole's `Credentials` as a key the clients sign with. */
export const sessionKey = (c: { AccessKeyId: string; AccessKeySecret: string; SecurityToken: string }): ClientKey => ({
  accessKeyId: c.AccessKeyId,
  accessKeySecret: c.AccessKeySecret,
  securityToken: c.SecurityToken,
});

function compact(params: CallParams): Record<string, any> {
  return Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined));
}

/**
 * @alicloud/pop-core: v1 signature, GET by default, or POST with everything in a form body (as Terraform sends).
 * A session's key sends its token as the `SecurityToken` parameter.
 */
export function popCore(url: string, key: ClientKey = KEYS.main, method: 'GET' | 'POST' = 'GET', version = API_VERSION): Call {
  const client = new RPCClient({
    accessKeyId: key.accessKeyId,
    accessKeySecret: key.accessKeySecret,
    ...(key.securityToken !== undefined && { securityToken: key.securityToken }),
    endpoint: url,
    apiVersion: version,
  });
  return async (action, params = {}) => {
    const body = await client.request(action, compact(params), method === 'POST' ? { method: 'POST', timeout: 10_000 } : { timeout: 10_000 });
    // pop-core parses into null-prototype objects; plain ones compare with deepStrictEqual.
    return JSON.parse(JSON.stringify(body)) as Record<string, any>;
  };
}

const rpcParams = (action: string, version: string) => ({
  action,
  version,
  protocol: 'HTTP',
  pathname: '/',
  method: 'POST',
  authType: 'AK',
  style: 'RPC',
  reqBodyType: 'formData',
  bodyType: 'json',
});

/**
 * @alicloud/openapi-client: v3 (ACS3-HMAC-SHA256) by default, or v1 with signatureAlgorithm 'v2'; params in the query as generated SDKs send them.
 * An `https://` URL is called over TLS, trusting the certificate authority `ca` (PEM). A
 * session's key sends its token (v3: the `x-acs-security-token` header; v1: `SecurityToken`).
 */
export function openApiClient(url: string, key: ClientKey = KEYS.main, signature: 'v3' | 'v1' = 'v3', ca?: string, version = API_VERSION): Call {
  const config = new $OpenApi.Config({
    accessKeyId: key.accessKeyId,
    accessKeySecret: key.accessKeySecret,
    ...(key.securityToken !== undefined && { securityToken: key.securityToken }),
    endpoint: new URL(url).host,
    protocol: new URL(url).protocol === 'https:' ? 'https' : 'http',
    readTimeout: 10_000,
    ...(ca !== undefined && { ca }),
  });
  if (signature === 'v1') config.signatureAlgorithm = 'v2';
  return openApiCall(config, version);
}

/** Calls through @alicloud/openapi-client as configured by `config`: its key, or a `credential` that fetches one. */
export function openApiCall(config: $OpenApi.Config, version = API_VERSION): Call {
  const client = new OpenApiClient(config);
  return async (action, params = {}) => {
    const request = new $OpenApi.OpenApiRequest({ query: OpenApiUtil.query(compact(params)) });
    const result = await client.callApi(new $OpenApi.Params(rpcParams(action, version)), request, new $Util.RuntimeOptions({}));
    return result.body as Record<string, any>;
  };
}

/** @alicloud/openapi-core: v3, what the newest generated ResourceDirectoryMaster SDK runs on. */
export function openApiCore(url: string, key: SigningKey = KEYS.main): Call {
  const client = new OpenApiCore(
    new $OpenApiUtil.Config({
      accessKeyId: key.accessKeyId,
      accessKeySecret: key.accessKeySecret,
      endpoint: new URL(url).host,
      protocol: 'http',
      readTimeout: 10_000,
    }),
  );
  return async (action, params = {}) => {
    const request = new $OpenApiUtil.OpenApiRequest({ query: OpenApiUtil.query(compact(params)) });
    const result = await client.callApi(new $OpenApiUtil.Params(rpcParams(action, API_VERSION)), request, {} as any);
    return result.body as Record<string, any>;
  };
}

/** Every client flavour, by name, for tests that must pass through each of them. */
export function allClients(url: string, key: SigningKey = KEYS.main): Record<string, Call> {
  return {
    'pop-core GET': popCore(url, key, 'GET'),
    'pop-core POST': popCore(url, key, 'POST'),
    'openapi-client v3': openApiClient(url, key, 'v3'),
    'openapi-client v1': openApiClient(url, key, 'v1'),
    'openapi-core v3': openApiCore(url, key),
  };
}

/** Runs a call that must fail and returns the normalised failure; fails the test if it succeeds. */
export async function failure(promise: Promise<unknown>): Promise<ClientFailure> {
  try {
    await promise;
  } catch (err: any) {
    const data = err.data ?? {};
    return {
      status: err.statusCode ?? data.statusCode ?? err.entry?.response?.statusCode,
      code: err.code ?? data.Code,
      message: data.Message ?? err.message,
      data,
    };
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** Asserts a call fails with exactly this HTTP status, code and message (and the body's Code agrees). */
export async function assertFailure(promise: Promise<unknown>, status: number, code: string, message: string): Promise<ClientFailure> {
  const f = await failure(promise);
  assert.equal(f.code, code, f.message);
  assert.equal(f.status, status, `${code}: status`);
  assert.equal(f.data.Code, code);
  assert.equal(f.data.Message, message);
  return f;
}
