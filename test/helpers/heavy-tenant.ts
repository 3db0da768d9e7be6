import type { Call, CallParams } from './clients.js';
import { adminClient } from './admin.js';

/** Tags per member of a heavy tenant: as many as a resource may carry and a filter may name. */
export const HEAVY_TAGS = 20;

const tagPairs = (prefix: string): CallParams =>
  Object.fromEntries(Array.from({ length: HEAVY_TAGS }, (_, i) => [[`${prefix}.${i + 1}.Key`, `k${i}`], [`${prefix}.${i + 1}.Value`, `v${i}`]]).flat());

/**
 * Seeds `count` members into the caller's directory (the admin seed), each carrying the same
 * 20 tags (TagResources, 50 members a call): a directory where no tag narrows anything.
 */
export async function seedTaggedMembers(url: string, call: Call, count: number): Promise<string[]> {
  const ids = (await adminClient(url).post('/seed', { Accounts: count })).AccountIds as string[];
  for (let i = 0; i < ids.length; i += 50) {
    await call('TagResources', { ResourceType: 'Account', ResourceId: ids.slice(i, i + 50), ...tagPairs('Tag') });
  }
  return ids;
}

/**
 * The heaviest ListAccounts a caller may send to such a directory: 20 tag conditions every
 * member meets and a keyword every member's name holds, so every member is checked against every condition
 * and the page (past the last one; 999,999,999 is accepted by every rdmc version) is empty.
 */
export const worstListAccounts = (): CallParams => ({ ...tagPairs('Tag'), QueryKeyword: 'aliyunid', PageNumber: 999_999_999, PageSize: 100 });

/** ListTagResources with 20 filter keys no tag has. */
export const worstListTagResources = (): CallParams =>
  Object.fromEntries(Array.from({ length: HEAVY_TAGS }, (_, i) => [`Tag.${i + 1}.Key`, `absent${i}`]).concat([['ResourceType', 'Account'], ['MaxResults', '100']]));
