import { errors } from '../domain/errors.js';
import { TAG_RULES, checkResourcesPerCall, checkTagKey, checkTagsPerCall, checkTagValue, parseResourceType, type TagParam } from '../domain/tag-rules.js';
import { CONTROL_CHARACTERS } from '../domain/text.js';
import type { TagFilter, TagRecord, TagResourceType } from '../storage/records.js';
import type { Tx } from '../storage/store.js';
import { callerDirectory, type ServiceDeps } from './deps.js';
import { locks } from '../storage/locks.js';
import type { TenantLanes } from './tenant-lanes.js';

/** One tag of a resource, as answers show it. */
export interface TagView {
  key: string;
  value: string;
}

/** A page of ListTagResources; `nextToken` undefined on the last page. */
export interface TagPage {
  tags: TagRecord[];
  nextToken?: string;
}

/** Tags to write: every key valid, each value defaulting to `""`; a repeated key keeps its last value. */
export function tagsToWrite(tags: TagParam[], param = 'Tag'): Array<{ key: string; value: string }> {
  checkTagsPerCall(tags);
  const byKey = new Map<string, string>();
  tags.forEach((t, i) => byKey.set(checkTagKey(t.Key, `${param}.${i + 1}.Key`), checkTagValue(t.Value ?? '', `${param}.${i + 1}.Value`)));
  return [...byKey].map(([key, value]) => ({ key, value }));
}

/**
 * Tag conditions of a list filter, one per key (every one must hold). Null when there is no
 * filter; `'none'` when two conditions on one key ask for different values, so nothing matches.
 */
export function tagConditions(tags: TagParam[] | undefined): TagFilter[] | null | 'none' {
  if (!tags || tags.length === 0) return null;
  checkTagsPerCall(tags);
  const byKey = new Map<string, string | null>();
  for (const t of tags) {
    const value = t.Value ?? null;
    if (!byKey.has(t.Key)) byKey.set(t.Key, value);
    else if (value !== null && byKey.get(t.Key) !== null && byKey.get(t.Key) !== value) return 'none';
    else if (value !== null) byKey.set(t.Key, value);
  }
  return [...byKey].map(([key, value]) => ({ key, value }));
}

/** The next-page position of ListTagResources: the last tag returned, opaque to callers. */
const encodeToken = (t: TagRecord) => Buffer.from(JSON.stringify([t.resourceId, t.key])).toString('base64url');

function decodeToken(token: string): { resourceId: string; key: string } {
  try {
    const [resourceId, key] = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown[];
    // Only what a tag row can hold: no control characters (PostgreSQL cannot store NUL), no overlong values.
    if (typeof resourceId === 'string' && typeof key === 'string' && [resourceId, key].every((v) => v.length <= 256 && !CONTROL_CHARACTERS.test(v))) {
      return { resourceId, key };
    }
  } catch {
    // falls through to the documented error
  }
  throw errors.invalidParameter('NextToken');
}

/** A page of ListTagKeys or ListTagValues; `nextToken` undefined on the last page. */
export interface TagNamePage {
  names: string[];
  nextToken?: string;
}

/** The next-page position of ListTagKeys and ListTagValues: the last name returned. */
const encodeNameToken = (name: string) => Buffer.from(JSON.stringify(name)).toString('base64url');

function decodeNameToken(token: string): string {
  try {
    const name = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    if (typeof name === 'string' && name.length <= 256 && !CONTROL_CHARACTERS.test(name)) return name;
  } catch {
    // falls through to the documented error
  }
  throw errors.invalidParameter('NextToken');
}

/**
 * Writes (adds or overwrites) tags on resources inside the caller's transaction, keeping the
 * per-resource limit: past it the whole transaction fails.
 */
export async function writeTags(tx: Tx, directoryId: string, type: TagResourceType, ids: string[], tags: Array<{ key: string; value: string }>) {
  if (tags.length === 0 || ids.length === 0) return;
  await tx.tags.put(ids.flatMap((resourceId) => tags.map((t) => ({ directoryId, resourceType: type, resourceId, ...t }))));
  await checkTagsPerResource(tx, directoryId, type, ids);
}

/** The per-resource limit (20), checked after tags were written to `ids`: past it the whole transaction fails. */
export async function checkTagsPerResource(tx: Tx, directoryId: string, type: TagResourceType, ids: string[]): Promise<void> {
  if ((await tx.tags.overLimit(directoryId, type, ids, TAG_RULES.maxTagsPerResource)).length > 0) throw errors.tagLimit();
}

/** Tags on folders, member accounts and custom control policies (TagResources, UntagResources, ListTagResources, and `Tag.N` elsewhere). */
export class TagService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly lanes: TenantLanes,
  ) {}

  /** Tags of several resources at once, by resource ID (list pages: one query for the page). */
  async viewsFor(tx: Tx, directoryId: string, type: TagResourceType, ids: string[]): Promise<Map<string, TagView[]>> {
    const views = new Map<string, TagView[]>(ids.map((id) => [id, []]));
    if (ids.length === 0) return views;
    for (const t of await tx.tags.forResources(directoryId, type, ids)) views.get(t.resourceId)?.push({ key: t.key, value: t.value });
    return views;
  }

  private resourceIds(ids: string[] | undefined): string[] {
    const unique = [...new Set(ids ?? [])];
    if (unique.length === 0) throw errors.missingParameter('ResourceId');
    return checkResourcesPerCall(unique);
  }

  private async requireResources(tx: Tx, directoryId: string, type: TagResourceType, ids: string[]) {
    const found = new Set(
      type === 'Account'
        ? await tx.accounts.existing(directoryId, ids)
        : type === 'Folder'
          ? await tx.folders.existing(directoryId, ids)
          : (await tx.controlPolicies.byIds(directoryId, ids)).map((p) => p.id),
    );
    if (ids.some((id) => !found.has(id))) throw errors.resourceNotExists(type);
  }

  async tag(callerId: string, p: { ResourceType: string; ResourceId?: string[]; Tag?: TagParam[] }): Promise<void> {
    const type = parseResourceType(p.ResourceType);
    const ids = this.resourceIds(p.ResourceId);
    if (!p.Tag || p.Tag.length === 0) throw errors.missingParameter('Tag');
    const tags = tagsToWrite(p.Tag);
    await this.deps.store.transaction(locks.callerDirectory(callerId), async (tx) => {
      const directory = await callerDirectory(tx, callerId);
      await this.requireResources(tx, directory.id, type, ids);
      await writeTags(tx, directory.id, type, ids, tags);
    });
  }

  async untag(callerId: string, p: { ResourceType: string; ResourceId?: string[]; TagKey?: string[]; All: boolean }): Promise<void> {
    const type = parseResourceType(p.ResourceType);
    const ids = this.resourceIds(p.ResourceId);
    const keys = checkTagsPerCall(p.TagKey ?? []);
    await this.deps.store.transaction(locks.callerDirectory(callerId), async (tx) => {
      const directory = await callerDirectory(tx, callerId);
      await this.requireResources(tx, directory.id, type, ids);
      // Named keys win; All=true without keys removes every tag; neither removes nothing.
      await tx.tags.remove(directory.id, type, ids, p.All && keys.length === 0 ? null : keys);
    });
  }

  async list(
    callerId: string,
    p: { ResourceType: string; ResourceId?: string[]; Tag?: TagParam[]; MaxResults: number; NextToken?: string },
  ): Promise<TagPage> {
    const type = parseResourceType(p.ResourceType);
    const ids = p.ResourceId && p.ResourceId.length > 0 ? checkResourcesPerCall([...new Set(p.ResourceId)]) : null;
    const filter = p.Tag && p.Tag.length > 0 ? checkTagsPerCall(p.Tag.map((t) => ({ key: t.Key, value: t.Value ?? null }))) : null;
    const after = p.NextToken ? decodeToken(p.NextToken) : null;
    return this.lanes.run(callerId, () =>
      this.deps.store.read(async (tx) => {
        const directory = await callerDirectory(tx, callerId);
        const rows = await tx.tags.page(directory.id, type, ids, filter, after, p.MaxResults + 1);
        const page = rows.slice(0, p.MaxResults);
        // No NextToken at all on the last page: Terraform loops for as long as the field is there.
        return { tags: page, nextToken: rows.length > p.MaxResults ? encodeToken(page[page.length - 1]!) : undefined };
      }),
    );
  }

  /**
   * ListTagResources at ResourceManager 2020-03-31, where ResourceType is optional and defaults
   * to resource groups: rdmc holds none, so that list is empty (whoever asks).
   */
  async listWithResourceGroups(callerId: string, p: { ResourceType?: string; ResourceId?: string[]; Tag?: TagParam[]; MaxResults: number; NextToken?: string }): Promise<TagPage> {
    if (p.ResourceType === undefined || p.ResourceType.toLowerCase() === 'resourcegroup') return { tags: [] };
    return this.list(callerId, { ...p, ResourceType: p.ResourceType });
  }

  /** ListTagKeys: the distinct keys of a type, in byte order; `KeyFilter` keeps those starting with it. */
  async keys(callerId: string, p: { ResourceType: string; KeyFilter?: string; MaxResults: number; NextToken?: string }): Promise<TagNamePage> {
    const type = parseResourceType(p.ResourceType);
    return this.names(callerId, p, (tx, directoryId, after) => tx.tags.keys(directoryId, type, p.KeyFilter ?? '', after, p.MaxResults + 1));
  }

  /** ListTagValues: the distinct values of one key, likewise (`ValueFilter`). */
  async values(callerId: string, p: { ResourceType: string; TagKey: string; ValueFilter?: string; MaxResults: number; NextToken?: string }): Promise<TagNamePage> {
    const type = parseResourceType(p.ResourceType);
    return this.names(callerId, p, (tx, directoryId, after) => tx.tags.values(directoryId, type, p.TagKey, p.ValueFilter ?? '', after, p.MaxResults + 1));
  }

  private async names(
    callerId: string,
    p: { MaxResults: number; NextToken?: string },
    read: (tx: Tx, directoryId: string, after: string | null) => Promise<string[]>,
  ): Promise<TagNamePage> {
    const after = p.NextToken ? decodeNameToken(p.NextToken) : null;
    return this.lanes.run(callerId, () =>
      this.deps.store.read(async (tx) => {
        const directory = await callerDirectory(tx, callerId);
        const rows = await read(tx, directory.id, after);
        const names = rows.slice(0, p.MaxResults);
        return { names, nextToken: rows.length > p.MaxResults ? encodeNameToken(names[names.length - 1]!) : undefined };
      }),
    );
  }
}
