import type { QueryResultRow } from 'pg';

/** Whatever runs a query: a pooled client inside a transaction, or the pool itself. */
export interface Queryable {
  query<R extends QueryResultRow>(query: { name?: string; text: string; values?: unknown[] }): Promise<{ rows: R[]; rowCount: number | null }>;
}

let named = 0;

/**
 * One SQL statement and the row type it answers with. Statements are constants next to
 * their repo and take positional parameters; lists travel as one array parameter
 * (`= ANY($1::text[])`), so no SQL text is ever built at run time.
 */
export class Statement<Row extends QueryResultRow = Record<string, never>> {
  /**
   * A named (prepared) statement: each connection parses and plans it once, and later runs
   * send only the parameters, which saves the server a parse and a plan on every request.
   */
  private readonly name = `rdmc_${++named}`;

  constructor(readonly text: string) {}

  private exec(q: Queryable, values: unknown[]) {
    return q.query<Row>({ name: this.name, text: this.text, values });
  }

  async all(q: Queryable, values: unknown[] = []): Promise<Row[]> {
    return (await this.exec(q, values)).rows;
  }

  async one(q: Queryable, values: unknown[] = []): Promise<Row | null> {
    return (await this.exec(q, values)).rows[0] ?? null;
  }

  /** Runs the statement and answers how many rows it touched. */
  async run(q: Queryable, values: unknown[] = []): Promise<number> {
    return (await this.exec(q, values)).rowCount ?? 0;
  }
}

export const sql = <Row extends QueryResultRow = Record<string, never>>(text: string) => new Statement<Row>(text);

/** `count(*) AS n` answers. */
export type Count = { n: number };
