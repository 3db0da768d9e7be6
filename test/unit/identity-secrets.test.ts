import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parameterTargets } from '../../src/audit/targets.js';
import { randomIds } from '../../src/domain/ids.js';
import { newSessionSecrets, SECURITY_TOKEN } from '../../src/domain/temporary-keys.js';
import { loggableTarget } from '../../src/protocol/front-door.js';

test('a logged request target never shows the SecurityToken or the Signature it carried', () => {
  const token = `CAIS${'x'.repeat(128)}`;
  const logged = loggableTarget(`/?Action=ListAccounts&SecurityToken=${token}&AccessKeyId=STS.abc&Signature=c2lnbmF0dXJl&signature=again`);
  assert.equal(logged, '/?Action=ListAccounts&SecurityToken=***&AccessKeyId=STS.abc&Signature=***&signature=***');
  assert.equal(loggableTarget(undefined), undefined);
});

test("AssumeRole's ExternalId is a shared secret, not an object: audit records do not name it", () => {
  const targets = parameterTargets({ RoleArn: 'acs:ram::1:role/x', ExternalId: 'abcdef', ContactId: 'c-1', SourceIdentity: 'me' });
  assert.deepEqual(targets, ['c-1']);
});

test('temporary keys are STS. and 28 letters and digits; secrets and tokens differ every time and have the token shape', () => {
  assert.match(randomIds.temporaryAccessKeyId(), /^STS\.[A-Za-z0-9]{28}$/);
  const [a, b] = [newSessionSecrets(), newSessionSecrets()];
  assert.notEqual(a.accessKeySecret, b.accessKeySecret);
  assert.notEqual(a.securityToken, b.securityToken);
  assert.match(a.securityToken, SECURITY_TOKEN);
  assert.ok(a.accessKeySecret.length >= 44);
});
