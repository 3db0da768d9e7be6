import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { test } from 'node:test';
import { adminAccess, adminRefusal, isLoopback } from '../../src/admin/access.js';

const request = (remoteAddress: string, headers: Record<string, string> = {}) =>
  ({ socket: { remoteAddress }, headers }) as unknown as IncomingMessage;

const open = adminAccess({ host: '127.0.0.1' });
const guarded = adminAccess({ host: '127.0.0.1', adminToken: 's3cret' });
const verdict = (req: IncomingMessage, access = open) => adminRefusal(req, access)?.status ?? 'ok';

test('loopback peers are 127.0.0.0/8 and ::1, IPv4-mapped too', () => {
  for (const a of ['127.0.0.1', '127.4.5.6', '::1', '::ffff:127.0.0.1']) assert.equal(isLoopback(a), true, a);
  for (const a of ['10.0.0.1', '192.168.1.2', '::ffff:10.0.0.1', 'fe80::1', '', undefined]) assert.equal(isLoopback(a), false, String(a));
});

test('without a token only loopback peers are served', () => {
  assert.equal(verdict(request('127.0.0.1')), 'ok');
  assert.equal(verdict(request('10.1.2.3')), 403);
});

test('with a token every peer needs it, loopback included', () => {
  assert.equal(verdict(request('10.1.2.3', { authorization: 'Bearer s3cret' }), guarded), 'ok');
  assert.equal(verdict(request('127.0.0.1'), guarded), 401);
  assert.equal(verdict(request('127.0.0.1', { authorization: 'Bearer s3cre' }), guarded), 401);
  assert.equal(verdict(request('127.0.0.1', { authorization: 's3cret' }), guarded), 401);
});

test('without a token the Host must name this server: loopback names, the listen address, the public URL', () => {
  const access = adminAccess({ host: '192.0.2.7', publicUrl: 'https://rdmc.example.com/base' });
  const ok = ['localhost', 'LOCALHOST:8080', '127.0.0.1', '127.0.0.1:1', '[::1]', '[::1]:8080', '[0:0::1]:9', '192.0.2.7:8080', 'rdmc.example.com', 'rdmc.example.com:443'];
  for (const host of ok) assert.equal(verdict(request('127.0.0.1', { host }), access), 'ok', host);
  const refused = ['rebind.evil.example', 'rebind.evil.example:8080', 'evil@127.0.0.1', '127.0.0.1/x', '127.0.0.1#x', 'localhost.evil', '', '[::1', '192.0.2.8'];
  for (const host of refused) assert.equal(verdict(request('127.0.0.1', { host }), access), 403, host);
  // The listen address as the start-up line prints it, wildcard or IPv6, names this server too; no other name does.
  assert.equal(verdict(request('127.0.0.1', { host: '0.0.0.0:8080' }), adminAccess({ host: '0.0.0.0' })), 'ok');
  assert.equal(verdict(request('127.0.0.1', { host: '[::]:8080' }), adminAccess({ host: '::' })), 'ok');
  assert.equal(verdict(request('127.0.0.1', { host: 'mybox.lan:8080' }), adminAccess({ host: '0.0.0.0' })), 403);
  assert.equal(verdict(request('127.0.0.1', { host: '0.0.0.0:8080' }), open), 403);
  assert.equal(verdict(request('::1', { host: '[fd00::5]:8080' }), adminAccess({ host: 'fd00::5' })), 'ok');
  // With a token, the token is what counts: any name.
  assert.equal(verdict(request('10.1.2.3', { host: 'rdmc.internal', authorization: 'Bearer s3cret' }), guarded), 'ok');
});

test('browser requests from another site or origin are refused, with a token or without', () => {
  const crossSite: Array<Record<string, string>> = [
    { 'sec-fetch-site': 'cross-site' },
    { 'sec-fetch-site': 'same-site' },
    { origin: 'http://evil.example' },
    { origin: 'http://127.0.0.1:3000' },
    { origin: 'null' },
    { origin: 'junk' },
  ];
  for (const headers of crossSite) {
    assert.equal(verdict(request('127.0.0.1', { host: '127.0.0.1:8080', ...headers })), 403, JSON.stringify(headers));
    assert.equal(verdict(request('127.0.0.1', { host: '127.0.0.1:8080', authorization: 'Bearer s3cret', ...headers }), guarded), 403, JSON.stringify(headers));
  }
  const sameOrigin: Array<Record<string, string>> = [
    { origin: 'http://127.0.0.1:8080', 'sec-fetch-site': 'same-origin' },
    { origin: 'https://127.0.0.1:8080' },
    { 'sec-fetch-site': 'none' },
  ];
  for (const headers of sameOrigin) {
    assert.equal(verdict(request('127.0.0.1', { host: '127.0.0.1:8080', ...headers })), 'ok', JSON.stringify(headers));
  }
  // RDMC_PUBLIC_URL's origin is home too, whatever Host the proxy passes on.
  const proxied = adminAccess({ host: '127.0.0.1', adminToken: 's3cret', publicUrl: 'https://rdmc.example.com' });
  assert.equal(verdict(request('10.0.0.1', { host: 'backend:8080', origin: 'https://rdmc.example.com', authorization: 'Bearer s3cret' }), proxied), 'ok');
  assert.equal(verdict(request('10.0.0.1', { host: 'backend:8080', origin: 'https://rdmc.example.org', authorization: 'Bearer s3cret' }), proxied), 403);
});
