import assert from 'node:assert/strict';
import { test } from 'node:test';
import Sqlite from 'better-sqlite3';
import { sqliteExecutor } from '../../src/storage/sqlite/executor.js';
import { statement } from '../../src/storage/statement.js';

test('named parameters render as $n numbered by first appearance (a repeated name reuses its number), as ? per appearance on SQLite', () => {
  const s = statement<object, { b: string; a: number }>('SELECT * FROM t WHERE b = :b AND (a = :a OR :a IS NULL) AND c = :b');
  assert.equal(s.for('postgres').text, 'SELECT * FROM t WHERE b = $1 AND (a = $2 OR $2 IS NULL) AND c = $1');
  assert.deepEqual(s.for('postgres').values({ a: 7, b: 'x' }), ['x', 7]);
  assert.equal(s.for('sqlite').text, 'SELECT * FROM t WHERE b = ? AND (a = ? OR ? IS NULL) AND c = ?');
  assert.deepEqual(s.for('sqlite').values({ a: 7, b: 'x' }), ['x', 7, 7, 'x']);
});

test('casts, string literals with colons and times are not parameters', () => {
  const s = statement<object, { id: string }>("SELECT '12:30', 'rdmc.account:' || :id::text, x::jsonb FROM t");
  assert.equal(s.for('postgres').text, "SELECT '12:30', 'rdmc.account:' || $1::text, x::jsonb FROM t");
  assert.deepEqual(s.for('postgres').names, ['id']);
});

test('a missing or an unknown parameter throws at the call; null is a value', () => {
  const s = statement<object, { a: string | null; b: string }>('SELECT :a, :b');
  for (const dialect of ['sqlite', 'postgres'] as const) {
    const r = s.for(dialect);
    assert.throws(() => r.values({ a: 'x' } as never), /missing parameter :b/);
    assert.throws(() => r.values({ a: 'x', b: 'y', c: 'z' } as never), /unknown parameter :c/);
    assert.deepEqual(r.values({ a: null, b: 'y' }), [null, 'y']);
  }
});

test('positional parameters throw at load, and so do dialect texts that take different parameters', () => {
  assert.throws(() => statement('SELECT * FROM t WHERE a = ?'), /positional parameter/);
  assert.throws(() => statement('SELECT * FROM t WHERE a = $1'), /positional parameter/);
  assert.throws(() => statement({ sqlite: 'SELECT :a', postgres: 'SELECT :b' }), /different parameters/);
});

test('lists render per dialect: json_each of one JSON text on SQLite, an array on PostgreSQL', () => {
  const s = statement<object, { d: string; ids: readonly string[] }>((d) => `SELECT * FROM t WHERE d = :d AND ${d.in('id', 'ids')}`);
  assert.equal(s.for('sqlite').text, 'SELECT * FROM t WHERE d = ? AND id IN (SELECT value FROM json_each(?))');
  assert.equal(s.for('postgres').text, 'SELECT * FROM t WHERE d = $1 AND id = ANY($2::text[])');
  assert.deepEqual(s.for('sqlite').values({ d: 'x', ids: ['a', 'b'] }), ['x', '["a","b"]']);
  assert.deepEqual(s.for('postgres').values({ d: 'x', ids: ['a', 'b'] }), ['x', ['a', 'b']]);
});

test('booleans bind as 0/1 on SQLite, as booleans on PostgreSQL; the order column is rowid or seq', () => {
  const s = statement<object, { f: boolean }>((d) => `SELECT :f ORDER BY ${d.order}`);
  assert.deepEqual(s.for('sqlite').values({ f: true }), [1]);
  assert.deepEqual(s.for('postgres').values({ f: true }), [true]);
  assert.equal(s.for('sqlite').text, 'SELECT ? ORDER BY rowid');
  assert.equal(s.for('postgres').text, 'SELECT $1 ORDER BY seq');
});

test('a batch is one JSON parameter read as typed records; a list becomes a row source; index hints are for SQLite only', () => {
  const s = statement<{ a: string; b: string | null }, { rows: string }>((d) => `SELECT r."a", r."b" FROM ${d.records('rows', 'r', ['a', 'b'])}`);
  assert.equal(s.for('postgres').text, 'SELECT r."a", r."b" FROM json_to_recordset($1::json) AS r("a" text, "b" text)');
  const db = new Sqlite(':memory:');
  try {
    const rows = [{ a: "it's", b: null }, { a: 'é\n"', b: 'x' }];
    const r = s.for('sqlite');
    assert.deepEqual(db.prepare(r.text).all(...r.values({ rows: JSON.stringify(rows) })), rows);
    const list = statement<{ k: string }, { ks: readonly string[] }>((d) => `SELECT t.k FROM ${d.table('ks', 't', 'k')}`);
    assert.equal(list.for('postgres').text, 'SELECT t.k FROM unnest($1::text[]) AS t(k)');
    const l = list.for('sqlite');
    assert.deepEqual(db.prepare(l.text).all(...l.values({ ks: ['a', 'b'] })), [{ k: 'a' }, { k: 'b' }]);
    const hinted = statement((d) => `SELECT 1 FROM t ${d.indexedBy('t_x')}`);
    assert.equal(hinted.for('sqlite').text, 'SELECT 1 FROM t INDEXED BY t_x');
    assert.equal(hinted.for('postgres').text, 'SELECT 1 FROM t ');
  } finally {
    db.close();
  }
});

test('a statement written for one dialect only has no form for the other', () => {
  const s = statement({ postgres: 'SELECT json_agg(1)' });
  assert.equal(s.for('postgres').text, 'SELECT json_agg(1)');
  assert.throws(() => s.for('sqlite'), /no sqlite form/);
});

test('the SQLite executor prepares a statement once per connection, not once per call', async () => {
  const db = new Sqlite(':memory:');
  try {
    db.exec("CREATE TABLE t (id TEXT PRIMARY KEY, f INTEGER); INSERT INTO t VALUES ('a', 1)");
    let prepared = 0;
    const prepare = db.prepare.bind(db);
    db.prepare = ((text: string) => (prepared++, prepare(text))) as typeof db.prepare;
    const x = sqliteExecutor(db);
    const s = statement<{ id: string; f: number }, { id: string }>('SELECT * FROM t WHERE id = :id');
    for (let i = 0; i < 3; i++) assert.deepEqual(await x.one(s, { id: 'a' }), { id: 'a', f: 1 });
    assert.equal(await x.one(s, { id: 'b' }), null);
    assert.equal(prepared, 1);
  } finally {
    db.close();
  }
});
