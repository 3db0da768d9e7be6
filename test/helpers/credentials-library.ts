import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { ClientFailure, CallParams } from './clients.js';
import { cleanEnv } from './spawn.js';

/**
 * @alicloud/credentials' RAM-role-ARN provider, run as a user runs it: in a Node process of its
 * own that trusts rdmc's certificate authority through NODE_EXTRA_CA_CERTS. The library calls
 * STS over HTTPS alone, with an HTTP agent of its own (httpx's), so no option of a test's own
 * process could make it trust a certificate: only the process's environment can.
 */

/** One call of a client fed with the library's credentials. */
export interface CredentialedCall {
  /** openapi-client takes the Credential object itself and asks it before every request; pop-core takes the key and token. */
  client: 'openapi-client v3' | 'openapi-client v1' | 'pop-core';
  version: string;
  action: string;
  params?: CallParams;
}

export interface CredentialsJob {
  /** `host:port` of rdmc's HTTPS listener, the library's `stsEndpoint`. */
  stsEndpoint: string;
  /** rdmc's plain-HTTP URL, which the clients call with the session. */
  apiUrl: string;
  accessKeyId: string;
  accessKeySecret: string;
  roleArn: string;
  roleSessionName: string;
  /** The library's `roleSessionExpiration`, sent as DurationSeconds. */
  durationSeconds?: number;
  policy?: string;
  externalId?: string;
  calls: CredentialedCall[];
}

export type CallOutcome = { body: Record<string, any> } | { failure: ClientFailure };

export interface CredentialsOutcome {
  /** What `getCredential()` handed out, or the library's error when it could not. */
  credential?: { accessKeyId: string; accessKeySecret: string; securityToken: string; providerName: string };
  error?: string;
  /** One per call of the job, in order. */
  answers: CallOutcome[];
}

const PROGRAM = fileURLToPath(new URL('./credentials-library-program.js', import.meta.url));

/** Runs `job` in a child process trusting the PEM file `caFile` (none: Node's own roots alone). */
export async function runCredentialsLibrary(job: CredentialsJob, caFile?: string): Promise<CredentialsOutcome> {
  const env = cleanEnv(caFile === undefined ? {} : { NODE_EXTRA_CA_CERTS: caFile });
  if (caFile === undefined) delete env.NODE_EXTRA_CA_CERTS;
  const { stdout } = await promisify(execFile)(process.execPath, [PROGRAM, JSON.stringify(job)], { env, timeout: 60_000 });
  return JSON.parse(stdout) as CredentialsOutcome;
}

/** The answer of a call that must have succeeded. */
export function bodyOf(outcome: CallOutcome): Record<string, any> {
  if ('failure' in outcome) throw new Error(`the call failed: ${outcome.failure.code} ${outcome.failure.message}`);
  return outcome.body;
}

/** The failure of a call that must have failed. */
export function failureOf(outcome: CallOutcome): ClientFailure {
  if ('body' in outcome) throw new Error(`the call succeeded: ${JSON.stringify(outcome.body)}`);
  return outcome.failure;
}
