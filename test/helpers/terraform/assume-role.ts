import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { v1Signature, v1StringToSign } from '../../../src/protocol/signing/v1.js';
import type { ClientKey } from '../clients.js';
import { freshNonce, send, timestamp, type RawRequest, type RawResponse } from '../raw.js';
import { STS } from './tea-rpc.js';

/**
 * The STS side of the alicloud provider's `assume_role` block (docs/reference/identity.md):
 * at configure time the provider builds credentials-go's `ram_role_arn` credential from its
 * static key and asks it once for a session, which then signs every call of that provider;
 * `data "alicloud_account"` and `client.AccountId()` ask STS GetCallerIdentity through the old
 * alibaba-cloud-sdk-go client. Both are replayed here byte for byte as those Go libraries
 * build them.
 */

/** The provider block's `assume_role`, with the provider's defaults. */
export interface AssumeRoleBlock {
  role_arn: string;
  session_name?: string;
  policy?: string;
  session_expiration?: number;
  external_id?: string;
}

/** What credentials-go hands the provider: the session that signs its calls. */
export interface Session extends Required<ClientKey> {
  expiration: string;
}

/** Go's url.QueryEscape: only letters, digits and `-_.~` stay; a space becomes `+`. */
const goQueryEscape = (s: string) =>
  encodeURIComponent(s)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');

/** Go's url.Values.Encode, which credentials-go builds both the query and the form body with: keys sorted. */
const goEncode = (pairs: Array<[string, string]>) =>
  [...pairs]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${goQueryEscape(k)}=${goQueryEscape(v)}`)
    .join('&');

/** Go's time layout of the session's Expiration in credentials-go: these fields and a literal `Z`. */
const GO_EXPIRATION = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/**
 * The query both Go libraries send: the v1 common parameters with `extra`, a session's token
 * (signed like the rest), and the signature over them and the form body's parameters.
 */
function signedQuery(action: string, key: ClientKey, nonce: string, extra: Array<[string, string]>, form: Array<[string, string]> = []): string {
  const query: Array<[string, string]> = [
    ['Version', STS],
    ['Action', action],
    ['Format', 'JSON'],
    ['Timestamp', timestamp()],
    ['SignatureMethod', 'HMAC-SHA1'],
    ['SignatureVersion', '1.0'],
    ['SignatureNonce', nonce],
    ['AccessKeyId', key.accessKeyId],
    ...extra,
    ...(key.securityToken ? [['SecurityToken', key.securityToken] as [string, string]] : []),
  ];
  query.push(['Signature', v1Signature(v1StringToSign('POST', [...query, ...form]), key.accessKeySecret)]);
  return goEncode(query);
}

/**
 * credentials-go's `ram_role_arn` getCredentials (v1.4): a POST over HTTPS, always, whose
 * query holds the v1 common parameters (and the source key's own token, if it is a session)
 * and the signature, whose form body holds the role's parameters, signed over both merged;
 * `x-acs-credentials-provider` names the source credential.
 */
export function credentialsGoAssumeRole(stsHost: string, key: ClientKey, block: AssumeRoleBlock): RawRequest {
  const form: Array<[string, string]> = [
    ['RoleArn', block.role_arn],
    ...(block.policy ? [['Policy', block.policy] as [string, string]] : []),
    ...(block.external_id ? [['ExternalId', block.external_id] as [string, string]] : []),
    ['RoleSessionName', block.session_name ?? 'terraform'],
    ['DurationSeconds', String(block.session_expiration || 3600)],
  ];
  return {
    method: 'POST',
    path: `/?${signedQuery('AssumeRole', key, freshNonce(), [], form)}`,
    headers: {
      host: stsHost,
      'user-agent': 'Go-http-client/1.1',
      'accept-encoding': 'identity',
      'content-type': 'application/x-www-form-urlencoded',
      'x-acs-credentials-provider': key.securityToken ? 'static_sts' : 'static_ak',
    },
    body: goEncode(form),
  };
}

/**
 * The provider's configure step for an `assume_role` block: AssumeRole at `stsUrl` (HTTPS),
 * then credentials-go's checks on the answer, each of which fails the whole provider: status
 * exactly 200, a JSON body, non-empty AccessKeyId, AccessKeySecret and SecurityToken, and an
 * Expiration in Go's layout, in the future. `ca` is the authority the Go process trusts
 * (SSL_CERT_FILE).
 */
export async function configureAssumeRole(stsUrl: string, ca: string, key: ClientKey, block: AssumeRoleBlock): Promise<{ session: Session; response: RawResponse }> {
  const response = await send(stsUrl, credentialsGoAssumeRole(new URL(stsUrl).host, key, block), ca);
  assert.equal(response.status, 200, `refresh session token failed: ${response.text}`);
  assert.ok(response.json, 'refresh RoleArn sts token err, json.Unmarshal fail');
  const c = response.json.Credentials;
  assert.ok(c && c.AccessKeyId && c.AccessKeySecret && c.SecurityToken, 'refresh RoleArn sts token err, fail to get credentials');
  assert.match(c.Expiration, GO_EXPIRATION, `parsing time "${c.Expiration}" as "2006-01-02T15:04:05Z"`);
  assert.ok(Date.parse(c.Expiration) > Date.now(), 'the session expired before its first use');
  return { session: { accessKeyId: c.AccessKeyId, accessKeySecret: c.AccessKeySecret, securityToken: c.SecurityToken, expiration: c.Expiration }, response };
}

/**
 * `client.GetCallerIdentity()` of the provider: alibaba-cloud-sdk-go's STS client, a v1 POST
 * with every common parameter in the query, the empty `SignatureType` and the provider's
 * `RegionId` among them, a session's token as `SecurityToken`, and an empty form body; over
 * the provider's protocol (HTTPS unless `protocol = "HTTP"`). The UUID nonce is the old SDK's.
 */
export async function oldSdkGetCallerIdentity(url: string, key: ClientKey, ca?: string, regionId = 'cn-hangzhou'): Promise<RawResponse> {
  const query = signedQuery('GetCallerIdentity', key, randomUUID(), [['SignatureType', ''], ['RegionId', regionId]]);
  return send(
    url,
    {
      method: 'POST',
      path: `/?${query}`,
      headers: {
        host: new URL(url).host,
        'x-acs-action': 'GetCallerIdentity',
        'x-acs-version': STS,
        'x-sdk-client': 'golang/1.0.0',
        'x-sdk-invoke-type': 'normal',
        'accept-encoding': 'identity',
        'user-agent': 'AlibabaCloud (linux; amd64) Go/1.24 Core/1.63.107 Terraform/1.9.0 Provider/1.260.0',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: '',
    },
    ca,
  );
}
