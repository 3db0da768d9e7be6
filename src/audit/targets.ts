import { idPatterns, memberKindOf, type IdSource } from '../domain/ids.js';
import { noteAuditTargets } from './scope.js';

/** Parameters that name objects: every `…Id` and the lists of them (`Members`, `ResourceId`). */
const NAMES_OBJECTS = /(Id|Members)$/;
/** `…Id` parameters that name no object: AssumeRole's ExternalId is a shared secret of up to 1,224 characters. */
const NAMES_NO_OBJECT = new Set(['ExternalId']);

/** The IDs an action's parsed parameters name, in declaration order. */
export function parameterTargets(params: Record<string, unknown>): string[] {
  return Object.entries(params)
    .filter(([name]) => NAMES_OBJECTS.test(name) && !NAMES_NO_OBJECT.has(name))
    .flatMap(([, value]) => (Array.isArray(value) ? value : [value]))
    .filter((v): v is string => typeof v === 'string' && v !== '');
}

const looksLikeId = (segment: string) => /^\d+$/.test(segment) || memberKindOf(segment) !== null || idPatterns.contact.test(segment);

/**
 * An admin route as its record names it: the path with every ID segment as `{Id}` (so one route
 * is one action, whatever it names), and the IDs it names: those segments, and the values of
 * `…Id` query parameters (`DELETE /_rdmc/outbox?MessageId=…`).
 */
export function routeAction(method: string, path: string, query: string): { action: string; targets: string[] } {
  const targets: string[] = [];
  const template = path
    .split('/')
    .map((segment) => (looksLikeId(segment) ? (targets.push(segment), '{Id}') : segment))
    .join('/');
  for (const [name, value] of new URLSearchParams(query)) if (/Id$/.test(name) && value) targets.push(value);
  return { action: `${method} ${template}`, targets };
}

/**
 * The ID source of the services, noting each object ID it hands out to the audit record of the
 * write being made (AddMessageContact's new ContactId, say). Tokens are secrets and request IDs
 * name no object: neither is noted.
 */
export function notingIds(ids: IdSource): IdSource {
  const noted = (mint: () => string) => () => {
    const id = mint();
    noteAuditTargets(id);
    return id;
  };
  return {
    requestId: () => ids.requestId(),
    token: () => ids.token(),
    directoryId: noted(() => ids.directoryId()),
    rootFolderId: noted(() => ids.rootFolderId()),
    folderId: noted(() => ids.folderId()),
    accountId: noted(() => ids.accountId()),
    contactId: noted(() => ids.contactId()),
    controlPolicyId: noted(() => ids.controlPolicyId()),
    messageId: noted(() => ids.messageId()),
    // The AssumeRole record names the session's key, so the trail ties what the key did to who
    // made it for as long as it keeps records, after the session itself is pruned.
    temporaryAccessKeyId: noted(() => ids.temporaryAccessKeyId()),
    handshakeId: noted(() => ids.handshakeId()),
  };
}
