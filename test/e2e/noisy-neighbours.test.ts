import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { adminClient } from '../helpers/admin.js';
import { eventually } from '../helpers/eventually.js';
import { popCore } from '../helpers/clients.js';
import { seedTaggedMembers, worstListAccounts } from '../helpers/heavy-tenant.js';
import { send, v1Request } from '../helpers/raw.js';
import { KEYS, startTestServer, type TestServer } from '../helpers/server.js';

/**
 * One tenant's legal but heavy requests against another tenant (docs/operations.md, "Work
 * per request"). No timings: what is asserted is the order answers arrive in, and the answers.
 */
const MEMBERS = 3_000;
/**
 * Heavy lists at once: twelve, as in the report where the next admin request got no answer
 * (the node was alive and accepting, GET /_rdmc/health/live answered, but /_rdmc/health waited
 * for a pooled connection behind the lists, 120 s at 3,000 members); far more than
 * RDMC_TENANT_LIST_CONCURRENCY (2) lets run and the test pool (4) holds.
 */
const HEAVY = 12;

const worst = () => Object.fromEntries(Object.entries(worstListAccounts()).map(([k, v]) => [k, String(v)]));
const heavyList = (url: string) => send(url, v1Request({ action: 'ListAccounts', params: worst() }));

/** A server whose `main` tenant has the heavy directory and whose `other` tenant has one too; then restarted with `extra`. */
async function tenantWithHeavyDirectory(extra = {}): Promise<TestServer> {
  const server = await startTestServer();
  try {
    await seedTaggedMembers(server.url, popCore(server.url), MEMBERS);
    await popCore(server.url, KEYS.other)('EnableResourceDirectory', { EnableMode: 'CurrentAccount' });
  } catch (err) {
    await server.stop();
    throw err;
  }
  return server.restart(extra);
}

describe('one tenant running the heaviest legal lists', () => {
  let server: TestServer;
  before(async () => {
    server = await tenantWithHeavyDirectory();
  });
  after(() => server.stop());

  test("another tenant's request and the health check answer while the heavy lists still run", async () => {
    const order: string[] = [];
    const heavy = Array.from({ length: HEAVY }, () => heavyList(server.url).then((r) => (order.push('heavy'), r)));
    const other = popCore(server.url, KEYS.other)('GetResourceDirectory').then((r) => (order.push('other tenant'), r));
    const health = adminClient(server.url).get('/health').then((r) => (order.push('health'), r));
    const answers = await Promise.all(heavy);
    assert.ok((await other).ResourceDirectory.ResourceDirectoryId);
    assert.equal((await health).Status, 'ok');
    // Before: on SQLite the first list held the one connection to its end, on PostgreSQL the
    // lists took every pooled connection, and both waited behind them.
    assert.deepEqual(order.slice(0, 2).sort(), ['health', 'other tenant'], `answers arrived in the order ${order.join(', ')}`);
    for (const r of answers) {
      assert.equal(r.status, 200, r.text);
      assert.deepEqual([r.json!.TotalCount, r.json!.Accounts.Account], [MEMBERS, []]);
    }
  });
});

describe('a request past its deadline', () => {
  let server: TestServer;
  before(async () => {
    server = await tenantWithHeavyDirectory({ requestDeadlineMs: 100 });
  });
  after(() => server.stop());

  test('answers 503 ServiceUnavailable and gives back what it held', async () => {
    // Two run at once; the others wait their turn past their deadline, or are cut in the middle.
    const answers = await Promise.all(Array.from({ length: HEAVY }, () => heavyList(server.url)));
    const cut = answers.filter((r) => r.status !== 200);
    assert.ok(cut.length > 0, 'some heavy list ran past its deadline');
    for (const r of cut) {
      assert.equal(r.status, 503, r.text);
      assert.deepEqual([r.json!.Code, r.json!.Message], ['ServiceUnavailable', 'The request has failed due to a temporary failure of the server.']);
    }
    // Nothing is left held: the pool's connections and SQLite's turns are free for the next
    // callers, more of them than the pool holds (on a loaded machine one may itself run past
    // a deadline this short, hence the patience).
    const other = popCore(server.url, KEYS.other);
    for (let i = 0; i < 6; i++) {
      await eventually('the other tenant served within the deadline', () => other('GetResourceDirectory').then((r) => Boolean(r.ResourceDirectory), () => false), { tries: 50, intervalMs: 20 });
    }
  });
});
