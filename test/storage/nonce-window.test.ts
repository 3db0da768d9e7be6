import assert from 'node:assert/strict';
import { authenticate, type WireRequest } from '../../src/protocol/authenticate.js';
import { Credentials } from '../../src/protocol/credentials.js';
import { v1Signature, v1StringToSign } from '../../src/protocol/signing/v1.js';
import { storeSuite, testDatabase } from '../helpers/store-suite.js';

/**
 * The replay window at its edges, on each real store: a timestamp is accepted up to exactly
 * 15 minutes either side of the server's time, so a request first seen when its timestamp is
 * exactly 15 minutes ahead must still be refused as a replay when it is exactly 15 minutes old.
 * The server's time is set by the test (the authenticator is handed its clock).
 */
const MINUTE = 60_000;
const KEY = { accessKeyId: 'window-key', accessKeySecret: 'window-secret', accountId: '1111111111111111' };
const STAMP = Date.parse('2030-01-01T00:00:00.000Z');

function signedRequest(nonce: string): WireRequest {
  const params: Array<[string, string]> = [
    ['AccessKeyId', KEY.accessKeyId],
    ['Action', 'ListMessageContacts'],
    ['SignatureMethod', 'HMAC-SHA1'],
    ['SignatureNonce', nonce],
    ['SignatureVersion', '1.0'],
    ['Timestamp', new Date(STAMP).toISOString()],
    ['Version', '2022-04-19'],
  ];
  const signature = v1Signature(v1StringToSign('GET', params), KEY.accessKeySecret);
  return { method: 'GET', path: '/', query: [...params, ['Signature', signature]], form: [], headers: {}, body: Buffer.alloc(0) };
}

for (const backend of ['sqlite', 'postgres'] as const) {
  storeSuite(`the nonce window on ${backend}`, testDatabase(backend, 'nonce window'), ({ it, store }) => {
    const at = (now: number, req: WireRequest) =>
      authenticate(req, { credentials: new Credentials([KEY]), temporaryKeys: { find: async () => null, now: () => now }, nonces: store(), admit: () => {}, now: () => now, isVersion: () => true, hasAction: () => true });

    it('a request first seen 15 minutes early is a replay when 15 minutes late, and expired a millisecond after', async () => {
      // The nonces outlive a wipe: one of this run's own.
      const request = signedRequest(`edge-${backend}-${process.pid}-${Date.now()}`);
      assert.equal((await at(STAMP - 15 * MINUTE, request)).action, 'ListMessageContacts');
      await assert.rejects(at(STAMP + 15 * MINUTE, request), { code: 'SignatureNonceUsed' });
      await assert.rejects(at(STAMP + 15 * MINUTE + 1, request), { code: 'InvalidTimeStamp.Expired' });
    });
  });
}
