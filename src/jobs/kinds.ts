import { z } from 'zod';

/**
 * Every job kind with the payload its jobs carry: the one map from kind to payload type.
 * Enqueueing and each kind's task are typed by it, and the worker parses a stored payload
 * with it before a task sees it, so no task reads an untyped payload.
 */
export const JOB_PAYLOADS = {
  /** Fans a bind or unbind out to the message centers of every member under the target. */
  'message-center.sync': z.object({
    directoryId: z.string(),
    /** The binding target whose members need syncing: the RD, a folder or an account. */
    scopeId: z.string(),
    contactId: z.string(),
    /** True for an unbind: MoveAccount of a member in scope is refused until it finishes. */
    unbind: z.boolean(),
    /**
     * The cursor. A folder scope goes folder by folder (in folder-ID order), each by account
     * ID, so every batch is one index range: `afterFolderId` is the folder the last batch
     * ended in ('' or absent: the first), `afterAccountId` the last account done there.
     */
    afterFolderId: z.string().optional(),
    afterAccountId: z.string(),
  }),
  /** The asynchronous half of DeleteMessageContact, member by member. */
  'contact.delete': z.object({ directoryId: z.string(), contactId: z.string(), afterAccountId: z.string() }),
  /** Takes one outbox message to its channel. */
  'delivery.send': z.object({ outboxId: z.string() }),
};

export type JobKind = keyof typeof JOB_PAYLOADS;
export type JobPayload<K extends JobKind> = z.infer<(typeof JOB_PAYLOADS)[K]>;

/** The kinds by name, for the services that enqueue them. */
export const JOB_KINDS = {
  syncMessageCenters: 'message-center.sync',
  deleteContact: 'contact.delete',
  deliverMessage: 'delivery.send',
} as const satisfies Record<string, JobKind>;

/**
 * The kinds an operator may retry once they failed for good (docs/operations.md, Redrive):
 * a fan-out batch and a delivery can run again as they are. A deletion that failed gave up
 * (its contact is as it was, its record says Failed): DeleteMessageContact starts a new one.
 */
export const REDRIVABLE_KINDS = ['message-center.sync', 'delivery.send'] as const satisfies readonly JobKind[];
export type RedrivableKind = (typeof REDRIVABLE_KINDS)[number];
export const isRedrivable = (kind: string): kind is RedrivableKind => (REDRIVABLE_KINDS as readonly string[]).includes(kind);

export const isJobKind = (kind: string): kind is JobKind => Object.hasOwn(JOB_PAYLOADS, kind);

/** A stored payload as its kind's type; throws (the job then fails) when it is not one. */
export function parsePayload<K extends JobKind>(kind: K, stored: unknown): JobPayload<K> {
  const schema: z.ZodType<JobPayload<K>, z.ZodTypeDef, unknown> = JOB_PAYLOADS[kind];
  return schema.parse(stored);
}
