import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { adminClient } from '../helpers/admin.js';
import { openApiCore } from '../helpers/clients.js';
import { exchange } from '../helpers/socket.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * Hostile raw HTTP replayed over a socket: request lines, targets, headers and bodies no
 * client library would produce. Each gets a 4xx answer (the RPC envelope, or the
 * verification page's HTML) or a closed connection, the data stays as it was, and the server
 * answers its health check after every one.
 */
// A Host naming the server: the admin entries reach the routes, not just the access rule.
const H = 'Host: 127.0.0.1\r\n';
const FORM = 'Content-Type: application/x-www-form-urlencoded\r\n';
const CORPUS: Array<[string, string | Buffer]> = [
  ['empty request line', '\r\n\r\n'],
  ['garbage', 'ajsdhf kajsdh fkjahsd\r\n\r\n'],
  ['lower-case method', `get / HTTP/1.1\r\n${H}\r\n`],
  ['unknown method', `BREW / HTTP/1.1\r\n${H}\r\n`],
  ['PUT on the RPC path', `PUT / HTTP/1.1\r\n${H}Content-Length: 0\r\n\r\n`],
  ['DELETE on the RPC path', `DELETE /?Action=DeleteMessageContact HTTP/1.1\r\n${H}\r\n`],
  ['TRACE', `TRACE / HTTP/1.1\r\n${H}\r\n`],
  ['CONNECT', `CONNECT rdmc:443 HTTP/1.1\r\n${H}\r\n`],
  ['OPTIONS *', `OPTIONS * HTTP/1.1\r\n${H}\r\n`],
  ['HTTP/2 preface', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'],
  ['HTTP/0.9', 'GET /\r\n'],
  ['HTTP/1.0 without Host', 'GET / HTTP/1.0\r\n\r\n'],
  ['HTTP/9.9', `GET / HTTP/9.9\r\n${H}\r\n`],
  ['no Host', 'GET / HTTP/1.1\r\n\r\n'],
  ['two Hosts', `GET / HTTP/1.1\r\n${H}${H}\r\n`],
  ['authority target to the admin API', `POST //evil/_rdmc/reset HTTP/1.1\r\n${H}Content-Length: 0\r\n\r\n`],
  ['absolute target to the admin API', `POST http://evil/_rdmc/reset HTTP/1.1\r\n${H}Content-Length: 0\r\n\r\n`],
  ['dot segments to the admin API', `POST /verify/../_rdmc/reset HTTP/1.1\r\n${H}Content-Length: 0\r\n\r\n`],
  ['encoded slash to the admin API', `POST /%2F_rdmc/reset HTTP/1.1\r\n${H}Content-Length: 0\r\n\r\n`],
  ['encoded admin path', `POST /%5Frdmc/reset HTTP/1.1\r\n${H}Content-Length: 0\r\n\r\n`],
  ['backslash target', `GET /\\_rdmc\\health HTTP/1.1\r\n${H}\r\n`],
  ['IPv6 authority', `GET //[::1 HTTP/1.1\r\n${H}\r\n`],
  ['broken escapes', `GET /?%%%=%G0&Action=%E0%A4%A HTTP/1.1\r\n${H}\r\n`],
  ['very long target', `GET /?${'a'.repeat(60_000)} HTTP/1.1\r\n${H}\r\n`],
  ['many parameters', `GET /?${Array.from({ length: 5000 }, (_, i) => `p${i}=${i}`).join('&')} HTTP/1.1\r\n${H}\r\n`],
  ['a form body of a quarter million empty parameters', `POST / HTTP/1.1\r\n${H}${FORM}Content-Length: ${25 + 3 * 262_000}\r\n\r\nAccessKeyId=testMainKey&x${'&a='.repeat(262_000)}`],
  ['header without a colon', `GET / HTTP/1.1\r\n${H}NoColonHere\r\n\r\n`],
  ['NUL in a header', `GET / HTTP/1.1\r\n${H}X-Acs-Action: Get\u0000Contact\r\n\r\n`],
  ['obsolete line folding', `GET / HTTP/1.1\r\n${H}X-Acs-Action: a\r\n  b\r\n\r\n`],
  ['header too large', `GET / HTTP/1.1\r\n${H}X-Big: ${'b'.repeat(70_000)}\r\n\r\n`],
  ['too many headers', `GET / HTTP/1.1\r\n${H}${Array.from({ length: 3000 }, (_, i) => `X-H${i}: v\r\n`).join('')}\r\n`],
  ['two Content-Lengths', `POST / HTTP/1.1\r\n${H}${FORM}Content-Length: 5\r\nContent-Length: 7\r\n\r\nAction=`],
  ['Content-Length and chunked', `POST / HTTP/1.1\r\n${H}${FORM}Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`],
  ['negative Content-Length', `POST / HTTP/1.1\r\n${H}Content-Length: -1\r\n\r\n`],
  ['huge Content-Length', `POST / HTTP/1.1\r\n${H}${FORM}Content-Length: 99999999999999999999\r\n\r\nAction=`],
  ['bad chunk size', `POST / HTTP/1.1\r\n${H}${FORM}Transfer-Encoding: chunked\r\n\r\nZZ\r\nabc\r\n0\r\n\r\n`],
  ['huge chunk', `POST / HTTP/1.1\r\n${H}${FORM}Transfer-Encoding: chunked\r\n\r\nFFFFFFFF\r\nabc`],
  ['chunked over the limit', `POST / HTTP/1.1\r\n${H}${FORM}Transfer-Encoding: chunked\r\n\r\n${'100000\r\n' + 'a'.repeat(0x100000) + '\r\n'}200\r\n${'b'.repeat(0x200)}\r\n0\r\n\r\n`],
  ['unknown transfer coding', `POST / HTTP/1.1\r\n${H}Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n`],
  ['form junk', `POST / HTTP/1.1\r\n${H}${FORM}Content-Length: 23\r\n\r\n&&==&Action&=&%&Version`],
  ['binary body', Buffer.concat([Buffer.from(`POST / HTTP/1.1\r\n${H}${FORM}Content-Length: 256\r\n\r\n`), Buffer.from(Array.from({ length: 256 }, (_, i) => i))])],
  ['JSON body on the RPC path', `POST / HTTP/1.1\r\n${H}Content-Type: application/json\r\nContent-Length: 27\r\n\r\n{"Action":"ListAccounts"}\n\n`],
  ['malformed ACS3 authorization', `POST / HTTP/1.1\r\n${H}Authorization: ACS3-HMAC-SHA256 Credential=,,,SignedHeaders=;;;,Signature=\r\nContent-Length: 0\r\n\r\n`],
  ['ACS3 with every header junk', `POST / HTTP/1.1\r\n${H}Authorization: ACS3-HMAC-SHA256 Credential=x,SignedHeaders=host,Signature=00\r\nx-acs-action: \u00ff\u00fe\r\nx-acs-version: 2022-04-19\r\nx-acs-date: 9999-99-99T99:99:99Z\r\nx-acs-signature-nonce: ${'n'.repeat(5000)}\r\nx-acs-content-sha256: zz\r\nContent-Length: 0\r\n\r\n`],
  ['ACS4 scheme', `POST / HTTP/1.1\r\n${H}Authorization: ACS4-HMAC-SHA256 Credential=a/b/c/d/e,SignedHeaders=host,Signature=00\r\nContent-Length: 0\r\n\r\n`],
  ['v1 with every field twice', `GET /?Action=ListAccounts&Action=GetAccount&Version=2022-04-19&Version=x&Signature=a&Signature=b&AccessKeyId=k&Timestamp=t HTTP/1.1\r\n${H}\r\n`],
  ['admin API with a forged proxy header', `POST /_rdmc/reset HTTP/1.1\r\n${H}X-Forwarded-Host: evil\r\nContent-Length: 0\r\n\r\n`],
  ['admin API with a bad bearer', `POST /_rdmc/reset HTTP/1.1\r\n${H}Authorization: Bearer \r\nX-Real-IP: 1.2.3.4\r\nContent-Length: 0\r\n\r\n`],
  ['admin JSON junk', `POST /_rdmc/seed HTTP/1.1\r\n${H}Content-Type: application/json\r\nContent-Length: 9\r\n\r\n{"Accoun`],
  ['admin prototype pollution', `POST /_rdmc/seed HTTP/1.1\r\n${H}Content-Type: application/json\r\nContent-Length: 44\r\n\r\n{"__proto__":{"x":1},"constructor":{"a":1}}\n`],
  ['verify page with a long token', `GET /verify/${'a'.repeat(5000)} HTTP/1.1\r\n${H}\r\n`],
  ['verify page, odd method', `PATCH /verify/aaaaaaaaaaaaaaaaaaaaaaaa HTTP/1.1\r\n${H}Content-Length: 0\r\n\r\n`],
  ['pipelined junk after a request', `GET /_rdmc/health HTTP/1.1\r\n${H}\r\nGARBAGE GARBAGE\r\n\r\n`],
];

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(() => server.stop());

test('the hostile raw HTTP corpus: a 4xx or a closed connection each, and the server goes on serving', async () => {
  const call = openApiCore(server.url);
  const contact = (await call('AddMessageContact', { Name: 'corpus', EmailAddress: 'corpus@example.com', Title: 'CEO', MessageTypes: ['FaultMessage'] })).Contact.ContactId;
  const admin = adminClient(server.url);
  for (const [name, bytes] of CORPUS) {
    const { answer, socket } = await exchange(server.url, bytes, { end: true });
    socket.destroy();
    if (answer) {
      assert.ok(answer.status >= 400 && answer.status < 500, `${name}: ${answer.status} ${answer.body.slice(0, 200)}`);
      const html = answer.headers['content-type']?.startsWith('text/html');
      if (!html) assert.equal(typeof answer.json?.Code, 'string', `${name}: ${answer.body.slice(0, 200)}`);
    }
    assert.equal((await admin.get('/health')).Status, 'ok', name);
  }
  assert.equal((await call('GetMessageContact', { ContactId: contact })).Contact.Name, 'corpus');
});
