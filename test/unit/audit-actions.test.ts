import assert from 'node:assert/strict';
import { test } from 'node:test';
import { API_VERSIONS, changesState } from '../../src/api/actions.js';

/**
 * What the audit trail records (src/audit/): every action that changes state. The reads are
 * listed here by name, so an action added later is a write (and recorded) unless it is added
 * to this list on purpose.
 */
test('the audit trail records every action but these reads', () => {
  const reads = [
    'GetAccount', 'GetAccountDeletionCheckResult', 'GetAccountDeletionStatus', 'GetCallerIdentity', 'GetControlPolicy',
    'GetControlPolicyEnablementStatus', 'GetFolder', 'GetHandshake', 'GetMessageContact', 'GetMessageContactDeletionStatus',
    'GetPayerForAccount', 'GetResourceDirectory', 'ListAccounts', 'ListAccountsForParent', 'ListAncestors', 'ListControlPolicies',
    'ListControlPolicyAttachmentsForTarget', 'ListDelegatedAdministrators', 'ListDelegatedServicesForAccount', 'ListFoldersForParent',
    'ListHandshakesForAccount', 'ListHandshakesForResourceDirectory', 'ListMessageContactVerifications', 'ListMessageContacts',
    'ListTagKeys', 'ListTagResources', 'ListTagValues', 'ListTargetAttachmentsForControlPolicy', 'ListTrustedServiceStatus',
  ];
  const names = [...new Set(Object.values(API_VERSIONS).flatMap(({ actions }) => Object.keys(actions)))].sort();
  assert.deepEqual(names.filter((name) => !changesState(name)), reads);
  assert.ok(changesState('CheckAccountDelete') && changesState('AddMessageContact') && changesState('InitResourceDirectory'));
});
