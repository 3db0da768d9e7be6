import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { test } from 'node:test';
import { adminAllowed, isLoopback } from '../../src/admin/access.js';

const request = (remoteAddress: string, authorization?: string) =>
  ({ socket: { remoteAddress }, headers: authorization ? { authorization } : {} }) as unknown as IncomingMessage;

test('loopback peers are 127.0.0.0/8 and ::1, IPv4-mapped too', () => {
  for (const a of ['127.0.0.1', '127.4.5.6', '::1', '::ffff:127.0.0.1']) assert.equal(isLoopback(a), true, a);
  for (const a of ['10.0.0.1', '192.168.1.2', '::ffff:10.0.0.1', 'fe80::1', '', undefined]) assert.equal(isLoopback(a), false, String(a));
});

test('without a token only loopback peers are served', () => {
  assert.equal(adminAllowed(request('127.0.0.1'), undefined), 'ok');
  assert.equal(adminAllowed(request('10.1.2.3'), undefined), 'forbidden');
});

test('with a token every peer needs it, loopback included', () => {
  assert.equal(adminAllowed(request('10.1.2.3', 'Bearer s3cret'), 's3cret'), 'ok');
  assert.equal(adminAllowed(request('127.0.0.1'), 's3cret'), 'unauthorized');
  assert.equal(adminAllowed(request('127.0.0.1', 'Bearer s3cre'), 's3cret'), 'unauthorized');
  assert.equal(adminAllowed(request('127.0.0.1', 's3cret'), 's3cret'), 'unauthorized');
});
