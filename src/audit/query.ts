import { ownErrors } from '../domain/errors.js';
import { CONTROL_CHARACTERS } from '../domain/text.js';
import type { AuditQuery, Store } from '../storage/store.js';
import { AUDIT_BOUNDS, succeeded, type AuditRecord } from './entry.js';

/** Records one page holds unless asked (`MaxResults`), and at most. */
export const AUDIT_PAGE = { default: 50, max: 100 } as const;

const invalid = ownErrors.invalidParameter;

const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

function time(query: URLSearchParams, name: string, otherwise: number): number {
  const text = query.get(name);
  if (text === null || text === '') return otherwise;
  const at = TIME.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(at)) throw invalid(name, `${name} must be a UTC time such as 2026-12-07T00:00:00Z.`);
  return at;
}

function text(query: URLSearchParams, name: string, max: number): string | null {
  const value = query.get(name);
  if (value === null || value === '') return null;
  if (value.length > max || CONTROL_CHARACTERS.test(value)) throw invalid(name, `${name} must be 1 to ${max} characters without control characters.`);
  return value;
}

/** The keyset cursor as an opaque token: the (time, seq) of the last record of the page before. */
const encodeToken = (r: Pick<AuditRecord, 'at' | 'seq'>) => Buffer.from(`${r.at}.${r.seq}`).toString('base64url');

function decodeToken(token: string): { at: number; seq: number } {
  const match = /^(\d{1,15})\.(\d{1,15})$/.exec(Buffer.from(token, 'base64url').toString('latin1'));
  if (!match || token.length > 64) throw invalid('NextToken', 'The NextToken is not one this API answered.');
  return { at: Number(match[1]), seq: Number(match[2]) };
}

/** A request's filters and page as a store query (docs/reference/model.md, the admin API): refuses what it cannot read with 400 InvalidParameter.<Name>. */
export function parseAuditQuery(query: URLSearchParams): AuditQuery {
  const max = query.get('MaxResults');
  if (max !== null && max !== '' && (!/^\d{1,3}$/.test(max) || Number(max) < 1 || Number(max) > AUDIT_PAGE.max)) {
    throw invalid('MaxResults', `MaxResults must be a whole number from 1 to ${AUDIT_PAGE.max}.`);
  }
  const result = query.get('Result');
  if (result !== null && result !== '' && result !== 'Success' && result !== 'Failure') throw invalid('Result', 'Result must be Success or Failure.');
  const token = query.get('NextToken');
  // EndTime is exclusive: a cursor at (EndTime, 0) comes after every record of earlier times only.
  const before = token ? decodeToken(token) : { at: time(query, 'EndTime', Number.MAX_SAFE_INTEGER), seq: 0 };
  return {
    from: time(query, 'StartTime', 0),
    before,
    action: text(query, 'Action', AUDIT_BOUNDS.action),
    actor: text(query, 'Actor', AUDIT_BOUNDS.text),
    target: text(query, 'TargetId', AUDIT_BOUNDS.id),
    failed: result === 'Failure' ? true : result === 'Success' ? false : null,
    limit: max ? Number(max) : AUDIT_PAGE.default,
  };
}

/** One record as the admin API and the console show it. */
export function shownRecord(r: AuditRecord) {
  return {
    Time: new Date(r.at).toISOString(),
    RequestId: r.requestId,
    IdentityType: r.identityType,
    Actor: r.actor,
    AccessKeyId: r.accessKeyId,
    AccountId: r.accountId,
    PeerAddress: r.peer,
    Action: r.action,
    Targets: r.targets,
    Result: succeeded(r) ? 'Success' : 'Failure',
    Status: r.status,
    Code: r.code,
  };
}

export type ShownAuditRecord = ReturnType<typeof shownRecord>;

/** Reads the trail for the admin API and the console. */
export class AuditLog {
  constructor(private readonly store: Store) {}

  /** A page, newest first; `NextToken` when more may follow (one record more than the page is read to know). */
  async page(query: AuditQuery): Promise<{ Records: ShownAuditRecord[]; NextToken?: string }> {
    const rows = await this.store.readOne((tx) => tx.audit.list({ ...query, limit: query.limit + 1 }));
    const records = rows.slice(0, query.limit);
    return { Records: records.map(shownRecord), ...(rows.length > query.limit && { NextToken: encodeToken(records.at(-1)!) }) };
  }
}

/** `GET /_rdmc/audit`: the filters of the query string, one page. */
export const listAudit = (log: AuditLog, query: URLSearchParams) => log.page(parseAuditQuery(query));
