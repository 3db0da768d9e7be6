import assert from 'node:assert/strict';
import { test } from 'node:test';
import { v1Signature, v1StringToSign } from '../../src/protocol/signing/v1.js';
import {
  EMPTY_BODY_SHA256,
  parseV3Authorization,
  sha256Hex,
  v3CanonicalRequest,
  v3Signature,
  v3StringToSign,
} from '../../src/protocol/signing/v3.js';

// The fixed test vectors of docs/reference/protocol.md section 5 (secret `testSecret`).
const SECRET = 'testSecret';
const NONCE = '3ee8c1b883d344afa94f4e0ad82fd6cf';
const TIMESTAMP = '2024-01-01T00:00:00Z';

const deleteParams: Array<[string, string]> = [
  ['AccessKeyId', 'testAKID'],
  ['Action', 'DeleteMessageContact'],
  ['ContactId', 'c-abc123'],
  ['Format', 'JSON'],
  ['RetainContactInMembers', 'false'],
  ['SignatureMethod', 'HMAC-SHA1'],
  ['SignatureNonce', NONCE],
  ['SignatureVersion', '1.0'],
  ['Timestamp', TIMESTAMP],
  ['Version', '2022-04-19'],
];

test('v1 GET vector: string-to-sign and signature', () => {
  const stringToSign = v1StringToSign('GET', deleteParams);
  assert.equal(
    stringToSign,
    'GET&%2F&AccessKeyId%3DtestAKID%26Action%3DDeleteMessageContact%26ContactId%3Dc-abc123%26Format%3DJSON%26RetainContactInMembers%3Dfalse%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b883d344afa94f4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2024-01-01T00%253A00%253A00Z%26Version%3D2022-04-19',
  );
  assert.equal(v1Signature(stringToSign, SECRET), '7l6VN7plvk6q9rE5PUyMGBXUXfA=');
});

test('v1 POST vector: same parameters, the method changes the signature', () => {
  assert.equal(v1Signature(v1StringToSign('POST', deleteParams), SECRET), 'svir30Mr+UUvFlUz1BB06JYjnA0=');
});

test('v1 ignores the order the parameters arrive in and the Signature parameter itself', () => {
  const shuffled: Array<[string, string]> = [...deleteParams].reverse();
  shuffled.splice(3, 0, ['Signature', 'whatever=']);
  assert.equal(v1Signature(v1StringToSign('get', shuffled), SECRET), '7l6VN7plvk6q9rE5PUyMGBXUXfA=');
});

test('v1 AddMessageContact vector with special characters', () => {
  const params: Array<[string, string]> = [
    ['AccessKeyId', 'testAKID'],
    ['Action', 'AddMessageContact'],
    ['EmailAddress', 'someone@example.com'],
    ['Format', 'JSON'],
    ['MessageTypes.1', 'AccountExpenses'],
    ['MessageTypes.2', 'ProductNews'],
    ['Name', "Tom Smith*~!'()"],
    ['SignatureMethod', 'HMAC-SHA1'],
    ['SignatureNonce', NONCE],
    ['SignatureVersion', '1.0'],
    ['Timestamp', TIMESTAMP],
    ['Title', 'FinanceDirector'],
    ['Version', '2022-04-19'],
  ];
  const stringToSign = v1StringToSign('POST', params);
  assert.equal(
    stringToSign,
    'POST&%2F&AccessKeyId%3DtestAKID%26Action%3DAddMessageContact%26EmailAddress%3Dsomeone%2540example.com%26Format%3DJSON%26MessageTypes.1%3DAccountExpenses%26MessageTypes.2%3DProductNews%26Name%3DTom%2520Smith%252A~%2521%2527%2528%2529%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b883d344afa94f4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2024-01-01T00%253A00%253A00Z%26Title%3DFinanceDirector%26Version%3D2022-04-19',
  );
  assert.equal(v1Signature(stringToSign, SECRET), 'kxcBCtQdKEOM574LA9ooZFObDpY=');
});

const v3Headers = (action: string, payloadHash: string, extra: Record<string, string> = {}) => ({
  host: '127.0.0.1:8080',
  'x-acs-action': action,
  'x-acs-version': '2022-04-19',
  'x-acs-date': TIMESTAMP,
  'x-acs-signature-nonce': NONCE,
  'x-acs-content-sha256': payloadHash,
  accept: 'application/json',
  ...extra,
});

test('v3 vector: query parameters, empty body', () => {
  const auth = parseV3Authorization(
    'ACS3-HMAC-SHA256 Credential=testAKID,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=56d1d9553c4909bd488403a5b2c16a0ccb236838a366177a12f5bde98fa1033e',
  );
  assert.ok(auth);
  assert.equal(auth.accessKeyId, 'testAKID');
  assert.equal(sha256Hex(''), EMPTY_BODY_SHA256);
  const canonical = v3CanonicalRequest({
    method: 'POST',
    path: '/',
    query: [
      ['RetainContactInMembers', 'false'],
      ['ContactId', 'c-abc123'],
    ],
    headers: v3Headers('DeleteMessageContact', EMPTY_BODY_SHA256),
    signedHeaders: auth.signedHeaders,
    payloadHash: EMPTY_BODY_SHA256,
  });
  const stringToSign = v3StringToSign(canonical);
  assert.equal(stringToSign, 'ACS3-HMAC-SHA256\n1c9f8abba342f97c81d355e2e3a76e81e922f5e461b25ea32466670635f400a5');
  assert.equal(v3Signature(stringToSign, SECRET), auth.signature);
});

test('v3 vector: form body covered by x-acs-content-sha256, not by the canonical query', () => {
  const body =
    'EmailAddress=someone%40example.com&MessageTypes.1=AccountExpenses&MessageTypes.2=ProductNews&Name=Tom%20Smith&Title=FinanceDirector';
  const payloadHash = sha256Hex(Buffer.from(body));
  assert.equal(payloadHash, 'f6b2f2f05b333795209e4f03dca193b58d2d55b7bde1f37556d893ce7262a7e5');
  const auth = parseV3Authorization(
    'ACS3-HMAC-SHA256 Credential=testAKID, SignedHeaders=content-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version, Signature=1890651f379c3f9aee101e2d0e6b93685f5dc0de30c25c765560bd53e9790063',
  );
  assert.ok(auth, 'spaces after the commas are tolerated');
  const canonical = v3CanonicalRequest({
    method: 'POST',
    path: '/',
    query: [],
    headers: v3Headers('AddMessageContact', payloadHash, { 'content-type': 'application/x-www-form-urlencoded' }),
    signedHeaders: auth.signedHeaders,
    payloadHash,
  });
  assert.equal(canonical.split('\n')[2], '', 'the canonical query line is empty');
  assert.equal(v3Signature(v3StringToSign(canonical), SECRET), auth.signature);
});

test('v3 Authorization headers that are not ACS3 or miss a field are refused', () => {
  assert.equal(parseV3Authorization('ACS4-HMAC-SHA256 Credential=a,SignedHeaders=host,Signature=b'), null);
  assert.equal(parseV3Authorization('ACS3-HMAC-SHA256 Credential=a,SignedHeaders=host'), null);
  assert.equal(parseV3Authorization('ACS3-HMAC-SHA256 Credential=,SignedHeaders=host,Signature=b'), null);
});
