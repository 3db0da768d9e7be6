import CredentialModule from '@alicloud/credentials';
import * as $OpenApi from '@alicloud/openapi-client';
import { failure, openApiCall, popCore, type Call } from './clients.js';
import type { CallOutcome, CredentialedCall, CredentialsJob, CredentialsOutcome } from './credentials-library.js';

/**
 * The child process of test/helpers/credentials-library.ts: a `ram_role_arn` Credential from
 * the job's RAM user key, as a user's program configures it, then the job's calls with it.
 * Writes a CredentialsOutcome as JSON on stdout.
 */

// CommonJS compiled from TypeScript: the class is the module's `default` export.
const Credential = CredentialModule.default;

const job = JSON.parse(process.argv[2]!) as CredentialsJob;
const credential = new Credential(
  new CredentialModule.Config({
    type: 'ram_role_arn',
    accessKeyId: job.accessKeyId,
    accessKeySecret: job.accessKeySecret,
    roleArn: job.roleArn,
    roleSessionName: job.roleSessionName,
    roleSessionExpiration: job.durationSeconds,
    policy: job.policy,
    externalId: job.externalId,
    stsEndpoint: job.stsEndpoint,
  }),
);

function client(c: CredentialedCall, session: { accessKeyId: string; accessKeySecret: string; securityToken: string }): Call {
  if (c.client === 'pop-core') return popCore(job.apiUrl, session, 'POST', c.version);
  const config = new $OpenApi.Config({ credential, endpoint: new URL(job.apiUrl).host, protocol: 'http', readTimeout: 10_000 });
  if (c.client === 'openapi-client v1') config.signatureAlgorithm = 'v2';
  return openApiCall(config, c.version);
}

async function run(): Promise<CredentialsOutcome> {
  let session;
  try {
    session = await credential.getCredential();
  } catch (err) {
    return { error: (err as Error).message, answers: [] };
  }
  const keys = { accessKeyId: session.accessKeyId!, accessKeySecret: session.accessKeySecret!, securityToken: session.securityToken! };
  const answers: CallOutcome[] = [];
  for (const c of job.calls) {
    const call = client(c, keys);
    answers.push(await call(c.action, c.params).then((body) => ({ body }), async (err) => ({ failure: await failure(Promise.reject(err)) })));
  }
  return { credential: { ...keys, providerName: session.providerName! }, answers };
}

process.stdout.write(JSON.stringify(await run()));
