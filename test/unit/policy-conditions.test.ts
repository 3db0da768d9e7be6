import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileCondition, conditionHolds, requestContext } from '../../src/domain/policy-conditions.js';
import { CONDITION_OPERATORS, checkPolicyGrammar } from '../../src/domain/policy-grammar.js';
import { PatternSet, wildcardMatch } from '../../src/domain/policy-patterns.js';

/** Whether `operator: { key: values }` holds for a request whose context is `context`. */
const holds = (operator: string, values: string | string[], context: Record<string, string | string[]>, key = 'acs:Key') =>
  conditionHolds(compileCondition(operator, key, typeof values === 'string' ? [values] : values), requestContext(context));

test('wildcards: * is any run (the empty one too), ? exactly one character, everything else literal', () => {
  assert.equal(wildcardMatch('*', ''), true);
  assert.equal(wildcardMatch('ecs:*', 'ecs:'), true);
  assert.equal(wildcardMatch('ecs:Describe*', 'ecs:DescribeInstances'), true);
  assert.equal(wildcardMatch('ecs:Describe*', 'ecs:Describ'), false);
  assert.equal(wildcardMatch('ecs:?elete*', 'ecs:DeleteInstance'), true);
  assert.equal(wildcardMatch('ecs:?elete', 'ecs:elete'), false);
  assert.equal(wildcardMatch('a*b*c', 'aXXbYYc'), true);
  assert.equal(wildcardMatch('a*b*c', 'aXXcYYb'), false);
  assert.equal(wildcardMatch('acs:log:*:*:project/archive/*', 'acs:log:cn-hangzhou:123:project/archive/logstore/x'), true);
  assert.equal(wildcardMatch('acs:log:*:*:project/archive/*', 'acs:log:cn-hangzhou:123:project/other/logstore'), false);
  assert.equal(wildcardMatch('a.c', 'abc'), false, 'a dot is literal, not a regular-expression wildcard');
  assert.equal(wildcardMatch('a+', 'aa'), false);
  assert.equal(wildcardMatch('**', 'x'), true);
});

test('wildcards: a pathological pattern against a long value answers without exponential backtracking', () => {
  const pattern = `${'*a'.repeat(40)}*b`;
  const value = 'a'.repeat(4096);
  assert.equal(wildcardMatch(pattern, value), false);
  assert.equal(wildcardMatch(pattern, `${value}b`), true);
});

test('pattern sets: actions fold case, resources do not; * matches everything', () => {
  const actions = new PatternSet(['ECS:DeleteInstance', 'ram:*Role'], true);
  assert.equal(actions.matches('ecs:deleteinstance'), true);
  assert.equal(actions.matches('ram:updaterole'), true);
  assert.equal(actions.matches('ram:updateuser'), false);
  const resources = new PatternSet(['acs:ram:*:*:role/ResourceDirectoryAccountAccessRole'], false);
  assert.equal(resources.matches('acs:ram:*:123:role/ResourceDirectoryAccountAccessRole'), true);
  assert.equal(resources.matches('acs:ram:*:123:role/resourcedirectoryaccountaccessrole'), false);
  assert.equal(new PatternSet(['*'], false).matches('anything at all'), true);
});

test('the grammar accepts each operator and its IfExists form, and refuses set qualifiers it does not know', () => {
  assert.equal(CONDITION_OPERATORS.size, 42);
  for (const operator of CONDITION_OPERATORS) {
    const doc = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Deny', Action: '*', Resource: '*', Condition: { [operator]: { 'acs:Key': 'v' } } }] });
    assert.equal(checkPolicyGrammar(doc).ok, true, operator);
  }
  const refused = checkPolicyGrammar(JSON.stringify({ Version: '1', Statement: [{ Effect: 'Deny', Action: '*', Resource: '*', Condition: { 'ForAnyValue:StringEquals': { k: 'v' } } }] }));
  assert.deepEqual(refused, { ok: false, reason: 'Statement[0].Condition has the unknown operator "ForAnyValue:StringEquals"' });
});

test('StringEquals / StringNotEquals: exact and case-sensitive; several policy values OR', () => {
  assert.equal(holds('StringEquals', 'cn-hangzhou', { 'acs:Key': 'cn-hangzhou' }), true);
  assert.equal(holds('StringEquals', 'cn-hangzhou', { 'acs:Key': 'CN-Hangzhou' }), false);
  assert.equal(holds('StringEquals', ['cn-beijing', 'cn-hangzhou'], { 'acs:Key': 'cn-hangzhou' }), true);
  assert.equal(holds('StringEquals', 'cn-*', { 'acs:Key': 'cn-hangzhou' }), false, 'no wildcards in StringEquals');
  assert.equal(holds('StringNotEquals', ['cn-beijing', 'cn-hangzhou'], { 'acs:Key': 'cn-hangzhou' }), false);
  assert.equal(holds('StringNotEquals', ['cn-beijing', 'cn-hangzhou'], { 'acs:Key': 'us-west-1' }), true);
});

test('StringEqualsIgnoreCase / StringNotEqualsIgnoreCase', () => {
  assert.equal(holds('StringEqualsIgnoreCase', 'Dev', { 'acs:Key': 'DEV' }), true);
  assert.equal(holds('StringEqualsIgnoreCase', 'Dev', { 'acs:Key': 'prod' }), false);
  assert.equal(holds('StringNotEqualsIgnoreCase', 'Dev', { 'acs:Key': 'dEv' }), false);
  assert.equal(holds('StringNotEqualsIgnoreCase', 'Dev', { 'acs:Key': 'prod' }), true);
});

test('StringLike / StringNotLike: * and ? wildcards, case-sensitive', () => {
  assert.equal(holds('StringLike', 'hangzhou/2015/*', { 'acs:Key': 'hangzhou/2015/photo.jpg' }), true);
  assert.equal(holds('StringLike', 'hangzhou/201?/*', { 'acs:Key': 'hangzhou/2016/x' }), true);
  assert.equal(holds('StringLike', 'hangzhou/*', { 'acs:Key': 'Hangzhou/x' }), false);
  assert.equal(holds('StringNotLike', 'hangzhou/*', { 'acs:Key': 'beijing/x' }), true);
  assert.equal(holds('StringNotLike', 'hangzhou/*', { 'acs:Key': 'hangzhou/x' }), false);
});

test('Numeric operators: each comparison, decimals and exponents, a value that is not a number matches nothing', () => {
  const at = (operator: string, policy: string, request: string) => holds(operator, policy, { 'acs:Key': request });
  assert.equal(at('NumericEquals', '10', '10.0'), true);
  assert.equal(at('NumericEquals', '10', '1e1'), true);
  assert.equal(at('NumericEquals', '10', '11'), false);
  assert.equal(at('NumericNotEquals', '10', '11'), true);
  assert.equal(at('NumericNotEquals', '10', '10'), false);
  assert.equal(at('NumericLessThan', '10', '9.5'), true);
  assert.equal(at('NumericLessThan', '10', '10'), false);
  assert.equal(at('NumericLessThanEquals', '10', '10'), true);
  assert.equal(at('NumericLessThanEquals', '10', '10.01'), false);
  assert.equal(at('NumericGreaterThan', '10', '10.01'), true);
  assert.equal(at('NumericGreaterThan', '10', '10'), false);
  assert.equal(at('NumericGreaterThanEquals', '10', '10'), true);
  assert.equal(at('NumericGreaterThanEquals', '10', '-3'), false);
  assert.equal(at('NumericEquals', '0', ''), false, 'an empty value is not 0');
  assert.equal(at('NumericEquals', '16', '0x10'), false, 'hexadecimal is not a RAM number');
  assert.equal(at('NumericLessThan', 'ten', '1'), false, 'a policy value that is not a number matches nothing');
  assert.equal(at('NumericNotEquals', '10', 'abc'), true, 'the negation of a match that cannot happen');
});

test('Date operators: ISO 8601 with or without a zone (UTC when none), each comparison', () => {
  const at = (operator: string, policy: string, request: string) => holds(operator, policy, { 'acs:CurrentTime': request }, 'acs:CurrentTime');
  assert.equal(at('DateEquals', '2026-01-01T08:00:00+08:00', '2026-01-01T00:00:00Z'), true);
  assert.equal(at('DateEquals', '2026-01-01T00:00:00', '2026-01-01T00:00:00Z'), true, 'no zone is UTC');
  assert.equal(at('DateEquals', '2026-01-01', '2026-01-01T00:00:00.000Z'), true);
  assert.equal(at('DateNotEquals', '2026-01-01T00:00:00Z', '2026-01-01T00:00:01Z'), true);
  assert.equal(at('DateNotEquals', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'), false);
  assert.equal(at('DateLessThan', '2026-01-01T00:00:00Z', '2025-12-31T23:59:59Z'), true);
  assert.equal(at('DateLessThan', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'), false);
  assert.equal(at('DateLessThanEquals', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'), true);
  assert.equal(at('DateGreaterThan', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00.001Z'), true);
  assert.equal(at('DateGreaterThan', '2026-01-01T00:00:00Z', '2025-06-01T00:00:00Z'), false);
  assert.equal(at('DateGreaterThanEquals', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'), true);
  assert.equal(at('DateGreaterThanEquals', '2026-01-01T00:00:00Z', 'next tuesday'), false, 'not a time');
  assert.equal(at('DateLessThan', 'January 1, 2030', '2026-01-01T00:00:00Z'), false, 'only ISO 8601 is a time');
});

test('Bool: true and false in any case', () => {
  assert.equal(holds('Bool', 'true', { 'acs:SecureTransport': 'true' }, 'acs:SecureTransport'), true);
  assert.equal(holds('Bool', 'true', { 'acs:SecureTransport': 'TRUE' }, 'acs:SecureTransport'), true);
  assert.equal(holds('Bool', 'false', { 'acs:SecureTransport': 'true' }, 'acs:SecureTransport'), false);
});

test('IpAddress / NotIpAddress: addresses and CIDR blocks, IPv4 and IPv6, bad values match nothing', () => {
  const at = (operator: string, policy: string[], ip: string) => holds(operator, policy, { 'acs:SourceIp': ip }, 'acs:SourceIp');
  assert.equal(at('IpAddress', ['203.0.113.0/24'], '203.0.113.7'), true);
  assert.equal(at('IpAddress', ['203.0.113.0/24'], '203.0.114.7'), false);
  assert.equal(at('IpAddress', ['198.51.100.9'], '198.51.100.9'), true);
  assert.equal(at('IpAddress', ['198.51.100.9', '10.0.0.0/8'], '10.20.30.40'), true);
  assert.equal(at('IpAddress', ['2001:db8::/32'], '2001:db8:1::5'), true);
  assert.equal(at('IpAddress', ['2001:db8::/32'], '2001:db9::5'), false);
  assert.equal(at('IpAddress', ['10.0.0.0/33', 'not-an-ip', '10.0.0.0/8/1'], '10.0.0.1'), false);
  assert.equal(at('IpAddress', ['10.0.0.0/8'], 'localhost'), false);
  assert.equal(at('NotIpAddress', ['10.0.0.0/8'], '192.0.2.1'), true);
  assert.equal(at('NotIpAddress', ['10.0.0.0/8'], '10.1.1.1'), false);
});

test('a key the request lacks: a positive operator fails, a negated one holds, every IfExists form holds', () => {
  assert.equal(holds('StringEquals', 'x', {}), false);
  assert.equal(holds('StringNotEquals', 'x', {}), true);
  assert.equal(holds('NumericLessThan', '3', {}), false);
  assert.equal(holds('NotIpAddress', '10.0.0.0/8', {}), true);
  for (const operator of CONDITION_OPERATORS) {
    if (!operator.endsWith('IfExists')) continue;
    assert.equal(holds(operator, 'x', {}), true, `${operator} without the key`);
    assert.equal(holds(operator, 'x', { 'acs:Key': [] }), true, `${operator} with an empty list`);
  }
});

test('IfExists forms test the key like their base operator when it is present', () => {
  assert.equal(holds('StringEqualsIfExists', 'cn-hangzhou', { 'acs:Key': 'cn-beijing' }), false);
  assert.equal(holds('StringEqualsIfExists', 'cn-hangzhou', { 'acs:Key': 'cn-hangzhou' }), true);
  assert.equal(holds('StringNotEqualsIfExists', 'cn-hangzhou', { 'acs:Key': 'cn-hangzhou' }), false);
  assert.equal(holds('NumericGreaterThanIfExists', '5', { 'acs:Key': '4' }), false);
  assert.equal(holds('DateLessThanIfExists', '2026-01-01', { 'acs:Key': '2025-01-01' }), true);
  assert.equal(holds('BoolIfExists', 'true', { 'acs:Key': 'false' }), false);
  assert.equal(holds('IpAddressIfExists', '10.0.0.0/8', { 'acs:Key': '11.0.0.1' }), false);
  assert.equal(holds('NotIpAddressIfExists', '10.0.0.0/8', { 'acs:Key': '11.0.0.1' }), true);
});

test('multi-valued request keys: a positive operator holds when any value matches, a negated one when none does', () => {
  const tags = { 'acs:TagKeys': ['team', 'cost-center'] };
  assert.equal(holds('StringEquals', 'team', tags, 'acs:TagKeys'), true);
  assert.equal(holds('StringEquals', 'owner', tags, 'acs:TagKeys'), false);
  assert.equal(holds('StringNotEquals', 'team', tags, 'acs:TagKeys'), false);
  assert.equal(holds('StringNotEquals', 'owner', tags, 'acs:TagKeys'), true);
  assert.equal(holds('StringLike', 'cost-*', tags, 'acs:TagKeys'), true);
  assert.equal(holds('IpAddress', '10.0.0.0/8', { 'acs:SourceIp': ['192.0.2.1', '10.0.0.1'] }, 'acs:SourceIp'), true);
});

test('condition key names are case-insensitive, and a context key given twice in different cases keeps both values', () => {
  assert.equal(holds('StringEquals', 'cn-hangzhou', { 'ACS:KEY': 'cn-hangzhou' }, 'acs:key'), true);
  const context = requestContext({ 'acs:Key': 'a', 'ACS:key': ['b'] });
  assert.deepEqual(context.get('acs:key'), ['a', 'b']);
});
