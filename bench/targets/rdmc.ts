import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signedV3, type AccessKey } from '../load/requests.js';
import type { TargetSpec } from './launch.js';
import { atEnd } from './process.js';

/** The built CLI, started with node itself (not through npm), as a service manager would. */
const CLI = fileURLToPath(new URL('../../rdmc.mjs', import.meta.url));

export const BENCH_KEY: AccessKey & { accountId: string } = {
  accessKeyId: 'benchKey',
  accessKeySecret: 'benchSecret',
  accountId: '1234567890123456',
};

/**
 * A RAM user's key of BENCH_KEY's account: STS AssumeRole refuses an account's own key, so
 * this is the key that assumes a member's role for the session-token rows (scenarios/throughput.ts).
 */
export const BENCH_USER_KEY: AccessKey & { accountId: string; userName: string } = {
  accessKeyId: 'benchUserKey',
  accessKeySecret: 'benchUserSecret',
  accountId: BENCH_KEY.accountId,
  userName: 'bench',
};

export interface RdmcOptions {
  asyncMode: 'immediate' | 'manual' | 'delay';
  /** Raised above the default 20 where many Add/Delete cycles overlap. */
  contactQuota?: number;
  /** A postgres:// URL; without it, a SQLite file in a fresh temporary folder. */
  db?: string;
  /** Tenants besides BENCH_KEY's (which owns the bootstrapped directory). */
  otherKeys?: Array<AccessKey & { accountId: string }>;
}

/** An rdmc spec with its own database (a fresh SQLite file unless `db` names one); `cleanup` removes the folder. */
export async function rdmcSpec(options: RdmcOptions): Promise<{ spec: TargetSpec; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'rdmc-bench-'));
  const spec: TargetSpec = {
    name: 'rdmc',
    command: process.execPath,
    args: (port) => [
      CLI, 'serve', '--host', '127.0.0.1', '--port', String(port), '--db', options.db ?? join(dir, 'rdmc.sqlite'),
      '--log-level', 'warn', '--async-mode', options.asyncMode,
      ...(options.contactQuota ? ['--contact-quota', String(options.contactQuota)] : []),
    ],
    env: {
      RDMC_ACCESS_KEYS: [BENCH_KEY, ...(options.otherKeys ?? []), BENCH_USER_KEY]
        .map((k) => [k.accessKeyId, k.accessKeySecret, k.accountId, ...('userName' in k ? [k.userName] : [])].join(':'))
        .join(','),
    },
    // A real signed API call, so "answering" includes opening the database and the bootstrap.
    probe: (host) => signedV3(host, BENCH_KEY, 'ListMessageContacts'),
  };
  return { spec, cleanup: atEnd(() => rm(dir, { recursive: true, force: true })) };
}
