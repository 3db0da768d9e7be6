import { errors } from './errors.js';
import { CONTROL_CHARACTERS } from './text.js';

/** Tag limits and key/value rules of TagResources (docs/compatibility.md, "Tags"). */
export const TAG_RULES = {
  maxTagsPerResource: 20,
  maxTagsPerCall: 20,
  maxResourcesPerCall: 50,
  maxKeyLength: 128,
  maxValueLength: 128,
} as const;

/** One `Tag.N` pair as a request carries it. */
export interface TagParam {
  Key: string;
  /** undefined when `Tag.N.Value` is absent (a filter on the key alone). */
  Value: string | undefined;
}

/** What can carry tags: folders, member accounts and custom control policies. */
export type TagResourceType = 'Account' | 'Folder' | 'ControlPolicy';

const URL_PREFIX = /https?:\/\//;

/** At most 20 tags in one call, whether pairs to write, keys to remove or list conditions (`LimitExceeded.Tag`). */
export function checkTagsPerCall<T>(tags: T[]): T[] {
  if (tags.length > TAG_RULES.maxTagsPerCall) throw errors.tagLimit();
  return tags;
}

/** At most 50 resources in one call, counted once each. */
export function checkResourcesPerCall(ids: string[]): string[] {
  if (ids.length > TAG_RULES.maxResourcesPerCall) throw errors.invalidParameter('ResourceId');
  return ids;
}

export function parseResourceType(value: string): TagResourceType {
  if (value === 'Account' || value === 'Folder' || value === 'ControlPolicy') return value;
  throw errors.invalidParameter('ResourceType');
}

/**
 * Keys may not hold a URL scheme or a control character, nor start with the reserved `acs:`
 * or `aliyun`. The API's parameters refuse control characters before this; a state file
 * reaches it directly.
 */
export function checkTagKey(key: string, name: string): string {
  if ([...key].length > TAG_RULES.maxKeyLength || URL_PREFIX.test(key) || /^(acs:|aliyun)/.test(key) || CONTROL_CHARACTERS.test(key)) throw errors.invalidParameter(name);
  return key;
}

/** Values follow the key rules, except that `aliyun` is allowed at the start. */
export function checkTagValue(value: string, name: string): string {
  if ([...value].length > TAG_RULES.maxValueLength || URL_PREFIX.test(value) || value.startsWith('acs:') || CONTROL_CHARACTERS.test(value)) throw errors.invalidParameter(name);
  return value;
}
