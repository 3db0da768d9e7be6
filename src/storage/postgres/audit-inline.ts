import pg from 'pg';
import type { AuditEntry } from '../../audit/entry.js';
import { auditValues, statements } from '../repos/audit.js';

/** A value as SQL text: only for `inlineAuditInsert`, whose values are strings, numbers, null and string arrays. */
function literal(value: unknown): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') return String(Math.trunc(value));
  if (Array.isArray(value)) return `ARRAY[${value.map(literal).join(', ')}]`;
  return pg.escapeLiteral(String(value));
}

/**
 * The audit record's insert (src/storage/repos/audit.ts) as one text with its values written
 * in (escaped by the driver's own `escapeLiteral`): sent with the COMMIT of the transaction
 * that carries the record, as one simple query, so the record costs no round trip of its own
 * (src/storage/postgres/db.ts).
 */
export function inlineAuditInsert(e: AuditEntry): string {
  const { text, names } = statements.insert.forPostgres();
  const values: Record<string, unknown> = auditValues(e);
  return text.replace(/\$(\d+)/g, (_, n: string) => literal(values[names[Number(n) - 1]!]));
}
