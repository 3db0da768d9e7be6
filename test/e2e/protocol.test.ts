import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { decodePairs } from '../../src/protocol/percent.js';
import { v1StringToSign } from '../../src/protocol/signing/v1.js';
import { parseV3Authorization, v3CanonicalRequest, v3StringToSign } from '../../src/protocol/signing/v3.js';
import { failure, openApiClient } from '../helpers/clients.js';
import { freshNonce, hostOf, send, timestamp, v1Request, v3Request, type RawRequest, type RawResponse } from '../helpers/raw.js';
import { KEYS, startTestServer, type TestServer } from '../helpers/server.js';

const JSON_TYPE = 'application/json;charset=utf-8';
const REQUEST_ID = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/;
const MINUTE = 60_000;

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(() => server.stop());

const call = (req: RawRequest) => send(server.url, req);
const host = () => hostOf(server.url);

/** A JSON success: 200, the JSON content type, an upper-case UUID RequestId echoed in x-acs-request-id. */
function assertSuccess(res: RawResponse): Record<string, any> {
  assert.equal(res.status, 200, res.text);
  assert.equal(res.headers['content-type'], JSON_TYPE);
  assert.ok(res.json, res.text);
  assert.match(res.json.RequestId, REQUEST_ID);
  assert.equal(res.headers['x-acs-request-id'], res.json.RequestId);
  assert.equal(res.json.Code, undefined, 'a success body carries no Code (pop-core would throw)');
  return res.json;
}

/** The exact error envelope: status, code, message, and nothing but the five documented fields. */
function assertError(res: RawResponse, status: number, code: string, message: string | RegExp) {
  assert.equal(res.headers['content-type'], JSON_TYPE, res.text);
  assert.ok(res.json, res.text);
  assert.deepEqual(Object.keys(res.json).sort(), ['Code', 'HostId', 'Message', 'Recommend', 'RequestId']);
  assert.equal(res.status, status, res.text);
  assert.equal(res.json.Code, code);
  if (typeof message === 'string') assert.equal(res.json.Message, message);
  else assert.match(res.json.Message, message);
  assert.match(res.json.RequestId, REQUEST_ID);
  assert.equal(res.headers['x-acs-request-id'], res.json.RequestId);
  assert.equal(res.json.HostId, host());
  assert.equal(
    res.json.Recommend,
    `https://api.aliyun.com/troubleshoot?q=${code}&product=ResourceDirectoryMaster&requestId=${res.json.RequestId}`,
  );
}

/** What the server must have signed for a v1 request: every parameter sent but Signature. */
function v1ServerStringToSign(req: RawRequest): string {
  const wire = req.method === 'GET' ? req.path.slice(2) : String(req.body);
  return v1StringToSign(req.method, decodePairs(wire));
}

function v3ServerStringToSign(req: RawRequest): string {
  const auth = parseV3Authorization(req.headers.authorization!);
  assert.ok(auth);
  return v3StringToSign(
    v3CanonicalRequest({
      method: req.method,
      path: '/',
      query: decodePairs(req.path.slice(2)),
      headers: req.headers,
      signedHeaders: auth.signedHeaders,
      payloadHash: req.headers['x-acs-content-sha256']!,
    }),
  );
}

describe('well-signed requests', () => {
  test('v1 GET, v1 POST (form body) and v3 all succeed with the JSON envelope', async () => {
    for (const req of [v1Request(), v1Request({ method: 'POST' }), v3Request(host())]) {
      const body = assertSuccess(await call(req));
      assert.equal(body.ResourceDirectory.MasterAccountId, KEYS.main.accountId);
    }
  });

  test('v3 with business parameters in a form body (covered by the payload hash only)', async () => {
    const created = assertSuccess(await call(v3Request(host(), { action: 'CreateFolder', form: { FolderName: 'FormBody' } })));
    assert.equal(created.Folder.FolderName, 'FormBody');
  });

  test('v1 accepts a timestamp 14 minutes off in either direction, and RegionId as a common parameter', async () => {
    assertSuccess(await call(v1Request({ timestamp: timestamp(-14 * MINUTE) })));
    assertSuccess(await call(v1Request({ timestamp: timestamp(14 * MINUTE), params: { RegionId: 'cn-hangzhou' } })));
  });

  test('request IDs differ from one response to the next', async () => {
    const a = assertSuccess(await call(v1Request()));
    const b = assertSuccess(await call(v1Request()));
    assert.notEqual(a.RequestId, b.RequestId);
  });
});

describe('keys and signatures', () => {
  const unknownKey = { accessKeyId: 'noSuchKey', accessKeySecret: 'x', accountId: '9999999999999999' };

  test('an unknown AccessKeyId is 404 InvalidAccessKeyId.NotFound (v1 and v3)', async () => {
    for (const req of [v1Request({ key: unknownKey }), v3Request(host(), { key: unknownKey })]) {
      assertError(await call(req), 404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
    }
  });

  test('v1 signed with the wrong secret: 400 SignatureDoesNotMatch echoing the server string-to-sign', async () => {
    for (const method of ['GET', 'POST'] as const) {
      const req = v1Request({ method, secret: 'wrongSecret' });
      const stringToSign = v1ServerStringToSign(req);
      assert.match(stringToSign, new RegExp(`^${method}&%2F&AccessKeyId%3DtestMainKey%26`));
      assertError(
        await call(req),
        400,
        'SignatureDoesNotMatch',
        `Specified signature is not matched with our calculation. server string to sign is:${stringToSign}`,
      );
    }
  });

  test('the echoed v1 string-to-sign is whole up to 128 KiB (the largest legal call), then cut with a note', async () => {
    const prefix = 'Specified signature is not matched with our calculation. server string to sign is:';
    // The largest call the API allows: 50 IDs and 20 tags of 128 four-byte characters each.
    const widest = '\u{1F600}'.repeat(128);
    const tags = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [[`Tag.${i + 1}.Key`, widest], [`Tag.${i + 1}.Value`, widest]]).flat());
    const ids = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`ResourceId.${i + 1}`, String(1e15 + i)]));
    const largest = v1Request({ method: 'POST', action: 'TagResources', params: { ResourceType: 'Account', ...ids, ...tags }, secret: 'wrongSecret' });
    assertError(await call(largest), 400, 'SignatureDoesNotMatch', `${prefix}${v1ServerStringToSign(largest)}`);

    const padded = v1Request({ method: 'POST', action: 'ListAccounts', params: { QueryKeyword: 'q'.repeat(300_000) }, secret: 'wrongSecret' });
    const whole = v1ServerStringToSign(padded);
    const res = await call(padded);
    assertError(res, 400, 'SignatureDoesNotMatch', `${prefix}${whole.slice(0, 131_072)}...[${whole.length - 131_072} more characters not shown]`);
    assert.ok(res.text.length < 140_000, `${res.text.length} bytes`);
  });

  test('v1 with a parameter changed after signing does not match either', async () => {
    const req = v1Request({ action: 'GetFolder', params: { FolderId: 'fd-0000000000' }, tamper: { FolderId: 'fd-1111111111' } });
    const res = await call(req);
    assertError(res, 400, 'SignatureDoesNotMatch', `Specified signature is not matched with our calculation. server string to sign is:${v1ServerStringToSign(req)}`);
    assert.match(res.json!.Message, /FolderId%3Dfd-1111111111/);
  });

  test('v3 signed with the wrong secret: 400 SignatureDoesNotMatch, v3 wording with the StringToSign', async () => {
    const req = v3Request(host(), { secret: 'wrongSecret', query: { Extra: 'a b' } });
    const stringToSign = v3ServerStringToSign(req);
    assert.match(stringToSign, /^ACS3-HMAC-SHA256\n[0-9a-f]{64}$/);
    assertError(
      await call(req),
      400,
      'SignatureDoesNotMatch',
      `Specified signature does not match our calculation. server StringToSign is [${stringToSign}]`,
    );
  });

  test('v3 with a signed header changed after signing does not match', async () => {
    const req = v3Request(host(), { headers: { 'x-acs-credentials-provider': 'static_ak' }, tamper: { 'x-acs-credentials-provider': 'env' } });
    assertError(await call(req), 400, 'SignatureDoesNotMatch', `Specified signature does not match our calculation. server StringToSign is [${v3ServerStringToSign(req)}]`);
  });

  test('v3 with a body that does not match x-acs-content-sha256 is refused', async () => {
    const req = v3Request(host(), { action: 'CreateFolder', form: { FolderName: 'Hashed' } });
    req.body = 'FolderName=Swapped';
    assertError(
      await call(req),
      400,
      'SignatureDoesNotMatch',
      'The x-acs-content-sha256 header does not match the SHA-256 of the request body.',
    );
  });

  test('v3 leaving a required header out of SignedHeaders is 400 IncompleteSignature', async () => {
    const req = v3Request(host(), { unsigned: ['x-acs-action'] });
    assertError(
      await call(req),
      400,
      'IncompleteSignature',
      `The request signature does not conform to Aliyun standards. server string to sign is:${v3ServerStringToSign(req)}`,
    );
  });

  test('a signature method other than HMAC-SHA1 is 400 InvalidSignatureMethod', async () => {
    assertError(
      await call(v1Request({ params: { SignatureMethod: 'HMAC-SHA256' } })),
      400,
      'InvalidSignatureMethod',
      'Specified signature method is not valid.',
    );
  });

  test('an Authorization header of another scheme is 400 IncompleteSignature', async () => {
    const req: RawRequest = { method: 'POST', path: '/', headers: { authorization: 'ACS4-HMAC-SHA256 Credential=x' } };
    assertError(await call(req), 400, 'IncompleteSignature', 'The request signature does not conform to Aliyun standards. server string to sign is:');
  });
});

describe('timestamps and nonces', () => {
  test('more than 15 minutes off, either way, is 400 InvalidTimeStamp.Expired (v1 Timestamp, v3 x-acs-date)', async () => {
    const message = 'Specified time stamp or date value is expired.';
    for (const offset of [-16 * MINUTE, 16 * MINUTE]) {
      assertError(await call(v1Request({ timestamp: timestamp(offset) })), 400, 'InvalidTimeStamp.Expired', message);
      assertError(await call(v3Request(host(), { date: timestamp(offset) })), 400, 'InvalidTimeStamp.Expired', message);
    }
  });

  test('a timestamp not shaped YYYY-MM-DDTHH:mm:ssZ is 400 InvalidTimeStamp.Format', async () => {
    const message = 'Specified time stamp or date value is not well formatted.';
    for (const bad of ['2024-01-01 00:00:00', '2024-01-01T00:00:00+08:00', 'yesterday', '2024-13-45T99:99:99Z']) {
      assertError(await call(v1Request({ timestamp: bad })), 400, 'InvalidTimeStamp.Format', message);
    }
    assertError(await call(v3Request(host(), { date: 'Mon, 01 Jan 2024 00:00:00 GMT' })), 400, 'InvalidTimeStamp.Format', message);
  });

  test('a nonce used twice by the same key is 400 SignatureNonceUsed (v1 and v3)', async () => {
    const message = 'Specified signature nonce was used already.';
    const nonce = freshNonce();
    assertSuccess(await call(v1Request({ nonce })));
    assertError(await call(v1Request({ nonce, method: 'POST' })), 400, 'SignatureNonceUsed', message);
    assertError(await call(v3Request(host(), { nonce })), 400, 'SignatureNonceUsed', message);
  });

  test('nonces are per key, and a forged request does not burn the nonce', async () => {
    const nonce = freshNonce();
    assertError(await call(v3Request(host(), { nonce, secret: 'forged' })), 400, 'SignatureDoesNotMatch', /^Specified signature does not match/);
    assertSuccess(await call(v3Request(host(), { nonce })));
    // The same nonce from another key passes the gateway and reaches the action.
    assertError(
      await call(v3Request(host(), { nonce, key: KEYS.bare })),
      404,
      'ResourceDirectoryNotInUse',
      'The specified account is not an Alibaba Cloud account or a member account of the resource directory.',
    );
  });
});

describe('routing and common parameters', () => {
  test('an unknown action is 404 InvalidAction.NotFound (v1 and v3), and so is any path but /', async () => {
    const message = 'Specified api is not found, please check your url and method.';
    assertError(await call(v1Request({ action: 'DescribeInstances' })), 404, 'InvalidAction.NotFound', message);
    assertError(await call(v3Request(host(), { action: 'getResourceDirectory' })), 404, 'InvalidAction.NotFound', message);
    assertError(await call({ method: 'GET', path: '/favicon.ico', headers: {} }), 404, 'InvalidAction.NotFound', message);
  });

  test('a version other than 2022-04-19 and 2020-03-31 is 400 InvalidVersion (v1 and v3)', async () => {
    const message = 'Specified parameter Version is not valid.';
    assertError(await call(v1Request({ params: { Version: '2017-01-01' } })), 400, 'InvalidVersion', message);
    assertError(await call(v3Request(host(), { version: '2017-01-01' })), 400, 'InvalidVersion', message);
  });

  test('a missing Action or Version (v1), or x-acs-action or x-acs-date (v3), is 400 MissingParameter naming it', async () => {
    const missing = (name: string) => `The input parameter "${name}" that is mandatory for processing this request is not supplied.`;
    for (const name of ['Action', 'Version']) {
      assertError(await call(v1Request({ omit: [name] })), 400, 'MissingParameter', missing(name));
    }
    for (const name of ['x-acs-action', 'x-acs-date']) {
      assertError(await call(v3Request(host(), { omit: [name] })), 400, 'MissingParameter', missing(name));
    }
  });

  test('missing signing fields are 400 Missing<Name>: Signature, AccessKeyId, Timestamp, SignatureNonce', async () => {
    const cases: Array<[string[], string]> = [
      [['Signature'], 'Signature'],
      [['Signature', 'AccessKeyId'], 'AccessKeyId'],
      [['AccessKeyId'], 'AccessKeyId'],
      [['Timestamp'], 'Timestamp'],
      [['SignatureNonce'], 'SignatureNonce'],
      [['SignatureVersion'], 'SignatureVersion'],
    ];
    for (const [omit, name] of cases) {
      assertError(await call(v1Request({ omit })), 400, `Missing${name}`, `${name} is mandatory for this action.`);
    }
    assertError(await call({ method: 'GET', path: '/', headers: {} }), 400, 'MissingAccessKeyId', 'AccessKeyId is mandatory for this action.');
  });

  test('a security token beside a configured key is refused: malformed, or not this key\'s (v1 SecurityToken, v3 x-acs-security-token)', async () => {
    const malformed = 'Specified SecurityToken is malformed.';
    assertError(await call(v1Request({ params: { SecurityToken: 'CAIS-sts-token/+=' } })), 400, 'InvalidSecurityToken.Malformed', malformed);
    const sts = v3Request(host(), { headers: { 'x-acs-security-token': 'CAIS-sts-token/+=', 'x-acs-accesskey-id': KEYS.main.accessKeyId } });
    assertError(await call(sts), 400, 'InvalidSecurityToken.Malformed', malformed);
    const wellFormed = `CAIS${'A'.repeat(128)}`;
    assertError(await call(v1Request({ params: { SecurityToken: wellFormed } })), 400, 'InvalidSecurityToken.MismatchWithAccessKey', 'Specified SecurityToken mismatch with the AccessKey.');
    // An empty token is no token (one released SDK sends it with every request).
    assertSuccess(await call(v1Request({ params: { SecurityToken: '' } })));
  });

  test('strict mode refuses a parameter the action does not declare; loose mode ignores it', async () => {
    const message = 'The parameter "Colour" is not supported by this action.';
    assertError(await call(v1Request({ params: { Colour: 'blue' } })), 400, 'InvalidParameter', message);
    assertError(await call(v3Request(host(), { query: { Colour: 'blue' } })), 400, 'InvalidParameter', message);
    const loose = await startTestServer({ loose: true });
    try {
      assertSuccess(await send(loose.url, v1Request({ params: { Colour: 'blue' } })));
    } finally {
      await loose.stop();
    }
  });
});

describe('transport', () => {
  test('methods other than GET and POST are 400 UnsupportedHTTPMethod', async () => {
    for (const method of ['PUT', 'DELETE', 'PATCH']) {
      assertError(await call({ ...v1Request(), method }), 400, 'UnsupportedHTTPMethod', 'This http method not supported.');
    }
  });

  test('a body over 1 MiB is 413 RequestEntityTooLarge; exactly 1 MiB is read', async () => {
    const form = (size: number): RawRequest => ({
      method: 'POST',
      path: '/',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `Pad=${'a'.repeat(size - 4)}`,
    });
    assertError(await call(form(1024 * 1024 + 1)), 413, 'RequestEntityTooLarge', 'The request body exceeds the 1 MiB limit.');
    // Read in full, then refused for what it lacks rather than for its size.
    assertError(await call(form(1024 * 1024)), 400, 'MissingAccessKeyId', 'AccessKeyId is mandatory for this action.');
  });
});

describe('Format=XML', () => {
  test('a success carries the same content as XML under <ActionResponse>', async () => {
    const json = assertSuccess(await call(v1Request()));
    const res = await call(v1Request({ params: { Format: 'XML' } }));
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'text/xml;charset=utf-8');
    const rd = json.ResourceDirectory as Record<string, string>;
    const requestId = res.headers['x-acs-request-id'] as string;
    assert.match(requestId, REQUEST_ID);
    const inner = Object.entries(rd)
      .map(([k, v]) => `<${k}>${v}</${k}>`)
      .join('');
    assert.equal(
      res.text,
      `<?xml version="1.0" encoding="UTF-8"?><GetResourceDirectoryResponse><RequestId>${requestId}</RequestId>` +
        `<ResourceDirectory>${inner}</ResourceDirectory></GetResourceDirectoryResponse>`,
    );
  });

  test('Format is read case-insensitively, and list wrappers become nested elements', async () => {
    const res = await call(v1Request({ action: 'ListFoldersForParent', params: { Format: 'xml', QueryKeyword: 'FormBody' } }));
    assert.equal(res.status, 200);
    assert.match(res.text, /<ListFoldersForParentResponse><RequestId>[0-9A-F-]{36}<\/RequestId><PageNumber>1<\/PageNumber><PageSize>10<\/PageSize><TotalCount>1<\/TotalCount><Folders><Folder><CreateTime>[^<]+<\/CreateTime><FolderId>fd-[A-Za-z0-9]{10}<\/FolderId><FolderName>FormBody<\/FolderName><Tags><\/Tags><\/Folder><\/Folders><\/ListFoldersForParentResponse>$/);
  });

  test('an error is <Error> with text/xml;charset=utf-8', async () => {
    const res = await call(v1Request({ params: { Format: 'XML', Version: '2017-01-01' } }));
    assert.equal(res.status, 400);
    assert.equal(res.headers['content-type'], 'text/xml;charset=utf-8');
    const requestId = res.headers['x-acs-request-id'] as string;
    assert.equal(
      res.text,
      `<?xml version="1.0" encoding="UTF-8"?><Error><RequestId>${requestId}</RequestId><HostId>${host()}</HostId>` +
        `<Code>InvalidVersion</Code><Message>Specified parameter Version is not valid.</Message>` +
        `<Recommend>https://api.aliyun.com/troubleshoot?q=InvalidVersion&amp;product=ResourceDirectoryMaster&amp;requestId=${requestId}</Recommend></Error>`,
    );
  });

  test('the openapi client recognises the XML error as the same failure', async () => {
    const f = await failure(openApiClient(server.url)('GetFolder', { FolderId: 'fd-0000000000', Format: 'XML' }));
    assert.equal(f.status, 404);
    assert.equal(f.code, 'EntityNotExists.Folder');
    assert.equal(f.data.Message, 'The resource directory folder does not exist.');
  });
});

test('an unexpected exception is 500 InternalError with the generic message', async () => {
  const broken = await startTestServer();
  try {
    // The store goes away under the running server: the next read throws a plain Error.
    await broken.store.close();
    const res = await send(broken.url, v1Request());
    assert.equal(res.status, 500, res.text);
    assert.equal(res.json?.Code, 'InternalError');
    assert.equal(res.json?.Message, 'The request processing has failed due to some unknown error, exception or failure.');
    assert.match(res.json?.RequestId, REQUEST_ID);
    assert.equal(res.headers['content-type'], JSON_TYPE);
  } finally {
    await broken.stop();
  }
});
