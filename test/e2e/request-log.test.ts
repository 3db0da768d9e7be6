import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { pino } from 'pino';
import { openApiCore } from '../helpers/clients.js';
import { startTestServer } from '../helpers/server.js';

/** The `rpc` log line of each request: the action asked for, even unsigned, and the error Code beside the status. */
test('request logs name the action of an unsigned call and the error Code', async () => {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  const server = await startTestServer({}, { logger: pino({ level: 'info' }, sink) });
  try {
    const unsigned = await fetch(`${server.url}/?Action=ListMessageContacts&Version=2022-04-19`);
    assert.equal(unsigned.status, 400);
    const v3Unsigned = await fetch(`${server.url}/`, { method: 'POST', headers: { 'x-acs-action': 'GetMessageContact' } });
    assert.equal(v3Unsigned.status, 400);
    await openApiCore(server.url)('GetResourceDirectory', {});
    const rpc = lines.filter((l) => l.msg === 'rpc').map(({ action, status, code }) => ({ action, status, code }));
    assert.deepEqual(rpc, [
      { action: 'ListMessageContacts', status: 400, code: 'MissingAccessKeyId' },
      { action: 'GetMessageContact', status: 400, code: 'MissingAccessKeyId' },
      { action: 'GetResourceDirectory', status: 200, code: undefined },
    ]);
  } finally {
    await server.stop();
  }
});
