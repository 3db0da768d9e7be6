import { errors } from './errors.js';
import { checkPolicyGrammar } from './policy-grammar.js';
import { longerThan } from './text.js';

/**
 * Control-policy rules (docs/reference/control-policies.md): the limits Alibaba documents,
 * the name and document checks, and the one system policy every directory has.
 */
export const CONTROL_POLICY_LIMITS = {
  /** Custom policies per directory. */
  perDirectory: 1500,
  /** Custom policies attached to one folder or member (the system policy is not counted). */
  customPerTarget: 10,
  documentCharacters: 4096,
  descriptionCharacters: 1024,
} as const;

export const SYSTEM_POLICY_ID = 'cp-FullAliyunAccess';

/**
 * The system policy: allows everything, so attached everywhere it restricts nothing and Deny
 * policies beside it do the restricting. Alibaba does not publish its text (rdmc's choice,
 * the smallest document that allows every action on every resource).
 */
export const SYSTEM_POLICY = {
  id: SYSTEM_POLICY_ID,
  name: 'FullAliyunAccess',
  effectScope: 'All',
  document: '{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}',
} as const;

/** `Language` of the list and read actions: it picks the system policy's description. */
export type PolicyLanguage = 'zh-CN' | 'en' | 'ja';

const SYSTEM_DESCRIPTIONS: Record<PolicyLanguage, string> = {
  'zh-CN': '默认的系统访问控制策略,允许所有操作。',
  en: 'The default system access control policy, which allows all operations.',
  ja: 'すべての操作を許可するデフォルトのシステムアクセス制御ポリシーです。',
};

export function parseLanguage(value: string | undefined): PolicyLanguage {
  if (value === undefined) return 'zh-CN';
  if (value === 'zh-CN' || value === 'en' || value === 'ja') return value;
  throw errors.invalidParameter('Language');
}

export const systemPolicyDescription = (language: PolicyLanguage) => SYSTEM_DESCRIPTIONS[language];

/** 1 to 128 letters, digits and hyphens, starting with a letter. */
const POLICY_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;

export function checkPolicyName(name: string, param: 'PolicyName' | 'NewPolicyName'): string {
  if (!POLICY_NAME.test(name)) throw errors.invalidParameter(param);
  return name;
}

/**
 * Up to 1,024 characters. The API reference also lists a character class (that of names), but
 * the descriptions in its own examples and in landing-zone code hold spaces and punctuation:
 * rdmc checks the length only.
 */
export function checkPolicyDescription(description: string, param: 'Description' | 'NewDescription'): string {
  if (longerThan(description, CONTROL_POLICY_LIMITS.descriptionCharacters)) throw errors.invalidParameter(param);
  return description;
}

/** Only RAM: `All` is the system policy's, and Create documents no other value. */
export function checkEffectScope(value: string): 'RAM' {
  if (value !== 'RAM') throw errors.invalidParameter('EffectScope');
  return value;
}

/**
 * A policy document: at most 4,096 characters (checked before anything is parsed, so a huge or
 * deeply nested text costs one length test), then the RAM grammar (src/domain/policy-grammar.ts).
 * Each parameter keeps its own documented length error (Create's is a 409, Update's a 400).
 */
export function checkControlPolicyDocument(text: string, param: 'PolicyDocument' | 'NewPolicyDocument'): string {
  if (longerThan(text, CONTROL_POLICY_LIMITS.documentCharacters)) throw param === 'PolicyDocument' ? errors.controlPolicyDocumentLength() : errors.newControlPolicyDocumentLength();
  const checked = checkPolicyGrammar(text);
  if (!checked.ok) throw errors.controlPolicyDocument(param, checked.reason);
  return text;
}
