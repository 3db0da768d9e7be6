import { expectOk, send } from './load/http.js';
import { jsonRequest, signedV3, type Params } from './load/requests.js';
import { createTestDatabase, type Backend } from '../test/helpers/database.js';
import { spawnServer } from '../test/helpers/process.js';
import { ACCESS_KEYS_ENV, KEYS } from '../test/helpers/keys.js';

/**
 * `node dist/bench/fairness.js [members] [seconds] [sqlite|postgres]`: what one tenant's
 * background work costs another (docs/operations.md, Fair background work). Tenant A (10,000 members by
 * default) binds and unbinds five contacts on its Root in a loop, so its fan-outs never
 * stop; tenant B, one member, measures how long its own binding takes to reach its member's
 * message center (job latency) and its GetMessageContact latency, first alone, then during
 * A's loop. Figures, not assertions: run it before and after a change on one machine.
 */
const members = Number(process.argv[2] ?? 10_000);
const seconds = Number(process.argv[3] ?? 15);
const backend = (process.argv[4] ?? 'sqlite') as Backend;

type Key = (typeof KEYS)[keyof typeof KEYS];

async function main(): Promise<void> {
  const database = await createTestDatabase(backend);
  const server = await spawnServer(['--db', database.db, '--async-mode', 'delay', '--async-delay-ms', '0', '--log-level', 'info'], {
    RDMC_ACCESS_KEYS: ACCESS_KEYS_ENV,
  });
  const base = new URL(server.url);
  const call = async (key: Key, action: string, params: Params = {}) => expectOk(await send(base, signedV3(base.host, key, action, params)), action);
  const tryCall = async (key: Key, action: string, params: Params = {}) => (await send(base, signedV3(base.host, key, action, params))).status;
  const admin = async (method: 'GET' | 'POST', path: string, body?: unknown) => expectOk(await send(base, jsonRequest(method, `/_rdmc${path}`, body)), path);
  const contact = async (key: Key, name: string) =>
    (await call(key, 'AddMessageContact', { Name: name, EmailAddress: `${name}@example.com`, Title: 'CEO', MessageTypes: ['AccountExpenses'] })).Contact.ContactId as string;
  try {
    await admin('POST', '/seed', { AccountId: KEYS.main.accountId, Accounts: members });
    const rootA = (await call(KEYS.main, 'GetResourceDirectory')).ResourceDirectory.RootFolderId as string;
    await call(KEYS.other, 'EnableResourceDirectory', { EnableMode: 'CurrentAccount' });
    const rootB = (await call(KEYS.other, 'GetResourceDirectory')).ResourceDirectory.RootFolderId as string;
    const contactB = await contact(KEYS.other, 'tenantb');
    const contactsA = await Promise.all(['aa', 'ab', 'ac', 'ad', 'ae'].map((n) => contact(KEYS.main, `tenant${n}`)));

    /** B binds or unbinds on its Root and waits until its member's message center shows it. */
    const centerHas = async () =>
      ((await admin('GET', `/accounts/${KEYS.other.accountId}/message-center`)).Contacts as Array<{ ContactId: string }>).some((c) => c.ContactId === contactB);
    const jobLatencies: number[] = [];
    const getLatencies: number[] = [];
    const measureB = async (untilMs: number) => {
      let bound = false;
      const jobs = (async () => {
        while (Date.now() < untilMs) {
          const started = performance.now();
          await call(KEYS.other, bound ? 'DisassociateMembers' : 'AssociateMembers', { ContactId: contactB, Members: [rootB] });
          bound = !bound;
          while ((await centerHas()) !== bound) await new Promise((r) => setTimeout(r, 5));
          jobLatencies.push(performance.now() - started);
        }
      })();
      const reads = (async () => {
        while (Date.now() < untilMs) {
          const started = performance.now();
          await call(KEYS.other, 'GetMessageContact', { ContactId: contactB });
          getLatencies.push(performance.now() - started);
          await new Promise((r) => setTimeout(r, 20));
        }
      })();
      await Promise.all([jobs, reads]);
    };
    const report = (label: string) => {
      const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]?.toFixed(1);
      console.log(
        `${label}: B job latency p50 ${q(jobLatencies, 0.5)} ms, p99 ${q(jobLatencies, 0.99)} ms, max ${q(jobLatencies, 1)} ms (${jobLatencies.length} jobs); ` +
          `B GetMessageContact p50 ${q(getLatencies, 0.5)} ms, p99 ${q(getLatencies, 0.99)} ms (${getLatencies.length} calls)`,
      );
      jobLatencies.length = 0;
      getLatencies.length = 0;
    };

    await measureB(Date.now() + seconds * 1000);
    report(`alone (${backend})`);

    let stop = false;
    let fanOuts = 0;
    const loopA = Promise.all(
      contactsA.map(async (ContactId) => {
        let bound = false;
        while (!stop) {
          const status = await tryCall(KEYS.main, bound ? 'DisassociateMembers' : 'AssociateMembers', { ContactId, Members: [rootA] });
          // 429 ConcurrentCallNotSupported: this contact's last fan-out is still running.
          if (status === 200) {
            bound = !bound;
            fanOuts++;
          } else await new Promise((r) => setTimeout(r, 50));
        }
      }),
    );
    await measureB(Date.now() + seconds * 1000);
    stop = true;
    await loopA;
    report(`with tenant A looping bind/unbind on ${members.toLocaleString('en')} members (${fanOuts} fan-outs started)`);
  } finally {
    await server.kill();
    await database.drop();
  }
}

main().catch((err: unknown) => {
  console.error('fairness bench failed:', err);
  process.exitCode = 1;
});
