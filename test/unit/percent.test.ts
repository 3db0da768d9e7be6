import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalPairs, countPairs, decodePairs, percentEncode } from '../../src/protocol/percent.js';

test('percentEncode is RFC 3986 strict: only A-Z a-z 0-9 - _ . ~ stay (docs/reference/protocol.md 5.1)', () => {
  assert.equal(percentEncode('AZaz09-_.~'), 'AZaz09-_.~');
  assert.equal(percentEncode(' '), '%20');
  assert.equal(percentEncode("*!'()"), '%2A%21%27%28%29');
  assert.equal(percentEncode('+/:&=@'), '%2B%2F%3A%26%3D%40');
  assert.equal(percentEncode('中'), '%E4%B8%AD');
});

test('the special-characters value of docs/reference/protocol.md 3.3 encodes as pop-core signs it', () => {
  assert.equal(percentEncode("a b*c~d!e'f(g)h+i/j:k&l=m中"), 'a%20b%2Ac~d%21e%27f%28g%29h%2Bi%2Fj%3Ak%26l%3Dm%E4%B8%AD');
});

test('decodePairs reads the openapi wire form (raw !*()~) back to the values that were signed (docs/reference/protocol.md 3.10)', () => {
  const pairs = decodePairs('Name=a%20b*c~d!e%27f(g)h%2Bi%2Fj%3Ak%26l%3Dm%E4%B8%AD&Empty=&Bare');
  assert.deepEqual(pairs, [
    ['Name', "a b*c~d!e'f(g)h+i/j:k&l=m中"],
    ['Empty', ''],
    ['Bare', ''],
  ]);
  assert.equal(canonicalPairs(pairs.slice(0, 1)), 'Name=a%20b%2Ac~d%21e%27f%28g%29h%2Bi%2Fj%3Ak%26l%3Dm%E4%B8%AD');
});

test('decodePairs reads + as a space, skips empty segments and keeps malformed escapes literally', () => {
  assert.deepEqual(decodePairs('A=x+y&&B=%E4%B8&C=100%'), [
    ['A', 'x y'],
    ['B', '%E4%B8'],
    ['C', '100%'],
  ]);
  assert.deepEqual(decodePairs(''), []);
});

test('canonicalPairs sorts by name in code-unit order (upper case before lower case)', () => {
  assert.equal(
    canonicalPairs([
      ['b', '1'],
      ['a', '2'],
      ['B', '3'],
      ['A.2', 'x'],
      ['A.1', 'y'],
    ]),
    'A.1=y&A.2=x&B=3&a=2&b=1',
  );
});

test('countPairs counts &-separated parts, and stops one past the limit', () => {
  assert.equal(countPairs('', 10), 0);
  assert.equal(countPairs('a=1', 10), 1);
  assert.equal(countPairs('a=1&&b', 10), 3);
  assert.equal(countPairs('&'.repeat(1_000_000), 10), 11);
});
