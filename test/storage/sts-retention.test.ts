import assert from 'node:assert/strict';
import { pino } from 'pino';
import { pruneRetained, type RetentionSettings } from '../../src/jobs/retention.js';
import { locks } from '../../src/storage/locks.js';
import type { StsSessionRecord } from '../../src/storage/records.js';
import { storeSuite, testDatabase } from '../helpers/store-suite.js';

/**
 * STS sessions are pruned RDMC_RETENTION_STS_SESSIONS_MS after they expired (src/jobs/retention.ts),
 * on each real store: before that a request signed with one is refused as expired, after it the
 * key is unknown. Live sessions, and expired ones still within the period, are kept.
 */
const HOUR = 3_600_000;
const NOW = Date.parse('2030-01-01T00:00:00.000Z');
const KEPT = 10 * 365 * 24 * HOUR;
const SETTINGS: RetentionSettings = {
  outboxMs: KEPT, tokensMs: KEPT, failedJobsMs: KEPT, sendCountersMs: KEPT, deletionRecordsMs: KEPT, auditMs: KEPT, everyMs: HOUR,
  consoleSessions: { idleMs: KEPT, lifetimeMs: KEPT },
  stsSessionsMs: 24 * HOUR,
  handshakesMs: 30 * 24 * HOUR,
};

const session = (accessKeyId: string, expiresAt: number): StsSessionRecord => ({
  accessKeyId, accessKeySecret: 'secret', tokenHash: 'a'.repeat(64), accountId: '1234567890123456', roleName: 'ResourceDirectoryAccountAccessRole',
  sessionName: 'terraform', trustorAccountId: '1111111111111111', sourceAccessKeyId: 'testMainOpsKey', policy: null, sourceIdentity: null,
  createdAt: expiresAt - HOUR, expiresAt,
});

for (const backend of ['sqlite', 'postgres'] as const) {
  storeSuite(`STS session retention on ${backend}`, testDatabase(backend, 'STS session retention'), ({ it, write, read, store }) => {
    it('sessions expired longer ago than the period are pruned, in batches; live ones and recently expired ones are kept', async () => {
      // More than one batch of long-expired sessions (retention deletes 500 rows a transaction).
      const old = Array.from({ length: 1_100 }, (_, i) => session(`STS.old${String(i).padStart(5, '0')}`, NOW - 24 * HOUR - 1 - i));
      const kept = [
        session('STS.justWithinPeriod', NOW - 24 * HOUR),
        session('STS.expiredAnHourAgo', NOW - HOUR),
        session('STS.expiresNow', NOW),
        session('STS.live', NOW + HOUR),
      ];
      await write(async (tx) => {
        for (const s of [...old, ...kept]) await tx.stsSessions.insert(s);
      }, locks.stsSessions);

      await pruneRetained(store(), NOW, SETTINGS, pino({ level: 'silent' }));

      const found = async (s: StsSessionRecord) => (await read((tx) => tx.stsSessions.byAccessKeyId(s.accessKeyId))) !== null;
      for (const s of kept) assert.equal(await found(s), true, s.accessKeyId);
      for (const s of [old[0]!, old[499]!, old[500]!, old.at(-1)!]) assert.equal(await found(s), false, s.accessKeyId);
      // Nothing else is left of them: pruned again, with the clock where it was, nothing more goes.
      assert.equal(await write((tx) => tx.retention.pruneStsSessions(NOW - SETTINGS.stsSessionsMs, 10_000)), 0);
      // A day later, the period is over for all but the live one.
      assert.equal(await write((tx) => tx.retention.pruneStsSessions(NOW + 24 * HOUR + 1 - SETTINGS.stsSessionsMs, 10_000)), 3);
      assert.equal(await found(kept.at(-1)!), true);
    });
  });
}
