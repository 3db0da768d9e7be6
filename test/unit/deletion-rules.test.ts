import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MessageType } from '../../src/domain/contact-rules.js';
import { MESSAGE_TYPES } from '../../src/domain/contact-rules.js';
import type { MessageCenterEntry } from '../../src/storage/records.js';
import { coverageWithout, splitByCoverage } from '../../src/services/deletion-rules.js';

/** The coverage rule of DeleteMessageContact with RetainContactInMembers=false, without a store. */
const entry = (accountId: string, contactId: string, retainedTypes?: MessageType[]): MessageCenterEntry => ({
  accountId, contactId, source: retainedTypes ? 'Retained' : 'Inherited', via: [],
  retained: retainedTypes ? { name: 'r', email: 'r@x.com', phone: '', messageTypes: retainedTypes } : null,
});
const sorted = (covered: Map<string, Set<MessageType>>) => new Map([...covered].map(([id, types]) => [id, [...types].sort()]));

test("coverage without the contact: the owner's types (all when never set) and the other entries' types", () => {
  const covered = coverageWithout(
    'c-going',
    ['2', '3', '4'],
    new Map<string, MessageType[]>([['2', []], ['3', ['FaultMessage']]]),
    new Map<string, MessageType[]>([['c-going', ['FaultMessage', 'SecurityMessage']], ['c-other', ['ServiceMessage']]]),
    [entry('2', 'c-going'), entry('2', 'c-other'), entry('3', 'c-kept', ['SecurityMessage']), entry('3', 'c-going')],
  );
  assert.deepEqual(sorted(covered), new Map([
    ['2', ['ServiceMessage']],
    ['3', ['FaultMessage', 'SecurityMessage']],
    ['4', [...MESSAGE_TYPES].sort()],
  ]));
});

test('a contact leaves where its types stay covered, and fails where any would have no recipient', () => {
  const covered = new Map([
    ['2', new Set<MessageType>(['FaultMessage', 'SecurityMessage'])],
    ['3', new Set<MessageType>(['FaultMessage'])],
    ['4', new Set<MessageType>()],
  ]);
  const { removals, failures } = splitByCoverage(['FaultMessage', 'SecurityMessage'], [
    { accountId: '2', contactId: 'c' }, { accountId: '3', contactId: 'c' }, { accountId: '4', contactId: 'c' },
  ], covered);
  assert.deepEqual(removals, [{ accountId: '2', contactId: 'c' }]);
  assert.deepEqual(failures, [
    { AccountId: '3', MessageTypes: ['SecurityMessage'] },
    { AccountId: '4', MessageTypes: ['FaultMessage', 'SecurityMessage'] },
  ]);
});
