import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { describeFailure, LAST_ERROR_BYTES } from '../../src/jobs/failure-cause.js';

test('a fetch that cannot connect keeps its cause: code, errno, syscall and address:port', async () => {
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
  const err = await fetch(`http://127.0.0.1:${port}/sms`).then(
    () => assert.fail('nothing listens there'),
    (e: unknown) => e,
  );
  assert.equal(
    describeFailure(err),
    `TypeError: fetch failed <- caused by: Error: connect ECONNREFUSED 127.0.0.1:${port} (code=ECONNREFUSED errno=-111 syscall=connect address=127.0.0.1:${port})`,
  );
});

test('AggregateError members, IPv6 addresses, host names and non-Error causes are each described', () => {
  const v6 = Object.assign(new Error('connect ECONNREFUSED ::1:25'), { code: 'ECONNREFUSED', syscall: 'connect', address: '::1', port: 25 });
  const v4 = Object.assign(new Error('connect ETIMEDOUT 10.0.0.1:25'), { code: 'ETIMEDOUT', address: '10.0.0.1', port: 25 });
  const dns = Object.assign(new Error('getaddrinfo ENOTFOUND mail.invalid'), { code: 'ENOTFOUND', syscall: 'getaddrinfo', hostname: 'mail.invalid' });
  const top = new Error('send failed', { cause: new AggregateError([v6, v4, dns], 'every address failed') });
  assert.equal(
    describeFailure(top),
    'Error: send failed <- caused by: AggregateError: every address failed {' +
      '[1] Error: connect ECONNREFUSED ::1:25 (code=ECONNREFUSED syscall=connect address=[::1]:25); ' +
      '[2] Error: connect ETIMEDOUT 10.0.0.1:25 (code=ETIMEDOUT address=10.0.0.1:25); ' +
      '[3] Error: getaddrinfo ENOTFOUND mail.invalid (code=ENOTFOUND syscall=getaddrinfo hostname=mail.invalid)}',
  );
  assert.equal(describeFailure(new Error('outer', { cause: 'a plain string' })), 'Error: outer <- caused by: a plain string');
  assert.equal(describeFailure('thrown text'), 'thrown text');
});

test('a cyclic or endless chain ends, and the text is cut to 1 KiB of UTF-8 without splitting a character', () => {
  const a = new Error('a');
  const b = new Error('b', { cause: a });
  (a as { cause?: unknown }).cause = b;
  assert.equal(describeFailure(a), 'Error: a <- caused by: Error: b <- caused by: (cycle)');

  let deep: Error = new Error('bottom');
  for (let i = 0; i < 100; i++) deep = new Error(`level ${i}`, { cause: deep });
  assert.equal(describeFailure(deep).split(' <- caused by: ').length, 8, 'eight levels at most');

  const long = describeFailure(new Error('é'.repeat(2_000)));
  assert.ok(Buffer.byteLength(long) <= LAST_ERROR_BYTES, `${Buffer.byteLength(long)} bytes`);
  assert.ok(Buffer.byteLength(long) > LAST_ERROR_BYTES - 4, 'cut at the bound, not before');
  assert.ok(long.endsWith('é…'), 'cut between characters, marked');
  assert.equal(LAST_ERROR_BYTES, 1024);

  const wide = new AggregateError(Array.from({ length: 20 }, (_, i) => new Error(`m${i}`)), 'many');
  assert.match(describeFailure(wide), /\[8\] Error: m7 \[\+12 more\]\}$/);
});
