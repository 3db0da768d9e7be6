import type { Task } from '../task.js';

/**
 * The asynchronous half of DeleteMessageContact with RetainContactInMembers=false: the
 * contact, its bindings and its deletion record go. Running it twice is harmless: a contact
 * already gone has nothing left to remove.
 */
export const deleteContact: Task = async (tx, job) => {
  const { directoryId, contactId } = job.payload as { directoryId: string; contactId: string };
  const contact = await tx.contacts.byId(directoryId, contactId);
  if (!contact) return { done: true };
  await tx.bindings.deleteForContact(contactId);
  await tx.deletions.delete(contactId);
  await tx.contacts.delete(directoryId, contactId);
  return { done: true };
};
