import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cancelPendingUpdate } from '../../src/domain/contact-rules.js';
import { ApiError } from '../../src/domain/errors.js';
import { childFolderDepth, MAX_FOLDER_DEPTH } from '../../src/domain/folder-rules.js';
import { checkResourcesPerCall, checkTagKey, checkTagsPerCall, checkTagValue } from '../../src/domain/tag-rules.js';
import { checkControlPolicyDocument, checkPolicyDescription } from '../../src/domain/control-policy-rules.js';
import { checkNote } from '../../src/domain/handshake-rules.js';
import { checkFolderNesting } from '../../src/services/state-file.js';
import { tagConditions, tagsToWrite } from '../../src/services/tags.js';

/** The input rules of src/domain without a server: each refusal is the catalogue's error. */
const refused = (fn: () => unknown, status: number, code: string) =>
  assert.throws(fn, (err: unknown) => err instanceof ApiError && err.status === status && err.code === code);

test('tag conditions: one per key, a value-less condition narrowed by a valued one, two values on one key match nothing', () => {
  assert.equal(tagConditions(undefined), null);
  assert.equal(tagConditions([]), null);
  assert.deepEqual(tagConditions([{ Key: 'a', Value: undefined }, { Key: 'b', Value: '1' }]), [{ key: 'a', value: null }, { key: 'b', value: '1' }]);
  assert.deepEqual(tagConditions([{ Key: 'a', Value: undefined }, { Key: 'a', Value: '1' }, { Key: 'a', Value: undefined }]), [{ key: 'a', value: '1' }]);
  assert.deepEqual(tagConditions([{ Key: 'a', Value: '1' }, { Key: 'a', Value: '1' }]), [{ key: 'a', value: '1' }]);
  assert.equal(tagConditions([{ Key: 'a', Value: '1' }, { Key: 'a', Value: '2' }]), 'none');
  refused(() => tagConditions(Array.from({ length: 21 }, (_, i) => ({ Key: `k${i}`, Value: undefined }))), 400, 'LimitExceeded.Tag');
});

test('tags to write: values default to "", a repeated key keeps its last value, keys and values checked by position', () => {
  assert.deepEqual(tagsToWrite([{ Key: 'a', Value: undefined }, { Key: 'b', Value: '1' }, { Key: 'a', Value: '2' }]), [{ key: 'a', value: '2' }, { key: 'b', value: '1' }]);
  refused(() => tagsToWrite([{ Key: 'ok', Value: 'v' }, { Key: 'acs:x', Value: 'v' }]), 400, 'InvalidParameter.Tag.2.Key');
  refused(() => tagsToWrite([{ Key: 'k', Value: 'http://x' }]), 400, 'InvalidParameter.Tag.1.Value');
  refused(() => checkTagKey('a\u0000b', 'Key'), 400, 'InvalidParameter.Key');
  assert.equal(checkTagValue('aliyun-ok', 'Value'), 'aliyun-ok');
  refused(() => checkTagKey('aliyun-no', 'Key'), 400, 'InvalidParameter.Key');
});

test('per-call limits: 20 tags, 50 resources', () => {
  assert.equal(checkTagsPerCall(Array.from({ length: 20 }, () => 0)).length, 20);
  refused(() => checkTagsPerCall(Array.from({ length: 21 }, () => 0)), 400, 'LimitExceeded.Tag');
  assert.equal(checkResourcesPerCall(Array.from({ length: 50 }, (_, i) => `${i}`)).length, 50);
  refused(() => checkResourcesPerCall(Array.from({ length: 51 }, (_, i) => `${i}`)), 400, 'InvalidParameter.ResourceId');
});

test('folder depth: five levels below the Root, in CreateFolder and in a state file as read', () => {
  assert.equal(childFolderDepth(0), 1);
  assert.equal(childFolderDepth(MAX_FOLDER_DEPTH - 1), MAX_FOLDER_DEPTH);
  refused(() => childFolderDepth(MAX_FOLDER_DEPTH), 400, 'LimitExceeded.Folder.Depth');
  const nested = (levels: number): unknown => (levels === 0 ? [] : [{ FolderName: `f${levels}`, Folders: nested(levels - 1) }]);
  checkFolderNesting({ Directories: [{ Folders: nested(5) }] });
  refused(() => checkFolderNesting({ Directories: [{ Folders: nested(6) }] }), 400, 'LimitExceeded.Folder.Depth');
});

test('cancelling an update: the named pending address, or every pending one; never the only email', () => {
  const both = { emailPending: 'new@x.com', emailEffective: 'old@x.com', phonePending: '86-13800000000' };
  assert.deepEqual(cancelPendingUpdate(both, {}), { emailPending: null, phonePending: null });
  assert.deepEqual(cancelPendingUpdate(both, { EmailAddress: 'new@x.com' }), { emailPending: null, phonePending: '86-13800000000' });
  assert.deepEqual(cancelPendingUpdate(both, { PhoneNumber: '86-13800000000' }), { emailPending: 'new@x.com', phonePending: null });
  // A first phone is simply dropped; a first email has nothing to fall back to.
  assert.deepEqual(cancelPendingUpdate({ emailPending: null, emailEffective: 'a@x.com', phonePending: '86-13800000000' }, {}), { emailPending: null, phonePending: null });
  refused(() => cancelPendingUpdate({ emailPending: 'first@x.com', emailEffective: null, phonePending: null }, {}), 400, 'ContactStatusMismatchAction');
  refused(() => cancelPendingUpdate(both, { EmailAddress: 'other@x.com' }), 400, 'ContactStatusMismatchAction');
  refused(() => cancelPendingUpdate({ emailPending: null, emailEffective: 'a@x.com', phonePending: null }, {}), 400, 'ContactStatusMismatchAction');
  refused(() => cancelPendingUpdate({ emailPending: null, emailEffective: 'a@x.com', phonePending: null }, { PhoneNumber: '86-13800000000' }), 400, 'ContactStatusMismatchAction');
});

test('policy documents, descriptions and invitation notes: a text far over its limit is refused without reading it whole', () => {
  // A state file may hold 256 MiB: counting this text's characters one by one exhausted the heap.
  const huge = 'x'.repeat(200_000_000);
  refused(() => checkControlPolicyDocument(huge, 'PolicyDocument'), 409, 'InvalidParameter.PolicyDocument.Length');
  refused(() => checkControlPolicyDocument(huge, 'NewPolicyDocument'), 400, 'InvalidParameter.NewPolicyDocument.Length');
  refused(() => checkPolicyDescription(huge, 'Description'), 400, 'InvalidParameter.Description');
  refused(() => checkNote(huge), 400, 'InvalidParameter.Note.Length');
  // The limits count characters: astral ones (two UTF-16 units each) up to the limit pass.
  const astral = (emoji: number) => `{"Version":"1","Statement":[{"Effect":"Deny","Action":"*","Resource":"acs:*:*:*:${'😀'.repeat(emoji)}"}]}`;
  const room = 4096 - [...astral(0)].length;
  assert.equal(checkControlPolicyDocument(astral(room), 'PolicyDocument'), astral(room));
  refused(() => checkControlPolicyDocument(astral(room + 1), 'PolicyDocument'), 409, 'InvalidParameter.PolicyDocument.Length');
  assert.equal(checkPolicyDescription('😀'.repeat(1024), 'Description').length, 2048);
  refused(() => checkPolicyDescription('😀'.repeat(1025), 'Description'), 400, 'InvalidParameter.Description');
});
