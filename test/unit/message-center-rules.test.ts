import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ContactRecord, FolderRecord, MessageCenterEntry } from '../../src/storage/records.js';
import { desiredEntries, scopeFolders, syncChanges, targetsReaching, type DirectoryView } from '../../src/services/message-center-rules.js';

/**
 * The message-center rules without a store: rd-1 with Root r-1, folders fd-a (under the Root)
 * and fd-b (under fd-a); account 2 in fd-b, account 3 in the Root.
 */
const folder = (id: string, parentId: string | null, depth: number): FolderRecord => ({ id, directoryId: 'rd-1', parentId, name: id, depth, createTime: 0 });
const contact = (id: string, deleting = false): ContactRecord => ({
  id, directoryId: 'rd-1', name: id, title: 'CEO', messageTypes: ['FaultMessage'], emailEffective: `${id}@x.com`, phoneEffective: null,
  emailPending: null, phonePending: null, deleting, createTime: 0,
});
const inB = { id: '2', folderId: 'fd-b' };
const inRoot = { id: '3', folderId: 'r-1' };

function view(boundTo: Record<string, string[]>, contacts: ContactRecord[] = []): DirectoryView {
  return {
    directory: { id: 'rd-1', masterAccountId: '1', masterAccountName: 'main', rootFolderId: 'r-1', createTime: 0 },
    folders: new Map([folder('r-1', null, 0), folder('fd-a', 'r-1', 1), folder('fd-b', 'fd-a', 2)].map((f) => [f.id, f])),
    contacts: new Map(contacts.map((c) => [c.id, c])),
    boundTo: new Map(Object.entries(boundTo)),
  };
}
const inherited = (accountId: string, contactId: string, via: string[]): MessageCenterEntry => ({ accountId, contactId, source: 'Inherited', via, retained: null });

test('the targets reaching an account run from the directory down its folder chain to itself', () => {
  assert.deepEqual(targetsReaching(view({}), inB), ['rd-1', 'r-1', 'fd-a', 'fd-b', '2']);
  assert.deepEqual(targetsReaching(view({}), inRoot), ['rd-1', 'r-1', '3']);
});

test("a scope's folders: the whole directory is null, a folder its subtree, an account none", () => {
  const v = view({});
  assert.equal(scopeFolders(v, 'rd-1'), null);
  assert.equal(scopeFolders(v, 'r-1'), null);
  assert.deepEqual(scopeFolders(v, 'fd-a')?.sort(), ['fd-a', 'fd-b']);
  assert.deepEqual(scopeFolders(v, 'fd-b'), ['fd-b']);
  assert.deepEqual(scopeFolders(v, '2'), []);
});

test('a contact bound at several targets above an account reaches it once, via each, broadest first', () => {
  const v = view({ 'rd-1': ['c-1'], 'fd-a': ['c-1', 'c-2'], 2: ['c-3'], 3: ['c-4'] });
  assert.deepEqual([...desiredEntries(v, inB)], [['c-1', ['rd-1', 'fd-a']], ['c-2', ['fd-a']], ['c-3', ['2']]]);
  assert.deepEqual([...desiredEntries(v, inRoot)], [['c-1', ['rd-1']], ['c-4', ['3']]]);
});

test('a sync writes only what differs: new and changed entries upserted, stale inherited ones removed', () => {
  const v = view({ 'fd-a': ['c-1', 'c-2'] }, [contact('c-1'), contact('c-2'), contact('c-old')]);
  const { upserts, removals } = syncChanges(v, inB, [
    inherited('2', 'c-1', ['fd-a']), // right already: not rewritten
    inherited('2', 'c-2', ['rd-1']), // reached another way now
    inherited('2', 'c-old', ['fd-b']), // no longer bound above
  ]);
  assert.deepEqual(upserts, [inherited('2', 'c-2', ['fd-a'])]);
  assert.deepEqual(removals, [{ accountId: '2', contactId: 'c-old' }]);
});

test('a sync leaves retained entries and the entries of a contact being deleted alone', () => {
  const v = view({ 'rd-1': ['c-going'] }, [contact('c-going', true), contact('c-gone-too', true)]);
  const retained: MessageCenterEntry = { accountId: '2', contactId: 'c-kept', source: 'Retained', via: [], retained: { name: 'k', email: 'k@x.com', phone: '', messageTypes: ['FaultMessage'] } };
  const { upserts, removals } = syncChanges(v, inB, [retained, inherited('2', 'c-gone-too', ['fd-a'])]);
  assert.deepEqual(upserts, []);
  assert.deepEqual(removals, []);
});
