import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { SaxesParser } from 'saxes';
import { adminClient } from '../helpers/admin.js';
import { openApiCore, type Call } from '../helpers/clients.js';
import { addContact } from '../helpers/contacts.js';
import { eventually } from '../helpers/eventually.js';
import { TEST_BACKEND } from '../helpers/database.js';
import { send, v1Request, v1Split, v3Request, hostOf } from '../helpers/raw.js';
import { ask, begin, exchange } from '../helpers/socket.js';
import { KEYS, startTestServer, type TestServer } from '../helpers/server.js';

/** Requests no client library would send, written byte for byte on a socket. */
let server: TestServer;
let call: Call;
const logged: Array<{ level: number; msg: string }> = [];
before(async () => {
  const sink = new Writable({
    write(line: Buffer, _enc, done) {
      logged.push(JSON.parse(line.toString('utf8')));
      done();
    },
  });
  server = await startTestServer({}, { logger: pino({ level: 'debug' }, sink) });
  call = openApiCore(server.url);
});
after(() => server.stop());

const healthy = async () => assert.equal((await adminClient(server.url).get('/health')).Status, 'ok');

test('a malformed request target gets a 4xx in the RPC envelope, and the server goes on serving', async () => {
  for (const target of ['//?x=1', '//', '//[::1', '//[::1]:80/', 'http://[::1/', 'http://x/', '*', '/%', '/?%zz=%']) {
    const answer = await ask(server.url, `GET ${target} HTTP/1.1\r\nHost: x\r\n\r\n`);
    assert.ok(answer, target);
    assert.ok(answer.status >= 400 && answer.status < 500, `${target}: ${answer.status}`);
    assert.equal(typeof answer.json?.Code, 'string', target);
    assert.equal(typeof answer.json?.RequestId, 'string', target);
    await healthy();
  }
});

test('a request the HTTP parser refuses still gets the envelope, then the connection closes', async () => {
  const answer = await ask(server.url, 'GET /\u0001 HTTP/1.1\r\nHost: x\r\n\r\n');
  assert.deepEqual([answer?.status, answer?.json?.Code], [400, 'MalformedRequest']);
  await healthy();
});

test('a target with an authority never reaches the admin API', async () => {
  const id = await addContact(call, { Name: 'survivor', EmailAddress: 'survivor@example.com', Title: 'CEO', MessageTypes: ['FaultMessage'] });
  for (const target of ['//x/_rdmc/reset', 'http://x/_rdmc/reset', '//127.0.0.1/_rdmc/reset']) {
    const answer = await ask(server.url, `POST ${target} HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n`);
    assert.deepEqual([answer?.status, answer?.json?.Code], [404, 'InvalidAction.NotFound'], target);
  }
  // Dot segments are not resolved either: the raw path names no admin route.
  const dotted = await ask(server.url, 'POST /x/../_rdmc/reset HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n');
  assert.deepEqual([dotted?.status, dotted?.json?.Code], [404, 'InvalidAction.NotFound']);
  assert.equal((await call('GetMessageContact', { ContactId: id })).Contact.Name, 'survivor');
});

test('no path reads a body past the limit: the answer comes first and closes the connection', async () => {
  const chunk = Buffer.alloc(64 * 1024, 'a');
  const form = 'application/x-www-form-urlencoded';
  const cases = [['/nope', 404, form], ['/verify/aaaaaaaaaaaaaaaaaaaaaaaa', 404, form], ['/', 413, form], ['/_rdmc/messages', 413, 'application/json'], ['/_rdmc/messages', 415, form]] as const;
  for (const [path, status, type] of cases) {
    // A Host naming the server, or the admin API would refuse before any body.
    const head = `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: ${type}\r\nContent-Length: ${50 * 1024 * 1024}\r\n\r\n`;
    const { answer, closed } = await exchange(server.url, Buffer.concat([Buffer.from(head), chunk]));
    assert.equal(answer?.status, status, `${path} ${type}`);
    assert.equal(answer?.headers.connection, 'close', path);
    // The server ends the connection with 50 MB still unsent: it is not waiting for them.
    await closed;
  }
  await healthy();
});

test('a page asked for with a body that never ends gets one answer and its connection closed', async () => {
  const paths = [
    ['/_rdmc/console', 200],
    ['/_rdmc/console/nowhere', 404],
    ['/', 303],
    ['/verify/aaaaaaaaaaaaaaaaaaaaaaaa', 404],
    ['/_rdmc/backup', TEST_BACKEND === 'sqlite' ? 200 : 400],
  ] as const;
  for (const [path, status] of paths) {
    // Chunked and never finished: the page needs no body, so none is waited for.
    const head = `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/html\r\nTransfer-Encoding: chunked\r\n\r\n`;
    const { answer, closed, socket } = await exchange(server.url, `${head}5\r\nabcde\r\n`);
    let after = '';
    socket.on('data', (chunk: Buffer) => (after += chunk.toString('latin1')));
    assert.equal(answer?.status, status, path);
    assert.equal(answer?.headers.connection, 'close', path);
    // More of the body does not keep the connection: the server has ended it.
    socket.write('5\r\nfghij\r\n', () => {});
    // Closed by the server, not by a timer of ours: a connection left open fails the test by its
    // timeout, and one closed only by the request timeout shows its 408 in `after`.
    await closed;
    socket.destroy();
    assert.doesNotMatch(after, /HTTP\/1\.1/, `${path}: a second answer on the connection`);
  }
  await healthy();
});

test('console and verification pages may not be framed, and keep their content policy', async () => {
  for (const path of ['/_rdmc/console', '/_rdmc/console/nowhere', '/verify/aaaaaaaaaaaaaaaaaaaaaaaa']) {
    const answer = await ask(server.url, `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    assert.match(answer?.headers['content-type'] ?? '', /^text\/html/, path);
    assert.equal(answer?.headers['content-security-policy'], "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'", path);
    assert.equal(answer?.headers['x-frame-options'], 'DENY', path);
  }
  // The console's refusals too (a Host that names another server).
  const refused = await ask(server.url, 'GET /_rdmc/console HTTP/1.1\r\nHost: rebind.example\r\n\r\n');
  assert.deepEqual([refused?.status, refused?.headers['x-frame-options']], [403, 'DENY']);
});

test('a client hang-up is the client\'s doing: logged at debug, counted apart, never an InternalError', async () => {
  const started = await begin(server.url, 'POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000');
  await started.abandon('Action=');
  const admin = adminClient(server.url);
  let metrics = '';
  // The abort is handled asynchronously: read the counters until it shows (each read is a request).
  await eventually('the abort counted', async () => {
    metrics = await (await fetch(`${server.url}/_rdmc/metrics`)).text();
    return /rdmc_client_aborts_total\S* 1/.test(metrics);
  }, { tries: 1000, intervalMs: 0 });
  assert.match(metrics, /rdmc_client_aborts_total\S* 1/);
  assert.doesNotMatch(metrics, /InternalError/);
  assert.deepEqual(logged.filter((l) => l.level >= 50), []);
  assert.ok(logged.some((l) => l.level === 20 && /closed the connection/.test(l.msg)));
  await admin.get('/health');
});

test('without a token, any forwarding header means "behind a proxy": the admin API refuses it', async () => {
  const admin = adminClient(server.url);
  for (const header of ['x-client-ip', 'true-client-ip', 'cf-connecting-ip', 'x-forwarded-host', 'x-forwarded-proto', 'forwarded', 'via', 'x-real-ip', 'fastly-client-ip', 'x-cluster-client-ip']) {
    const r = await admin.raw('GET', '/health', undefined, { [header]: '203.0.113.9' });
    assert.deepEqual([r.status, r.body.Code], [403, 'Forbidden'], header);
  }
  assert.equal((await admin.raw('GET', '/health')).status, 200);
});

/** Parses `text` as XML 1.0, failing on anything not well-formed. */
function assertWellFormed(text: string) {
  const parser = new SaxesParser();
  let error: Error | undefined;
  parser.on('error', (e) => (error ??= e));
  parser.write(text).close();
  assert.equal(error, undefined, `${error?.message}\n${JSON.stringify(text)}`);
}

test('every answer in Format=XML is well-formed XML 1.0, whatever the parameter names hold', async () => {
  for (const name of ['bad\u0001\u0000name', 'a\u001Fb\uFFFE', 'x]]>&<y']) {
    const r = await send(server.url, v1Request({ action: 'ListMessageContacts', params: { Format: 'XML', [name]: 'v' } }));
    assert.equal(r.status, 400);
    assert.match(r.text, /<Code>InvalidParameter<\/Code>/);
    assertWellFormed(r.text);
  }
});

test('a v1 request must say SignatureVersion=1.0', async () => {
  const r = await send(server.url, v1Request({ params: { SignatureVersion: '2.0' } }));
  assert.deepEqual([r.status, r.json?.Code], [400, 'InvalidSignatureVersion']);
  assert.equal((await send(server.url, v1Request({}))).status, 200);
});

test('a signature nonce is at most 128 characters, on both signature versions', async () => {
  assert.equal((await send(server.url, v1Request({ nonce: 'n'.repeat(128) }))).status, 200);
  const long = await send(server.url, v1Request({ nonce: 'n'.repeat(129) }));
  assert.deepEqual([long.status, long.json?.Code], [400, 'InvalidSignatureNonce']);
  const v3 = await send(server.url, v3Request(hostOf(server.url), { nonce: 'm'.repeat(10_000) }));
  assert.deepEqual([v3.status, v3.json?.Code], [400, 'InvalidSignatureNonce']);
});

test('distinct huge list indexes grow neither the metrics nor the log: each a documented 400 from a fixed few codes', async () => {
  const firstLine = logged.length;
  const cases: Array<[string, (i: number) => Record<string, string>, string]> = [
    // Indexes of more than 9 digits are refused with the list's own code (what the attack sent: 900,000 digits).
    ['ListAccounts', (i) => ({ [`Tag.${String(i).padStart(20_000, '0')}.Key`]: '\u0001' }), 'InvalidParameter.Tag'],
    ['TagResources', (i) => ({ ResourceType: 'Account', [`ResourceId.${String(i).padStart(20_000, '0')}`]: 'x', 'Tag.1.Key': 'k' }), 'InvalidParameter.ResourceId'],
    // A 9-digit index is read, but the code names the pair by its position, never by the index.
    ['ListAccounts', (i) => ({ [`Tag.${100_000_000 + i}.Key`]: '\u0001' }), 'InvalidParameter.Tag.1.Key'],
    ['ListFoldersForParent', (i) => ({ [`Tag.${100_000_000 + i}.Value`]: 'v' }), 'InvalidParameter.Tag.1.Key'],
  ];
  for (let i = 1; i <= 40; i++) {
    for (const [action, params, code] of cases) {
      const r = await send(server.url, v1Request({ method: 'POST', action, params: params(i) }));
      assert.deepEqual([r.status, r.json?.Code], [400, code], action);
    }
  }
  const metrics = await (await fetch(`${server.url}/_rdmc/metrics`)).text();
  const codes = new Set(metrics.split('\n').filter((l) => l.startsWith('rdmc_rpc_requests_total{')).map((l) => /code="([^"]*)"/.exec(l)?.[1]));
  assert.deepEqual([...codes].filter((c) => c?.startsWith('InvalidParameter.')).sort(), [
    'InvalidParameter.ResourceId',
    'InvalidParameter.Tag',
    'InvalidParameter.Tag.1.Key',
  ]);
  assert.ok(metrics.length < 64 * 1024, `${metrics.length} bytes of metrics`);
  const rpcLines = logged.slice(firstLine).filter((l) => l.msg === 'rpc');
  assert.equal(rpcLines.length, 160);
  assert.ok(rpcLines.every((l) => JSON.stringify(l).length < 1024));
});

test('a tag error names the pair by its position in N order (1 to 20); more than 20 pairs is LimitExceeded.Tag', async () => {
  const keyless = await send(server.url, v1Request({ action: 'ListAccounts', params: { 'Tag.7.Key': 'a', 'Tag.900.Value': 'x' } }));
  assert.deepEqual([keyless.status, keyless.json?.Code, keyless.json?.Message], [400, 'InvalidParameter.Tag.2.Key', 'The Tag.2.Key is invalid.']);
  const many = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`Tag.${i * 1000 + 1}.Key`, i === 20 ? '\u0001' : `k${i}`]));
  const tooMany = await send(server.url, v1Request({ method: 'POST', action: 'ListAccounts', params: many }));
  assert.deepEqual([tooMany.status, tooMany.json?.Code], [400, 'LimitExceeded.Tag']);
  // Tag.01 would be Tag.1 under another name, past the repeated-name check: with both signed,
  // which value an action read would depend on wire order, which the signature does not cover.
  const aliases: Array<[string, Record<string, string>, string]> = [
    ['ListAccounts', { 'Tag.1.Key': 'env', 'Tag.1.Value': 'dev', 'Tag.01.Value': 'prod' }, 'InvalidParameter.Tag'],
    ['ListAccounts', { 'Tag.0.Key': 'env' }, 'InvalidParameter.Tag'],
    ['TagResources', { ResourceType: 'Account', 'ResourceId.01': 'x', 'Tag.1.Key': 'k' }, 'InvalidParameter.ResourceId'],
  ];
  for (const [action, params, code] of aliases) {
    const r = await send(server.url, v1Request({ action, params }));
    assert.deepEqual([r.status, r.json?.Code], [400, code], JSON.stringify(params));
  }
});

test('more than 1,000 parameters, query and form body together, are refused before anything is decoded', async () => {
  const pad = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `p${from + i}=`).join('&');
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const refused = [
    // The attack's shape: a 1 MiB body of empty parameters, no valid signature needed.
    { method: 'POST', path: '/', headers: form, body: `AccessKeyId=testMainKey&${pad(100_000)}` },
    { method: 'POST', path: `/?${pad(600)}`, headers: form, body: pad(401, 600) },
    { method: 'GET', path: `/?${pad(1001)}`, headers: {} },
  ];
  for (const req of refused) {
    const r = await send(server.url, req);
    assert.deepEqual([r.status, r.json?.Code, r.json?.Message], [400, 'InvalidParameter', 'The request carries more than 1000 parameters.'], req.path.slice(0, 20));
  }
  // Exactly 1,000 (9 signed common ones and 991 others) are read: the signature is checked, then the names.
  const filler = Object.fromEntries(Array.from({ length: 991 }, (_, i) => [`p${i}`, '']));
  const r = await send(server.url, v1Request({ method: 'POST', action: 'ListAccounts', params: filler }));
  assert.deepEqual([r.status, r.json?.Code, r.json?.Message], [400, 'InvalidParameter', 'The parameter "p0" is not supported by this action.']);
  // An undeclared name is echoed cut at 128 characters, however long the caller made it.
  const longName = 'q'.repeat(500_000);
  const unknown = await send(server.url, v1Request({ method: 'POST', action: 'ListAccounts', params: { [longName]: '' } }));
  assert.deepEqual([unknown.status, unknown.json?.Code, unknown.json?.Message], [400, 'InvalidParameter', `The parameter "${'q'.repeat(128)}..." is not supported by this action.`]);
  await healthy();
});

// Attack round 2, F9: signatures cover the pairs sorted, so they do not fix which of two
// pairs of one name an action would see; someone on the path could choose it.
test('a parameter name given twice, in the query, the body or one in each, is refused before any action runs', async () => {
  const twice = (name: string) => [400, 'InvalidParameter', `The parameter "${name}" is given more than once.`];
  const answer = (r: Awaited<ReturnType<typeof send>>) => [r.status, r.json?.Code, r.json?.Message];
  const folders = async () => (await call('ListFoldersForParent', {})).TotalCount;
  const before = await folders();
  const create: [string, string] = ['Action', 'CreateFolder'];
  const signed = [
    // Validly signed, each of them: only the repeat is wrong.
    v1Split([create, ['FolderName', 'intended'], ['FolderName', 'attacker']], []),
    v1Split([], [create, ['FolderName', 'attacker'], ['FolderName', 'intended']]),
    v1Split([['FolderName', 'attacker']], [create, ['FolderName', 'intended']]),
    v3Request(hostOf(server.url), { action: 'CreateFolder', query: [['FolderName', 'intended'], ['FolderName', 'attacker']] }),
    v3Request(hostOf(server.url), { action: 'CreateFolder', query: { FolderName: 'attacker' }, form: { FolderName: 'intended' } }),
  ];
  for (const req of signed) assert.deepEqual(answer(await send(server.url, req)), twice('FolderName'), `${req.path} ${req.body}`);
  // Names compare decoded; the check comes before the signature and before Format is read (JSON).
  for (const path of ['/?Action=CreateFolder&FolderName=a&Folder%4Eame=b', '/?Action=CreateFolder&Action=DeleteFolder&Format=XML']) {
    const r = await send(server.url, { method: 'GET', path, headers: {} });
    assert.deepEqual(answer(r), twice(path.includes('Folder%4E') ? 'FolderName' : 'Action'), path);
  }
  // A long name is echoed cut, at 128 characters.
  const long = 'n'.repeat(100_000);
  const r = await send(server.url, { method: 'POST', path: '/', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `${long}=1&${long}=2` });
  assert.deepEqual(answer(r), twice(`${'n'.repeat(128)}...`));
  assert.equal(await folders(), before, 'no folder was created');
  // The same calls, each name once, go through.
  assert.equal((await send(server.url, v1Split([['FolderName', 'intended']], [create]))).status, 200);
  assert.equal(await folders(), before + 1);
});

// PostgreSQL cannot store NUL: a nonce holding one used to pass the signature check and fail
// at the INSERT with a 500 (npm run test:postgres runs this file on PostgreSQL).
test('a signature nonce is printable ASCII without spaces, on both signature versions', async () => {
  for (const nonce of ['3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf', 'dad0a8fc5ac8bb7dff0251a358bc2b6f', '!~_.-+/=']) {
    assert.equal((await send(server.url, v1Request({ nonce }))).status, 200, nonce);
  }
  for (const nonce of ['abc\u0000def', 'abc\u0001', 'tab\there', 'del\u007f', 'with space', 'caf\u00e9']) {
    for (const method of ['GET', 'POST'] as const) {
      const r = await send(server.url, v1Request({ nonce, method }));
      assert.deepEqual([r.status, r.json?.Code], [400, 'InvalidSignatureNonce'], `${method} ${JSON.stringify(nonce)}`);
    }
  }
  for (const nonce of ['with space', 'tab\there']) {
    const r = await send(server.url, v3Request(hostOf(server.url), { nonce }));
    assert.deepEqual([r.status, r.json?.Code], [400, 'InvalidSignatureNonce'], JSON.stringify(nonce));
  }
  assert.deepEqual(logged.filter((l) => l.level >= 50), [], 'no error was logged');
});

test('outbox filters holding a control character are a 400 on the admin API and the console, never a 500', async () => {
  const admin = adminClient(server.url);
  for (const [method, path, code] of [
    ['GET', '/outbox?To=a%00b', 'InvalidParameter.To'],
    ['GET', '/outbox?To=a%0Ab%40example.com', 'InvalidParameter.To'],
    ['GET', '/outbox?MessageId=a%00b', 'InvalidParameter.MessageId'],
    ['DELETE', '/outbox?MessageId=ok&MessageId=a%00b', 'InvalidParameter.MessageId'],
  ]) {
    const r = await admin.raw(method!, path!);
    assert.deepEqual([r.status, r.body.Code], [400, code], `${method} ${path}`);
  }
  assert.equal((await admin.get('/outbox?To=nobody%40example.com')).Messages.length, 0, 'a clean filter still reads');
  const page = await fetch(`${server.url}/_rdmc/console/outbox?To=a%00b`);
  assert.equal(page.status, 400);
  assert.match(await page.text(), /To must not contain control characters/);
  assert.deepEqual(logged.filter((l) => l.level >= 50), [], 'no error was logged');
});

test('a state file is held to the control-character rule of the API: tags, display names and account names', async () => {
  const admin = adminClient(server.url);
  const directory = (more: Record<string, unknown>) => ({ Directories: [{ MasterAccountId: KEYS.main.accountId, ...more }] });
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ Accounts: [{ DisplayName: 'tagged', Tags: { 'k\u0000': 'v' } }] }, 'InvalidParameter.Tag.1.Key'],
    [{ Accounts: [{ DisplayName: 'tagged', Tags: { k: 'v\u0000' } }] }, 'InvalidParameter.Tag.1.Value'],
    [{ Folders: [{ FolderName: 'tagged', Tags: { 'line\nbreak': 'v' } }] }, 'InvalidParameter.Tag.1.Key'],
    [{ Folders: [{ FolderName: 'tagged', Tags: { k: 'bell\u0007' } }] }, 'InvalidParameter.Tag.1.Value'],
    [{ Accounts: [{ DisplayName: 'x\u0000y' }] }, 'InvalidParameter.DisplayName'],
    [{ Accounts: [{ DisplayName: 'named', AccountName: 'a\u0000b@example.com' }] }, 'InvalidState'],
    [{ Accounts: [{ DisplayName: 'named', AccountName: 'a\u0001b@example.com' }] }, 'InvalidState'],
  ];
  for (const [entry, code] of cases) {
    for (const method of ['POST', 'PUT']) {
      const r = await admin.raw(method, '/state', directory(entry));
      assert.deepEqual([r.status, r.body.Code], [400, code], `${method} ${JSON.stringify(entry)}`);
    }
  }
  const accounts = (await call('ListAccounts', { PageSize: 100 })).Accounts.Account as Array<{ DisplayName: string }>;
  assert.deepEqual(accounts.filter((a) => ['tagged', 'named'].includes(a.DisplayName)), [], 'nothing of a refused file was written');
  assert.deepEqual(logged.filter((l) => l.level >= 50), [], 'no error was logged');
});
