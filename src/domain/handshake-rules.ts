import { errors } from './errors.js';
import { idPatterns } from './ids.js';
import { longerThan } from './text.js';

/**
 * Invitations between tenants (docs/reference/invitations.md): what a handshake is and which
 * of its inputs and transitions are allowed, without I/O.
 */

const DAY_MS = 86_400_000;
/** An invitation is valid for 14 days after it is sent (Alibaba's limits page). */
export const HANDSHAKE_VALIDITY_MS = 14 * DAY_MS;
/** The window the invitation rate limits count in. */
export const INVITATION_RATE_WINDOW_MS = DAY_MS;
/** The longest note an invitation carries (characters). */
export const NOTE_MAX = 1024;

export type TargetType = 'Account' | 'Email';
/** What is stored; `Expired` is never stored: a pending invitation past its expiry reads as expired. */
export type StoredStatus = 'Pending' | 'Accepted' | 'Declined' | 'Cancelled';
export type HandshakeStatus = StoredStatus | 'Expired';

/** A logon e-mail, as loosely as any address an account may log on with; at most 64 characters. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The invitation's target as given, checked for its shape; the account it names is the service's to find. */
export function checkTarget(type: string, entity: string): { type: TargetType; entity: string } {
  if (type !== 'Account' && type !== 'Email') throw errors.invalidParameter('TargetType');
  const valid = type === 'Account' ? idPatterns.account.test(entity) : entity.length <= 64 && EMAIL.test(entity);
  if (!valid) throw errors.invalidParameter('TargetEntity');
  return { type, entity };
}

export function checkNote(note: string | undefined): string {
  if (note !== undefined && longerThan(note, NOTE_MAX)) throw errors.handshakeNoteLength();
  return note ?? '';
}

export function checkHandshakeId(id: string): string {
  if (!idPatterns.handshake.test(id)) throw errors.invalidParameter('HandshakeId');
  return id;
}

/** The status a handshake shows at `now`: a pending one past its expiry has expired. */
export const statusAt = (h: { status: StoredStatus; expireTime: number }, now: number): HandshakeStatus =>
  h.status === 'Pending' && h.expireTime <= now ? 'Expired' : h.status;

/** Only a pending, unexpired invitation may be accepted, declined or cancelled. */
export function requirePending(h: { status: StoredStatus; expireTime: number }, now: number): void {
  if (statusAt(h, now) !== 'Pending') throw errors.handshakeStatusMismatch();
}
