import { STS_VERSION } from './api-versions.js';

/**
 * The RAM action each action rdmc serves is authorized as, which control policies name
 * (docs/reference/guardrails.md, "Enforcement"): Resource Directory's actions, at either
 * version, are `resourcemanager:<Action>`, STS's `sts:<Action>`. GetCallerIdentity needs no
 * permission in Alibaba Cloud, so no policy can deny it: null.
 */
export function ramActionOf(version: string, action: string): string | null {
  if (version !== STS_VERSION) return `resourcemanager:${action}`;
  return action === 'GetCallerIdentity' ? null : `sts:${action}`;
}
