import assert from 'node:assert/strict';
import { test } from 'node:test';
import { systemClock } from '../../src/domain/clock.js';
import { ApiError } from '../../src/domain/errors.js';
import { roleSession } from '../../src/domain/identity.js';
import { randomIds } from '../../src/domain/ids.js';
import type { AttachedPolicy } from '../../src/domain/policy-evaluation.js';
import { GuardrailService, type AttachedPolicySource, type EnforcedRequest } from '../../src/services/guardrails.js';
import type { Store, Tx } from '../../src/storage/store.js';
import type { Backend } from '../helpers/database.js';
import { withBuiltStore } from '../helpers/built-store.js';
import { recording } from '../helpers/recording-tx.js';
import { KEYS } from '../helpers/server.js';

/**
 * The simulator's service on a real store, fed policies through its source interface: the
 * chain it reads (the account, each folder above it, the Root, in statements bounded by the
 * depth, never the directory), the decision it answers, and enforcement with the switch off and on.
 */

const doc = (...statements: object[]) => JSON.stringify({ Version: '1', Statement: statements });
const FULL: AttachedPolicy = { id: 'cp-FullAliyunAccess', name: 'FullAliyunAccess', type: 'System', effectScope: 'All', document: doc({ Effect: 'Allow', Action: '*', Resource: '*' }) };
const DENY_RD: AttachedPolicy = { id: 'cp-denyrd00000001', name: 'deny-rd', type: 'Custom', effectScope: 'RAM', document: doc({ Effect: 'Deny', Action: 'resourcemanager:*', Resource: '*' }) };

/** A store whose transactions record their calls. */
const recordingStore = (store: Store, calls: string[]): Store =>
  new Proxy(store, { get: (s, name: string) => (name === 'read' ? <T>(fn: (tx: Tx) => Promise<T>) => s.read((tx) => fn(recording(tx, calls))) : Reflect.get(s, name)) });

const denied = (err: unknown) => err instanceof ApiError && err.status === 403 && err.code === 'NoPermission' &&
  err.message === 'You are not authorized to do this action. A control policy of the resource directory denies resourcemanager:CreateFolder (ExplicitDeny).';

for (const backend of ['sqlite', 'postgres'] as Backend[]) {
  test(`${backend}: the guardrail service reads an account's chain in bounded statements and judges by it`, (t) =>
    withBuiltStore(t, backend, 'the guardrail chain test', async (call) => {
      const folder = async (name: string, parent?: string) => (await call('CreateFolder', { FolderName: name, ParentFolderId: parent })).Folder.FolderId as string;
      const rd = (await call('GetResourceDirectory')).ResourceDirectory;
      const path: string[] = [];
      for (let depth = 1; depth <= 5; depth++) path.push(await folder(`Level${depth}`, path.at(-1)));
      for (let i = 0; i < 12; i++) await folder(`Other${i}`);
      const member = (await call('CreateResourceAccount', { DisplayName: 'deep-member', ParentFolderId: path[4] })).Account.AccountId as string;
      return { rd, path, member };
    }, async (store, { rd, path, member }) => {

      // Deny on the second folder; FullAliyunAccess everywhere, as the switch attaches it.
      const asked: string[][] = [];
      const source: AttachedPolicySource = {
        async attachedTo(_tx, directoryId, targetIds) {
          assert.equal(directoryId, rd.ResourceDirectoryId);
          asked.push([...targetIds]);
          return new Map(targetIds.map((id) => [id, id === path[1] ? [FULL, DENY_RD] : [FULL]]));
        },
      };
      const calls: string[] = [];
      const service = new GuardrailService({ store: recordingStore(store, calls), clock: systemClock, ids: randomIds }, source);

      const chain = await service.effectivePolicies(member);
      assert.deepEqual(chain.chain.map((l) => [l.kind, l.id, l.name]), [
        ['Account', member, 'deep-member'],
        ...[5, 4, 3, 2, 1].map((depth) => ['Folder', path[depth - 1], `Level${depth}`]),
        ['Root', rd.RootFolderId, 'Root'],
      ]);
      assert.deepEqual([chain.managementAccount, chain.controlPolicyStatus, chain.directoryId], [false, 'Disabled', rd.ResourceDirectoryId]);
      assert.deepEqual(asked, [[member, ...[...path].reverse(), rd.RootFolderId]], 'one question for the whole chain');
      assert.ok(!calls.includes('folders.all'), `read the whole directory: ${calls.join(', ')}`);
      assert.ok(calls.filter((c) => c === 'folders.byIds').length <= 6, `one read per level at most: ${calls.join(', ')}`);
      assert.ok(calls.length <= 10, `bounded by the depth: ${calls.join(', ')}`);

      const ask = (principalType: 'Account' | 'RAMUser' | 'AssumedRoleUser', accountId = member) =>
        service.simulate({ accountId, principalType, action: 'resourcemanager:CreateFolder', resource: '*', context: {} });
      const user = await ask('RAMUser');
      assert.equal(user.evaluation.decision, 'ExplicitDeny');
      assert.deepEqual(user.evaluation.decidingStatements.map((s) => [s.policyId, s.target.id]), [['cp-denyrd00000001', path[1]]]);
      assert.match(String(user.request.context['acs:CurrentTime']), /^\d{4}-\d{2}-\d{2}T/);
      assert.equal((await ask('Account')).evaluation.decision, 'Allowed', 'a RAM-scoped Deny leaves the root identity alone');
      const management = await ask('RAMUser', KEYS.main.accountId);
      assert.deepEqual([management.managementAccount, management.evaluation.decision, management.evaluation.reason], [true, 'Allowed', 'ManagementAccount']);
      await assert.rejects(service.effectivePolicies('9999999999999999'), (err: unknown) =>
        err instanceof ApiError && err.status === 404 && err.code === 'EntityNotExists.Account' && err.message === 'This resource directory account does not exist.');

      // Enforcement: nothing while the switch is off, then the same decision as the simulator's.
      const request: EnforcedRequest = { action: 'resourcemanager:CreateFolder', resource: `acs:resourcemanager::${KEYS.main.accountId}:rd/${rd.ResourceDirectoryId}`, sourceIp: '127.0.0.1', secureTransport: false };
      const session = roleSession(member, 'ResourceDirectoryAccountAccessRole', 'tf');
      await service.enforce(session, request);
      await store.transaction({ nothing: 'test set-up' }, (tx) =>
        tx.directorySettings.put({ directoryId: rd.ResourceDirectoryId, controlPolicyStatus: 'Enabled', memberDeletionStatus: 'Disabled', memberDisplayNameSyncStatus: 'Disabled' }));
      await assert.rejects(service.enforce(session, request), denied);
      await assert.rejects(service.enforce({ type: 'RAMUser', accountId: member, userName: 'dev' }, request), denied);
      await service.enforce({ type: 'Account', accountId: member }, request);
      await service.enforce({ type: 'RAMUser', accountId: KEYS.main.accountId, userName: 'terraform' }, request);
      await service.enforce(session, { ...request, action: 'sts:AssumeRole' });
    }));
}
