import type { MigrationSql } from './migration.js';

/**
 * Version 16: how many accounts each directory holds, kept by triggers on `accounts` like an index, so
 * the member quota reads one row instead of counting the directory's index range (47 ms on PostgreSQL
 * and 15 ms on SQLite, on the event loop every tenant shares, at 100,000 accounts, for every account
 * created). PostgreSQL uses statement triggers over the transition tables: a seed of 5,000 accounts in
 * one INSERT updates each count once. Every write of `accounts` keeps it, whichever service or import
 * makes it; wipes (TRUNCATE on PostgreSQL, which fires no DELETE trigger) empty it with the rest. A
 * migration that rebuilds `accounts` must create the triggers again. (Numbered SQLite 20, PostgreSQL
 * 20 before the two lists became one.)
 */
export default {
  name: 'directory_account_counts',
  sqlite: `
CREATE TABLE directory_account_counts (
  directory_id TEXT PRIMARY KEY,
  accounts INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO directory_account_counts (directory_id, accounts)
  SELECT directory_id, count(*) FROM accounts WHERE directory_id IS NOT NULL GROUP BY directory_id;
CREATE TRIGGER accounts_counted_in AFTER INSERT ON accounts WHEN NEW.directory_id IS NOT NULL BEGIN
  INSERT INTO directory_account_counts (directory_id, accounts) VALUES (NEW.directory_id, 1)
    ON CONFLICT (directory_id) DO UPDATE SET accounts = accounts + 1;
END;
CREATE TRIGGER accounts_counted_out AFTER DELETE ON accounts WHEN OLD.directory_id IS NOT NULL BEGIN
  UPDATE directory_account_counts SET accounts = accounts - 1 WHERE directory_id = OLD.directory_id;
END;
CREATE TRIGGER accounts_counted_moved AFTER UPDATE OF directory_id ON accounts
  WHEN OLD.directory_id IS NOT NEW.directory_id BEGIN
  UPDATE directory_account_counts SET accounts = accounts - 1 WHERE directory_id = OLD.directory_id;
  INSERT INTO directory_account_counts (directory_id, accounts) SELECT NEW.directory_id, 1 WHERE NEW.directory_id IS NOT NULL
    ON CONFLICT (directory_id) DO UPDATE SET accounts = accounts + 1;
END;
`,
  postgres: `
CREATE TABLE directory_account_counts (
  directory_id TEXT COLLATE "C" PRIMARY KEY,
  accounts BIGINT NOT NULL
);
INSERT INTO directory_account_counts (directory_id, accounts)
  SELECT directory_id, count(*) FROM accounts WHERE directory_id IS NOT NULL GROUP BY directory_id;

CREATE FUNCTION rdmc_accounts_counted_in() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO directory_account_counts AS c (directory_id, accounts)
    SELECT directory_id, count(*) FROM counted_in WHERE directory_id IS NOT NULL GROUP BY directory_id ORDER BY directory_id
    ON CONFLICT (directory_id) DO UPDATE SET accounts = c.accounts + EXCLUDED.accounts;
  RETURN NULL;
END $$;
CREATE FUNCTION rdmc_accounts_counted_out() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE directory_account_counts AS c SET accounts = c.accounts - gone.n
    FROM (SELECT directory_id, count(*) AS n FROM counted_out WHERE directory_id IS NOT NULL GROUP BY directory_id) AS gone
    WHERE c.directory_id = gone.directory_id;
  RETURN NULL;
END $$;
CREATE FUNCTION rdmc_accounts_counted_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE directory_account_counts AS c SET accounts = c.accounts - gone.n
    FROM (SELECT o.directory_id, count(*) AS n FROM counted_out o JOIN counted_in n USING (id)
          WHERE o.directory_id IS NOT NULL AND o.directory_id IS DISTINCT FROM n.directory_id GROUP BY o.directory_id) AS gone
    WHERE c.directory_id = gone.directory_id;
  INSERT INTO directory_account_counts AS c (directory_id, accounts)
    SELECT n.directory_id, count(*) FROM counted_out o JOIN counted_in n USING (id)
      WHERE n.directory_id IS NOT NULL AND o.directory_id IS DISTINCT FROM n.directory_id GROUP BY n.directory_id ORDER BY n.directory_id
    ON CONFLICT (directory_id) DO UPDATE SET accounts = c.accounts + EXCLUDED.accounts;
  RETURN NULL;
END $$;
CREATE TRIGGER accounts_counted_in AFTER INSERT ON accounts
  REFERENCING NEW TABLE AS counted_in FOR EACH STATEMENT EXECUTE FUNCTION rdmc_accounts_counted_in();
CREATE TRIGGER accounts_counted_out AFTER DELETE ON accounts
  REFERENCING OLD TABLE AS counted_out FOR EACH STATEMENT EXECUTE FUNCTION rdmc_accounts_counted_out();
CREATE TRIGGER accounts_counted_moved AFTER UPDATE ON accounts
  REFERENCING OLD TABLE AS counted_out NEW TABLE AS counted_in FOR EACH STATEMENT EXECUTE FUNCTION rdmc_accounts_counted_moved();
`,
} satisfies MigrationSql;
