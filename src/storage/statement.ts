import { sql, type Statement as PgStatement } from './postgres/sql.js';
import { listParam } from './sqlite/lists.js';

/*
 * Each SQL statement of rdmc is written once, with named parameters, and runs on both stores.
 *
 * HOW TO CONVERT A REPO (src/storage/repos/directories.ts is the smallest example,
 * src/storage/repos/contacts.ts the fullest):
 *
 * 1. Make src/storage/repos/<table>.ts. Write its statements as one module-level object:
 *      const s = {
 *        byId: statement<DirectoryRow, { id: string }>('SELECT * FROM directories WHERE id = :id'),
 *        list: statement<ContactRow, { directoryId: string; ids: readonly string[] }>(
 *          (d) => `SELECT * FROM contacts WHERE directory_id = :directoryId AND ${d.in('id', 'ids')} ORDER BY create_time, ${d.order}`),
 *      };
 *    - Parameters are NAMED, `:name` (an identifier after one colon; PostgreSQL's `::type` casts
 *      are left alone). A name may appear several times. No `?` and no `$1`.
 *    - The first type argument is the row type from src/storage/rows/<table>.ts (no casts in
 *      repos; `NoRow` for writes, `Count` for `count(*) AS n`); the second is the parameters'
 *      object type, a type literal (`NoParams` for none). A record interface does not fit
 *      it (no index signature): pass the fields, or a mapper like contacts' `changeable`.
 *    - Where the SQL truly differs, take the dialect `d` (below) or, for a statement with
 *      nothing in common, `{ sqlite: '…', postgres: '…' }`; either way one line of comment
 *      saying why. A statement one dialect never runs has only the other's text.
 * 2. Write ONE repo function `fooRepo(x: Executor)` (src/storage/executor.ts) calling
 *    `x.one(s.byId, { id })`, `x.all(...)`, `x.run(...)` (touched rows). Values are plain:
 *    booleans and string arrays are encoded for SQLite by the executor (0/1, JSON text).
 *    Where one dialect wants another strategy for one method, branch on `x.dialect` for that
 *    method only, with a why-comment (contacts.shownTo).
 * 3. In src/storage/sqlite/store.ts and src/storage/postgres/store.ts, build the repo from
 *    the executor both already make (`fooRepo(x)`), then delete
 *    src/storage/{sqlite,postgres}/repos/<table>.ts.
 * 4. Add the repo's module to the imports of test/storage/statements.test.ts (every statement
 *    must prepare on both schemas). A statement test/storage/contract-plans.test.ts checks the
 *    plan of: export the repo's `s` and give the test `s.x.for(dialect).text` and
 *    `s.x.for(dialect).values({ ... })` instead of the old text and positional values.
 * 5. `npx tsc --noEmit`, then the contract suite (test/storage/*.test.ts) on both stores.
 *
 * Each statement is rendered for each dialect once, when its module loads: `:name` becomes
 * `$n` for PostgreSQL, numbered in order of first appearance (a repeated name reuses its
 * number), and `?` for SQLite, one per appearance; either way the values go as one array
 * built from the named object in that order. SQLite prepares each statement once per
 * connection (src/storage/sqlite/executor.ts); PostgreSQL runs it as a named prepared
 * statement (src/storage/postgres/sql.ts).
 */

export type DialectName = 'sqlite' | 'postgres';

/** What a statement may ask of the dialect it is rendered for, where the SQL truly differs. */
export interface Dialect {
  readonly name: DialectName;
  /**
   * The tiebreaker of creation order among rows of one millisecond: SQLite's implicit
   * `rowid`; PostgreSQL has no stable row address, so its tables carry an identity `seq`.
   */
  readonly order: string;
  /**
   * `column` is one of the values of list parameter `:name`. SQLite reads the list as one JSON
   * text (src/storage/sqlite/lists.ts); PostgreSQL takes an array. Either way the text, and so
   * the prepared statement, is the same whatever the list's length.
   */
  in(column: string, name: string, pgType?: string): string;
  /** List parameter `:name` as a row source `alias(column)`, to join each value with a sub-select (census). */
  table(name: string, alias: string, column: string): string;
  /**
   * Parameter `:name`, one JSON array of objects, as a row source `alias` with a text column
   * per field (quoted: `alias."fieldName"`): a batch of rows written by one statement whatever
   * its size. SQLite reads each field with `->>`; PostgreSQL's json_to_recordset types the
   * columns in one pass (reading each field with `->>` there costs a batch half as much again).
   */
  records(name: string, alias: string, fields: readonly string[]): string;
  /**
   * Names the index a statement must read: SQLite plans without statistics (no ANALYZE) and
   * would pick a worse one; PostgreSQL has statistics and no hints (empty there).
   */
  indexedBy(index: string): string;
}

const DIALECTS: Record<DialectName, Dialect> = {
  sqlite: {
    name: 'sqlite',
    order: 'rowid',
    in: (column, name) => `${column} IN (SELECT value FROM json_each(:${name}))`,
    table: (name, alias, column) => `(SELECT value AS ${column} FROM json_each(:${name})) AS ${alias}`,
    records: (name, alias, fields) =>
      `(SELECT ${fields.map((f) => `value->>'${f}' AS "${f}"`).join(', ')} FROM json_each(:${name})) AS ${alias}`,
    indexedBy: (index) => `INDEXED BY ${index}`,
  },
  postgres: {
    name: 'postgres',
    order: 'seq',
    in: (column, name, pgType = 'text') => `${column} = ANY(:${name}::${pgType}[])`,
    table: (name, alias, column) => `unnest(:${name}::text[]) AS ${alias}(${column})`,
    records: (name, alias, fields) => `json_to_recordset(:${name}::json) AS ${alias}(${fields.map((f) => `"${f}" text`).join(', ')})`,
    indexedBy: () => '',
  },
};

/** A value a statement takes: lists go to `d.in`, booleans to a flag column. */
export type Param = string | number | boolean | null | readonly (string | number | null)[];
export type Params = Record<string, Param>;
export type NoParams = Record<never, never>;
/** The row type of a statement that answers no rows (an INSERT, UPDATE or DELETE). */
export type NoRow = Record<string, never>;
/** `count(*) AS n` answers. */
export type Count = { n: number };

/** One statement's text for one dialect, and the names its parameters stand for, in order. */
export class Rendered {
  private readonly distinct: number;

  constructor(
    readonly text: string,
    /** `names[i]` is the value of the i-th value sent. */
    readonly names: readonly string[],
    private readonly encode: (value: Param) => unknown,
  ) {
    this.distinct = new Set(names).size;
  }

  /**
   * The values in parameter order. A name the statement uses but `params` lacks, or one
   * `params` has that the statement does not use (a typo, a column forgotten), throws:
   * binding `undefined` or silently ignoring a value would write the wrong row.
   */
  values(params: Params): unknown[] {
    const values = new Array<unknown>(this.names.length);
    for (let i = 0; i < this.names.length; i++) {
      const value = params[this.names[i]!];
      if (value === undefined) throw new Error(`missing parameter :${this.names[i]} in ${this.text}`);
      values[i] = this.encode(value);
    }
    let given = 0;
    for (const _ in params) given++;
    if (given !== this.distinct) {
      const unknown = Object.keys(params).filter((k) => !this.names.includes(k));
      throw new Error(`unknown parameter ${unknown.map((k) => `:${k}`).join(', ')} in ${this.text}`);
    }
    return values;
  }
}

// One colon then an identifier: not the second colon of a `::type` cast, not inside a word.
const PARAM = /(?<![:\w]):([A-Za-z_]\w*)/g;
const POSITIONAL = /\?|\$\d/;

/**
 * Renders `:name` parameters as `$n` (PostgreSQL: a repeated name reuses its number) or as one
 * `?` per appearance (SQLite: better-sqlite3 takes a numbered `?n` for a named parameter and
 * would want an object). Throws at load on positional parameters.
 */
export function render(text: string, dialect: DialectName, encode: (value: Param) => unknown): Rendered {
  if (POSITIONAL.test(text)) throw new Error(`positional parameter in a statement (name it, :name): ${text}`);
  const names: string[] = [];
  const rendered = text.replace(PARAM, (_, name: string) => {
    if (dialect === 'sqlite') return names.push(name), '?';
    let i = names.indexOf(name);
    if (i < 0) i = names.push(name) - 1;
    return `$${i + 1}`;
  });
  return new Rendered(rendered, names, encode);
}

// better-sqlite3 binds neither booleans nor arrays.
const encodeSqlite = (v: Param): unknown => (typeof v === 'boolean' ? Number(v) : Array.isArray(v) ? listParam(v) : v);
const encodePostgres = (v: Param): unknown => v;

/** Every statement defined, so that a test can prepare each on both stores. */
export const allStatements: Statement<object, Params>[] = [];

type Text = string | ((d: Dialect) => string);
type Texts = Text | { sqlite?: string; postgres?: string };

/** One statement, rendered for both dialects. Built by `statement()` at module load. */
export class Statement<Row extends object, P extends Params> {
  readonly sqlite: Rendered | null;
  readonly postgres: (Rendered & { prepared: PgStatement<Row & Record<string, unknown>> }) | null;
  /** Type-only: carries the row and parameter types to the executor. */
  declare readonly types: { row: Row; params: P };

  constructor(texts: Texts) {
    const textFor = (name: DialectName): string | undefined =>
      typeof texts === 'string' ? texts : typeof texts === 'function' ? texts(DIALECTS[name]) : texts[name];
    const lite = textFor('sqlite');
    const pg = textFor('postgres');
    this.sqlite = lite === undefined ? null : render(lite, 'sqlite', encodeSqlite);
    const pgRendered = pg === undefined ? null : render(pg, 'postgres', encodePostgres);
    this.postgres = pgRendered && Object.assign(pgRendered, { prepared: sql<Row & Record<string, unknown>>(pgRendered.text) });
    if (this.sqlite && pgRendered && [...new Set(this.sqlite.names)].sort().join() !== [...pgRendered.names].sort().join())
      throw new Error(`the dialects' texts take different parameters: ${lite} / ${pg}`);
  }

  /** This statement's form for `dialect`; a statement written for the other dialect only throws. */
  for(dialect: DialectName): Rendered {
    return this[dialect] ?? this.missing(dialect);
  }

  /** The PostgreSQL form and its named prepared statement. */
  forPostgres(): NonNullable<this['postgres']> {
    return this.postgres ?? this.missing('postgres');
  }

  private missing(dialect: DialectName): never {
    throw new Error(`statement has no ${dialect} form: ${(this.sqlite ?? this.postgres)!.text}`);
  }
}

/** Defines a statement: see the guide at the top of this file. */
export function statement<Row extends object = NoRow, P extends Params = NoParams>(texts: Texts): Statement<Row, P> {
  const s = new Statement<Row, P>(texts);
  allStatements.push(s);
  return s;
}
