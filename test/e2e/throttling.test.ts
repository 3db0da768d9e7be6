import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertFailure, failure, openApiCore, popCore } from '../helpers/clients.js';
import { TestClock } from '../helpers/clock.js';
import { countRows } from '../helpers/database.js';
import { send, v1Request } from '../helpers/raw.js';
import { KEYS, startTestServer } from '../helpers/server.js';

/**
 * Per-caller throttling (RDMC_THROTTLE_RATE, RDMC_THROTTLE_BURST; docs/operations.md
 * "Limits"): a token bucket per caller account on each node, on the domain clock, which the
 * test holds still so a bucket refills only when the test says.
 */
const THROTTLED = [400, 'Throttling.User', 'Request was denied due to user flow control.'] as const;
const BURST = 5;

test('past its burst a caller gets 400 Throttling.User from every client; other callers and unsigned requests are not counted; time refills the bucket', async (t) => {
  const clock = new TestClock();
  const server = await startTestServer({ throttleRate: 1, throttleBurst: BURST }, { clock });
  t.after(() => server.stop());
  const v3 = openApiCore(server.url);
  const v1 = popCore(server.url);

  // Requests that fail before the signature is verified take nothing from the caller's bucket.
  for (let i = 0; i < 20; i++) {
    const forged = await send(server.url, v1Request({ secret: 'not-the-secret' }));
    assert.equal(forged.json!.Code, 'SignatureDoesNotMatch');
  }
  for (let i = 0; i < BURST; i++) await (i % 2 ? v1 : v3)('GetResourceDirectory');
  await assertFailure(v3('GetResourceDirectory'), ...THROTTLED);
  const fromPop = await failure(v1('GetResourceDirectory'));
  assert.deepEqual([fromPop.code, fromPop.data.Message], THROTTLED.slice(1));
  // openapi-core classifies by the code: callers that retry on throttling retry this.
  const raw = await send(server.url, v1Request());
  assert.deepEqual([raw.status, raw.json!.Code, raw.json!.Message], [...THROTTLED]);

  // Another tenant has a bucket of its own.
  await openApiCore(server.url, KEYS.other)('EnableResourceDirectory', { EnableMode: 'CurrentAccount' });

  clock.advance(1_000);
  await v3('GetResourceDirectory');
  await assertFailure(v3('GetResourceDirectory'), ...THROTTLED);
  clock.advance(60_000);
  for (let i = 0; i < BURST; i++) await v1('GetResourceDirectory');
  await assertFailure(v1('GetResourceDirectory'), ...THROTTLED);
});

test('a flood of signed requests past the rate writes no nonce: the nonce table grows by the burst, not by the flood', async () => {
  const clock = new TestClock();
  const server = await startTestServer({ throttleRate: 1, throttleBurst: BURST }, { clock });
  const FLOOD = 200;
  const answered: Record<string, number> = {};
  try {
    for (let i = 0; i < FLOOD; i++) {
      const r = await send(server.url, v1Request());
      answered[r.json!.Code ?? 'ok'] = (answered[r.json!.Code ?? 'ok'] ?? 0) + 1;
    }
  } finally {
    await server.close();
  }
  const { signature_nonces: nonces } = await countRows(server.database, ['signature_nonces']);
  await server.database.drop();
  assert.deepEqual(answered, { ok: BURST, 'Throttling.User': FLOOD - BURST });
  assert.equal(nonces, BURST, `${FLOOD} signed requests wrote ${nonces} nonces`);
});
