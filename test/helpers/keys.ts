import type { AccessKey } from '../../src/config/schema.js';

/** Keys every test server knows: `main` owns a bootstrapped directory, `other` a second tenant, `bare` none. */
export const KEYS = {
  main: { accessKeyId: 'testMainKey', accessKeySecret: 'testMainSecret', accountId: '1111111111111111' },
  other: { accessKeyId: 'testOtherKey', accessKeySecret: 'testOtherSecret', accountId: '2222222222222222' },
  bare: { accessKeyId: 'testBareKey', accessKeySecret: 'testBareSecret', accountId: '3333333333333333' },
} as const;
/** Any key a client can sign with: one of KEYS, or a key the server does not know. */
export type TestKey = Readonly<AccessKey>;
/** What signing needs of a key. */
export type SigningKey = Pick<TestKey, 'accessKeyId' | 'accessKeySecret'>;

export const ACCESS_KEYS_ENV = Object.values(KEYS)
  .map((k) => `${k.accessKeyId}:${k.accessKeySecret}:${k.accountId}`)
  .join(',');
