import { CompiledPolicyCache } from '../../src/domain/compiled-policy.js';
import { requestContext } from '../../src/domain/policy-conditions.js';
import { evaluateGuardrails, type AttachedPolicy, type ChainLevel, type EvaluationRequest } from '../../src/domain/policy-evaluation.js';
import { summarize, type LatencySummary } from '../load/stats.js';

/**
 * The guardrail simulator's decision time in process (issue 22: an account 5 folders deep with
 * 10 policies per level, p99 under 1 ms), beside a baseline measured in the same run: the
 * smallest decision (one level holding FullAliyunAccess). The same deep chain with a cache too
 * small to hold its documents shows what compiling once saves.
 */

export interface GuardrailRow {
  case: string;
  decision: string;
  decisions: number;
  latencyMs: LatencySummary;
}

export interface GuardrailResults {
  rows: GuardrailRow[];
  /** The deep chain's p50 as a multiple of the baseline's. */
  deepOverBaselineP50: number;
}

export const DEEP_CASE = 'account 5 folders deep, 10 policies per level (70 policies)';

const SAMPLES = 20_000;
const WARMUP = 2_000;

const doc = (...statements: object[]) => JSON.stringify({ Version: '1', Statement: statements });
const FULL: AttachedPolicy = { id: 'cp-FullAliyunAccess', name: 'FullAliyunAccess', type: 'System', effectScope: 'All', document: doc({ Effect: 'Allow', Action: '*', Resource: '*' }) };

/** Nine Deny guardrails shaped like the landing-zone ones (spec 4.3), none of which matches the request. */
function guardrails(level: string): AttachedPolicy[] {
  const shapes = [
    { Effect: 'Deny', Action: ['log:DeleteProject', 'log:DeleteLogStore'], Resource: `acs:log:*:*:project/archive-${level}/*` },
    { Effect: 'Deny', Action: 'ecs:*', Resource: '*', Condition: { StringNotEquals: { 'ecs:Region': ['cn-hangzhou', 'cn-shanghai'] } } },
    { Effect: 'Deny', Action: ['ram:UpdateRole', 'ram:DeleteRole', 'ram:AttachPolicyToRole', 'ram:DetachPolicyFromRole'], Resource: 'acs:ram:*:*:role/ResourceDirectoryAccountAccessRole' },
    { Effect: 'Deny', Action: 'resourcemanager:*', Resource: '*' },
    { Effect: 'Deny', NotAction: ['ecs:*', 'vpc:*', 'oss:*', 'log:*', 'ram:Get*', 'ram:List*'], Resource: '*' },
    { Effect: 'Deny', Action: '*', Resource: '*', Condition: { NotIpAddress: { 'acs:SourceIp': ['10.0.0.0/8', '192.168.0.0/16'] } } },
    { Effect: 'Deny', Action: 'ecs:Delete*', Resource: `acs:ecs:*:*:instance/prod-${level}-*` },
    { Effect: 'Deny', Action: '*', Resource: '*', Condition: { Bool: { 'acs:SecureTransport': 'false' } } },
    { Effect: 'Deny', Action: 'oss:*', Resource: '*', Condition: { DateGreaterThan: { 'acs:CurrentTime': '2099-01-01T00:00:00Z' } } },
  ];
  return shapes.map((statement, i) => ({ id: `cp-${level}-${i}`, name: `guardrail-${level}-${i}`, type: 'Custom', effectScope: 'RAM', document: doc(statement) }));
}

function deepChain(): ChainLevel[] {
  const levels: ChainLevel[] = [{ kind: 'Account', id: '1000000000000001', name: 'app', policies: [FULL, ...guardrails('acc')] }];
  for (let depth = 5; depth >= 1; depth--) levels.push({ kind: 'Folder', id: `fd-${depth}`, name: `level-${depth}`, policies: [FULL, ...guardrails(`fd${depth}`)] });
  levels.push({ kind: 'Root', id: 'r-root', name: 'Root', policies: [FULL, ...guardrails('root')] });
  return levels;
}

function measure(name: string, request: EvaluationRequest, cache: CompiledPolicyCache): GuardrailRow {
  let decision = '';
  for (let i = 0; i < WARMUP; i++) decision = evaluateGuardrails(request, cache).decision;
  const samples: number[] = new Array(SAMPLES);
  for (let i = 0; i < SAMPLES; i++) {
    const start = process.hrtime.bigint();
    evaluateGuardrails(request, cache);
    samples[i] = Number(process.hrtime.bigint() - start) / 1e6;
  }
  return { case: name, decision, decisions: SAMPLES, latencyMs: summarize(samples) };
}

export function runGuardrails(): GuardrailResults {
  const request = (chain: ChainLevel[]): EvaluationRequest => ({
    chain, managementAccount: false, principalType: 'RAMUser', action: 'ecs:DeleteInstance',
    resource: 'acs:ecs:cn-hangzhou:1000000000000001:instance/i-bp1abc',
    context: requestContext({ 'ecs:Region': 'cn-hangzhou', 'acs:SourceIp': '10.1.2.3', 'acs:SecureTransport': 'true', 'acs:CurrentTime': '2026-12-07T12:00:00Z' }),
  });
  const baseline = measure('baseline: one level, FullAliyunAccess only', request([{ kind: 'Account', id: '1000000000000001', name: 'app', policies: [FULL] }]), new CompiledPolicyCache(16));
  const deep = measure(DEEP_CASE, request(deepChain()), new CompiledPolicyCache(2048));
  // One entry for 70 documents: every policy is parsed and compiled again at every decision.
  const uncached = measure('the same, every document parsed again (cache of 1)', request(deepChain()), new CompiledPolicyCache(1));
  return { rows: [baseline, deep, uncached], deepOverBaselineP50: deep.latencyMs.p50 / baseline.latencyMs.p50 };
}
