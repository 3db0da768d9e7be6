import assert from 'node:assert/strict';
import { test } from 'node:test';
import { systemClock } from '../../src/domain/clock.js';
import { ApiError } from '../../src/domain/errors.js';
import { roleSession } from '../../src/domain/identity.js';
import { randomIds } from '../../src/domain/ids.js';
import { GuardrailService, type EnforcedRequest } from '../../src/services/guardrails.js';
import { storedPolicies } from '../../src/services/stored-policies.js';
import type { Store, Tx } from '../../src/storage/store.js';
import type { Backend } from '../helpers/database.js';
import { withBuiltStore } from '../helpers/built-store.js';
import { recording } from '../helpers/recording-tx.js';
import { KEYS } from '../helpers/server.js';

/**
 * The guardrail service on a real store: the chain it reads (the account, each folder above
 * it, the Root, with the policies attached to each) in statements bounded by the depth, never
 * the directory, the decision it answers, and enforcement with the switch off and on.
 */

const DENY_RD = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Deny', Action: 'resourcemanager:*', Resource: '*' }] });

/** A store whose transactions record their calls. */
const recordingStore = (store: Store, calls: string[]): Store =>
  new Proxy(store, { get: (s, name: string) => (name === 'read' ? <T>(fn: (tx: Tx) => Promise<T>) => s.read((tx) => fn(recording(tx, calls))) : Reflect.get(s, name)) });

const denied = (err: unknown) => err instanceof ApiError && err.status === 403 && err.code === 'NoPermission' &&
  err.message === 'You are not authorized to do this action. A control policy of the resource directory denies resourcemanager:CreateFolder (ExplicitDeny).';

const settings = (directoryId: string, controlPolicyStatus: 'Enabled' | 'Disabled') =>
  ({ directoryId, controlPolicyStatus, memberDeletionStatus: 'Disabled', memberDisplayNameSyncStatus: 'Disabled' }) as const;

for (const backend of ['sqlite', 'postgres'] as Backend[]) {
  test(`${backend}: the guardrail service reads an account's chain and its policies in statements bounded by the depth, and judges by them`, (t) =>
    withBuiltStore(t, backend, 'the guardrail chain test', async (call) => {
      const folder = async (name: string, parent?: string) => (await call('CreateFolder', { FolderName: name, ParentFolderId: parent })).Folder.FolderId as string;
      const rd = (await call('GetResourceDirectory')).ResourceDirectory;
      const path: string[] = [];
      for (let depth = 1; depth <= 5; depth++) path.push(await folder(`Level${depth}`, path.at(-1)));
      for (let i = 0; i < 12; i++) await folder(`Other${i}`);
      const member = (await call('CreateResourceAccount', { DisplayName: 'deep-member', ParentFolderId: path[4] })).Account.AccountId as string;
      await call('EnableControlPolicy');
      // Deny on the second folder; another policy attached elsewhere is never read.
      const denyRd = (await call('CreateControlPolicy', { PolicyName: 'deny-rd', EffectScope: 'RAM', PolicyDocument: DENY_RD })).ControlPolicy.PolicyId as string;
      const elsewhere = (await call('CreateControlPolicy', { PolicyName: 'elsewhere', EffectScope: 'RAM', PolicyDocument: DENY_RD })).ControlPolicy.PolicyId as string;
      await call('AttachControlPolicy', { PolicyId: denyRd, TargetId: path[1] });
      await call('AttachControlPolicy', { PolicyId: elsewhere, TargetId: (await folder('Unrelated')) });
      return { rd, path, member, denyRd };
    }, async (store, { rd, path, member, denyRd }) => {
      const calls: string[] = [];
      const service = new GuardrailService({ store: recordingStore(store, calls), clock: systemClock, ids: randomIds }, storedPolicies);

      const chain = await service.effectivePolicies(member);
      assert.deepEqual(chain.chain.map((l) => [l.kind, l.id, l.name]), [
        ['Account', member, 'deep-member'],
        ...[5, 4, 3, 2, 1].map((depth) => ['Folder', path[depth - 1], `Level${depth}`]),
        ['Root', rd.RootFolderId, 'Root'],
      ]);
      assert.deepEqual(chain.chain.map((l) => l.policies.map((p) => p.id).sort()), [
        ['cp-FullAliyunAccess'], ['cp-FullAliyunAccess'], ['cp-FullAliyunAccess'], ['cp-FullAliyunAccess'], [denyRd, 'cp-FullAliyunAccess'].sort(), ['cp-FullAliyunAccess'], ['cp-FullAliyunAccess'],
      ]);
      assert.deepEqual([chain.managementAccount, chain.controlPolicyStatus, chain.directoryId], [false, 'Enabled', rd.ResourceDirectoryId]);
      assert.ok(!calls.includes('folders.all'), `read the whole directory: ${calls.join(', ')}`);
      assert.ok(calls.filter((c) => c === 'folders.byIds').length <= 6, `one read per level at most: ${calls.join(', ')}`);
      assert.deepEqual(calls.filter((c) => c.startsWith('controlPolicies.')), ['controlPolicies.forTargets', 'controlPolicies.byIds'], 'the chain\'s attachments and their policies, once each');
      assert.ok(calls.length <= 11, `bounded by the depth: ${calls.join(', ')}`);

      const ask = (principalType: 'Account' | 'RAMUser' | 'AssumedRoleUser', accountId = member) =>
        service.simulate({ accountId, principalType, action: 'resourcemanager:CreateFolder', resource: '*', context: {} });
      const user = await ask('RAMUser');
      assert.equal(user.evaluation.decision, 'ExplicitDeny');
      assert.deepEqual(user.evaluation.decidingStatements.map((s) => [s.policyId, s.target.id]), [[denyRd, path[1]]]);
      assert.match(String(user.request.context['acs:CurrentTime']), /^\d{4}-\d{2}-\d{2}T/);
      assert.equal((await ask('Account')).evaluation.decision, 'Allowed', 'a RAM-scoped Deny leaves the root identity alone');
      const management = await ask('RAMUser', KEYS.main.accountId);
      assert.deepEqual([management.managementAccount, management.evaluation.decision, management.evaluation.reason], [true, 'Allowed', 'ManagementAccount']);
      await assert.rejects(service.effectivePolicies('9999999999999999'), (err: unknown) =>
        err instanceof ApiError && err.status === 404 && err.code === 'EntityNotExists.Account' && err.message === 'This resource directory account does not exist.');

      // Enforcement: the same decision while the switch is on, nothing while it is off.
      const request: EnforcedRequest = { action: 'resourcemanager:CreateFolder', resource: null, sourceIp: '127.0.0.1', secureTransport: false };
      const session = roleSession(member, 'ResourceDirectoryAccountAccessRole', 'tf');
      await assert.rejects(service.enforce(session, request), denied);
      await assert.rejects(service.enforce({ type: 'RAMUser', accountId: member, userName: 'dev' }, request), denied);
      await service.enforce({ type: 'Account', accountId: member }, request);
      calls.length = 0;
      await service.enforce({ type: 'RAMUser', accountId: KEYS.main.accountId, userName: 'terraform' }, request);
      assert.deepEqual(calls, ['accounts.byId', 'directorySettings.get', 'directories.byId'], 'the management account\'s callers stop before the chain');
      await service.enforce(session, { ...request, action: 'sts:AssumeRole', resource: `acs:ram::${member}:role/ResourceDirectoryAccountAccessRole` });
      await store.transaction({ nothing: 'test set-up' }, (tx) => tx.directorySettings.put(settings(rd.ResourceDirectoryId, 'Disabled')));
      calls.length = 0;
      await service.enforce(session, request);
      assert.deepEqual(calls, ['accounts.byId', 'directorySettings.get'], 'with the switch off, the switch is all enforcement reads');
    }));
}
