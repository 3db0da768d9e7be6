import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { API_VERSIONS } from '../../src/api/actions.js';
import { adminClient } from '../helpers/admin.js';
import { openApiCore, type Call } from '../helpers/clients.js';
import { assertMessageCentersMatchBindings, assertRpcAnswer } from '../helpers/invariants.js';
import { hostOf, send, v1Request, v3Request, type RawRequest } from '../helpers/raw.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * Random, correctly signed requests over every action and both signature versions, with
 * random parameter names, shapes, encodings and lengths. Whatever they hold: never a 5xx,
 * every error a catalogue code, the server healthy afterwards and message centers matching
 * bindings. `npm test` runs a bounded number; `npm run fuzz` sets RDMC_FUZZ_RUNS for a long run.
 */
const RUNS = Number(process.env.RDMC_FUZZ_RUNS ?? 150);
const SEED = process.env.RDMC_FUZZ_SEED === undefined ? undefined : Number(process.env.RDMC_FUZZ_SEED);

let server: TestServer;
let call: Call;
const known: { contacts: string[]; folders: string[]; accounts: string[] } = { contacts: [], folders: [], accounts: [] };
before(async () => {
  server = await startTestServer();
  call = openApiCore(server.url);
  // A few real objects, so generated IDs sometimes name something that exists.
  const root = (await call('GetResourceDirectory')).ResourceDirectory.RootFolderId;
  const folder = (await call('CreateFolder', { FolderName: 'fuzzed' })).Folder.FolderId;
  const account = (await call('CreateResourceAccount', { DisplayName: 'fuzzmember', ParentFolderId: folder })).Account.AccountId;
  const contact = (await call('AddMessageContact', { Name: 'fuzzed', EmailAddress: 'fuzz@example.com', Title: 'CEO', MessageTypes: ['FaultMessage'] })).Contact.ContactId;
  await call('AssociateMembers', { ContactId: contact, Members: [account, folder] });
  known.contacts.push(contact);
  known.folders.push(root, folder);
  known.accounts.push(account);
});
after(() => server.stop());

/** Every action of every API version rdmc serves, as [version, action]. */
const ACTIONS = Object.entries(API_VERSIONS).flatMap(([version, api]) => Object.keys(api.actions).map((action): [string, string] => [version, action]));
const declaredParams = (version: string, action: string) => Object.keys(API_VERSIONS[version]!.actions[action]!.params);

const value = () => fc.oneof(
  fc.constantFrom('', '0', '-1', '1', '100', '101', '1e3', '99999999999999999999', 'true', 'false', 'null', '[object Object]'),
  fc.constantFrom('CEO', 'Other', 'FaultMessage', 'ServiceMessage', 'a@example.com', '86-13800138000', 'c-0000000000000000', 'fd-0000000000'),
  fc.constantFrom(...known.contacts, ...known.folders, ...known.accounts),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ unit: fc.constantFrom('%', '&', '=', '+', '\u0000', '\n', '<', '"', ',', ';', '@', '.', '1', 'a'), maxLength: 40 }),
  fc.integer({ min: 100, max: 5000 }).map((n) => 'x'.repeat(n)),
);

/** A parameter name: one the action declares (as is, or as a list item), or anything at all. */
const paramName = (version: string, action: string) => {
  const declared = declaredParams(version, action);
  const anything = [
    fc.string({ maxLength: 20 }).filter((n) => n.length > 0),
    fc.constantFrom('Format', 'RegionId', 'Action', 'Version', 'Signature', 'SignatureNonce'),
  ];
  if (declared.length === 0) return fc.oneof(...anything);
  return fc.oneof(
    fc.constantFrom(...declared),
    fc.tuple(fc.constantFrom(...declared), fc.constantFrom('1', '2', '0', '99', 'x', '1.Sub')).map(([n, i]) => `${n}.${i}`),
    ...anything,
  );
};

const request = () =>
  fc.constantFrom(...ACTIONS).chain(([version, action]) =>
    fc.record({
      version: fc.constant(version),
      action: fc.constant(action),
      params: fc.dictionary(paramName(version, action), value(), { maxKeys: 8 }),
      scheme: fc.constantFrom('v1-GET', 'v1-POST', 'v3-query', 'v3-form'),
      xml: fc.boolean(),
    }),
  );

function build(r: { version: string; action: string; params: Record<string, string>; scheme: string; xml: boolean }): RawRequest {
  // Protocol parameters the generator picked are sent as given, and signed like the rest.
  const params: Record<string, string> = { ...r.params, ...(r.xml ? { Format: 'XML' } : {}) };
  if (r.scheme === 'v1-GET' || r.scheme === 'v1-POST') {
    const { Action: _a, Version: _v, Signature: _s, SignatureNonce: _n, ...rest } = params;
    return v1Request({ action: r.action, params: { ...rest, Version: r.version }, method: r.scheme === 'v1-GET' ? 'GET' : 'POST' });
  }
  const where = r.scheme === 'v3-query' ? 'query' : 'form';
  return v3Request(hostOf(server.url), { action: r.action, version: r.version, [where]: params });
}

test('random signed requests over every action: never a 5xx, always a catalogue code', async () => {
  await fc.assert(
    fc.asyncProperty(request(), async (r) => {
      let built: RawRequest;
      try {
        built = build(r);
      } catch {
        return; // a lone surrogate cannot be percent-encoded: no client could send it
      }
      const answer = await send(server.url, built);
      assertRpcAnswer(answer, JSON.stringify(r));
    }),
    { numRuns: RUNS, seed: SEED },
  );
  assert.equal((await adminClient(server.url).get('/health')).Status, 'ok');
  await assertMessageCentersMatchBindings(server.url, call);
});
