import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, test } from 'node:test';
import { adminClient } from '../helpers/admin.js';
import { eventually } from '../helpers/eventually.js';
import { exchange } from '../helpers/socket.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * Clients that hold connections open: one that trickles its request meets the request
 * timeout (408, connection closed), and connections beyond the cap are closed at once, so
 * neither can take every socket. The limits are set low here; the defaults are in
 * docs/operations.md.
 */
const MAX_CONNECTIONS = 4;
/** Without the limits these tests would wait for Node's own (5 minutes): fail well before. */
const BOUNDED = { timeout: 30_000 };
let server: TestServer;
before(async () => {
  server = await startTestServer({ requestTimeoutMs: 1_000, maxConnections: MAX_CONNECTIONS });
});
after(() => server.stop());

const healthy = async () => assert.equal((await adminClient(server.url).get('/health')).Status, 'ok');

test('a request whose body stops coming gets 408 RequestTimeout and its connection is closed', BOUNDED, async () => {
  const { answer, closed } = await exchange(server.url, 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nAction=Get');
  assert.equal(answer?.status, 408);
  assert.equal(answer?.json?.Code, 'RequestTimeout');
  assert.equal(typeof answer?.json?.RequestId, 'string');
  await closed;
  await healthy();
});

test('headers that stop coming get 408 RequestTimeout as well', BOUNDED, async () => {
  const { answer, closed } = await exchange(server.url, 'GET /_rdmc/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
  assert.equal(answer?.status, 408);
  assert.equal(answer?.json?.Code, 'RequestTimeout');
  await closed;
});

test('an idle kept-alive connection outlives the request timeout and serves its next request', BOUNDED, async () => {
  const socket = connect(Number(new URL(server.url).port), '127.0.0.1');
  const answers: string[] = [];
  socket.on('data', (chunk: Buffer) => answers.push(chunk.toString('latin1')));
  const request = 'GET /_rdmc/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';
  socket.write(request);
  await until(() => answers.join('').includes('"ok"'));
  // A request whose headers stop coming, sent once the first connection is idle: its 408 shows
  // the request timeout has passed (and been enforced) for the idle connection too, which only
  // the keep-alive timeout (65 s) governs.
  const slow = await exchange(server.url, 'GET /_rdmc/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
  assert.equal(slow.answer?.status, 408);
  await slow.closed;
  answers.length = 0;
  socket.write(request);
  await until(() => answers.join('').includes('"ok"'));
  assert.match(answers.join(''), /^HTTP\/1\.1 200/);
  socket.destroy();
});

test('connections beyond the cap are closed at once; the ones held keep working, and a freed place is taken', BOUNDED, async () => {
  const held: Socket[] = [];
  for (let i = 0; i < MAX_CONNECTIONS; i++) held.push(await open());
  const refused = await open();
  await new Promise<void>((resolve) => refused.once('close', () => resolve()));
  // A held connection is still served.
  held[0]!.write('GET /_rdmc/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
  const answer = await new Promise<string>((resolve) => held[0]!.once('data', (chunk: Buffer) => resolve(chunk.toString('latin1'))));
  assert.match(answer, /^HTTP\/1\.1 200/);
  for (const s of held) s.destroy();
  // Once the server has seen them go, new connections are served again.
  await eventually('a connection served after the held ones closed', () => healthy().then(() => true, () => false));
});

function open(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(new URL(server.url).port), '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

const until = (check: () => boolean) => eventually('the answer', check);
