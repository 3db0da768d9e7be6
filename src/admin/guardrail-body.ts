import { z } from 'zod';
import { PRINCIPAL_TYPES, type PrincipalType } from '../domain/policy-evaluation.js';

/**
 * `POST /_rdmc/guardrails/simulate`'s body (docs/reference/guardrails.md). The action is one
 * concrete action, no wildcard (`ecs:DeleteInstance`); the resource an ARN or `*`; the context
 * condition keys to one value or a list. Sizes are bounded so one request costs little.
 */
const value = z.string().max(1024).refine((v) => !v.includes('\u0000'), 'must not contain NUL');

export const simulateBody = z
  .object({
    AccountId: z.string().regex(/^\d{16}$/, 'must be 16 digits'),
    PrincipalType: z.enum(PRINCIPAL_TYPES as [PrincipalType, ...PrincipalType[]]),
    Action: z.string().max(256).regex(/^[A-Za-z0-9-]+:[A-Za-z0-9]+$/, 'must be <service>:<action>, without wildcards'),
    Resource: z.string().min(1).max(1024).regex(/^(\*|acs:\S+)$/, 'must be * or an ARN (acs:...)').default('*'),
    Context: z
      .record(z.string().min(1).max(256), z.union([value, z.array(value).max(50)]))
      .refine((c) => Object.keys(c).length <= 50, 'must hold at most 50 keys')
      .default({}),
  })
  .strict();
