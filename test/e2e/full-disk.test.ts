import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { adminClient } from '../helpers/admin.js';
import { failure, popCore, type Call } from '../helpers/clients.js';
import { addContact, plain } from '../helpers/contacts.js';
import { TEST_BACKEND } from '../helpers/database.js';
import { eventually } from '../helpers/eventually.js';
import { spawnServer } from '../helpers/process.js';
import { ACCESS_KEYS_ENV, KEYS, startTestServer, type TestServer } from '../helpers/server.js';
import { mountSmallDisk, type SmallDisk } from '../helpers/small-disk.js';

/**
 * rdmc on SQLite when its disk fills up (a tmpfs the test mounts and fills) and when space
 * returns: what callers and probes are told, what the log says, that a stop still stops, and
 * that the store ends up holding exactly what was acknowledged.
 */
const mount = () => (TEST_BACKEND === 'sqlite' ? mountSmallDisk(16) : 'SQLite only');
const disk = mount();
const skip = typeof disk === 'string' ? disk : false;

interface Line {
  level: number;
  msg: string;
  err?: { message: string };
}

describe('a full disk under SQLite', { skip }, () => {
  const { dir, fill, free, remove } = disk as SmallDisk;
  let server: TestServer;
  let call: Call;
  const lines: Line[] = [];
  const logger = pino({ level: 'info' }, new Writable({ write: (chunk, _enc, done) => (lines.push(JSON.parse(String(chunk)) as Line), done()) }));
  const members: string[] = [];
  const contacts: string[] = [];
  /** The bindings acknowledged requests made and kept: what the store must hold. */
  const acknowledged = new Map<string, Set<string>>();
  const answers = new Map<string, number>();
  let link = '';

  before(async () => {
    server = await startTestServer({ db: join(dir, 'rdmc.db') }, { logger });
    call = plain(popCore(server.url));
    for (let i = 0; i < 3; i++) members.push((await call('CreateResourceAccount', { DisplayName: `disk member ${i}` })).Account.AccountId);
    for (let i = 0; i < 2; i++) contacts.push(await addContact(call));
    for (const c of contacts) acknowledged.set(c, new Set());
    // A verification link to confirm while the disk is full.
    const pending = await addContact(call);
    const { Target } = (await call('ListMessageContactVerifications', { ContactId: pending })).ContactVerifications[0] as { Target: string };
    await call('SendEmailVerificationForMessageContact', { ContactId: pending, EmailAddress: Target });
    link = (await adminClient(server.url).get(`/outbox?To=${encodeURIComponent(Target)}`)).Messages[0].Link as string;
  });
  after(async () => {
    await server.stop();
    remove();
  });

  /** Binds a member to the contact if it is unbound, else unbinds it; true when acknowledged. */
  async function toggle(contact: string, member: string): Promise<boolean> {
    const bound = acknowledged.get(contact)!;
    const action = bound.has(member) ? 'DisassociateMembers' : 'AssociateMembers';
    try {
      await call(action, { ContactId: contact, Members: [member] });
    } catch (err) {
      const f = await failure(Promise.reject(err));
      const key = `${f.status} ${f.code}`;
      answers.set(key, (answers.get(key) ?? 0) + 1);
      return false;
    }
    if (bound.has(member)) bound.delete(member);
    else bound.add(member);
    answers.set('200', (answers.get('200') ?? 0) + 1);
    return true;
  }

  const readiness = async () => {
    const r = await fetch(`${server.url}/_rdmc/health/ready`);
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  };
  const stored = async () =>
    Object.fromEntries(
      await Promise.all(contacts.map(async (c) => [c, (await server.store.read((tx) => tx.bindings.forContact(c))).map((b) => b.memberId).sort()] as const)),
    );
  const expected = () => Object.fromEntries(contacts.map((c) => [c, [...acknowledged.get(c)!].sort()]));
  const logged = (msg: string) => lines.filter((l) => l.msg.startsWith(msg));

  test('while full: 503 ServiceUnavailable (never 500) to API and admin calls, readiness store-unwritable, the cause logged once', async () => {
    fill();
    let round = 0;
    const step = () => toggle(contacts[round % contacts.length]!, members[round++ % members.length]!);
    for (let i = 0; i < 40; i++) await step();
    // An admin write: 200 accounts need more pages than any small commit that may still fit.
    const seed = await fetch(`${server.url}/_rdmc/seed`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ Accounts: 200, DisplayNamePrefix: 'fullseed' }) });
    assert.deepEqual([seed.status, ((await seed.json()) as { Code: string }).Code], [503, 'ServiceUnavailable']);
    // The verification page: try again later, and the link stays good.
    assert.equal((await fetch(link, { method: 'POST' })).status, 503);
    const refused = [...answers.keys()].filter((k) => k !== '200' && k !== '503 ServiceUnavailable' && k !== '429 ConcurrentCallNotSupported');
    assert.deepEqual(refused, [], JSON.stringify(Object.fromEntries(answers)));
    assert.ok((answers.get('503 ServiceUnavailable') ?? 0) > 0, JSON.stringify(Object.fromEntries(answers)));
    // SQLite's own error, once; not "cannot rollback - no transaction is active", no 500's stack.
    assert.deepEqual(
      logged('the database file cannot be written').map((l) => [l.level, l.err?.message]),
      [[50, 'database or disk is full']],
    );
    assert.deepEqual(lines.filter((l) => l.level >= 50 && !l.msg.startsWith('the database file cannot be written')), []);
    // Readiness while writes fail (asked between writes: on a nearly full disk a small commit may fit now and then).
    const unready = await eventually('readiness to report the store unwritable', async () => {
      await step();
      const r = await readiness();
      return r.status === 503 && r;
    });
    assert.deepEqual(unready.body, { Status: 'unavailable', Reason: 'store-unwritable' });
    const health = await fetch(`${server.url}/_rdmc/health`);
    assert.deepEqual([health.status, ((await health.json()) as { Code: string }).Code], [503, 'ServiceUnavailable']);
  });

  test('once space returns: writes succeed without a restart, readiness recovers, the store holds exactly the acknowledged bindings', async () => {
    free();
    let round = 0;
    await eventually('a write to succeed', () => toggle(contacts[round % contacts.length]!, members[round++ % members.length]!));
    for (let i = 0; i < 6; i++) assert.equal(await toggle(contacts[i % contacts.length]!, members[i % members.length]!), true);
    await eventually('readiness', async () => (await readiness()).status === 200);
    assert.equal(logged('the database file can be written again').length, 1);
    assert.deepEqual(await stored(), expected());
    assert.equal((await fetch(link, { method: 'POST' })).status, 200);
    // The refused seed left nothing behind.
    assert.equal((await call('ListAccounts', { QueryKeyword: 'fullseed' })).TotalCount, 0);
    server = await server.restart();
    assert.deepEqual(await stored(), expected());
  });
});

const disk2 = skip ? skip : mount();
describe('SIGTERM while the disk stays full', { skip }, () => {
  const { dir, fill, remove } = disk2 as SmallDisk;
  after(() => remove());

  test('a served process with a job due exits within its grace period, with code 0', async () => {
    const GRACE_MS = 2_000;
    const proc = await spawnServer(['--db', join(dir, 'sigterm.db'), '--async-mode', 'delay', '--async-delay-ms', '300'], {
      RDMC_ACCESS_KEYS: ACCESS_KEYS_ENV,
      RDMC_SHUTDOWN_GRACE_MS: String(GRACE_MS),
    });
    try {
      const v1 = plain(popCore(proc.url, KEYS.main));
      const member = (await v1('CreateResourceAccount', { DisplayName: 'sigterm member' })).Account.AccountId;
      const contact = await addContact(v1);
      // Its fan-out job falls due once the disk is full: a worker that took its failed claims for made ones spun on it.
      await v1('AssociateMembers', { ContactId: contact, Members: [member] });
      fill();
      await eventually('the worker to meet the full disk', () => /job worker paused|cannot be written/.test(proc.output()) || null, { tries: 300 }).catch(() => undefined);
      proc.child.kill('SIGTERM');
      const exited = await Promise.race([
        new Promise<number | null>((resolve) => proc.child.once('exit', (code) => resolve(code))),
        new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), GRACE_MS + 10_000).unref()),
      ]);
      assert.equal(exited, 0, proc.output().slice(-2000));
    } finally {
      await proc.kill('SIGKILL');
    }
  });
});
