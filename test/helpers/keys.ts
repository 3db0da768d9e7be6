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

/**
 * Keys of RAM users (the fourth field of RDMC_ACCESS_KEYS), which the tests of STS add to
 * KEYS: `main`'s user may assume the access role of `main`'s members, as a Terraform
 * pipeline's user does; `other`'s user belongs to another account and may not.
 */
export const RAM_USER_KEYS = {
  main: { accessKeyId: 'testMainUserKey', accessKeySecret: 'testMainUserSecret', accountId: KEYS.main.accountId, userName: 'terraform' },
  other: { accessKeyId: 'testOtherUserKey', accessKeySecret: 'testOtherUserSecret', accountId: KEYS.other.accountId, userName: 'intruder' },
} as const;

/** KEYS and RAM_USER_KEYS, as a test server's `accessKeys`. */
export const withRamUsers = (): AccessKey[] => [...Object.values(KEYS), ...Object.values(RAM_USER_KEYS)].map((k) => ({ ...k }));

const envEntry = (k: TestKey) => [k.accessKeyId, k.accessKeySecret, k.accountId, ...(k.userName === undefined ? [] : [k.userName])].join(':');

export const ACCESS_KEYS_ENV = Object.values(KEYS).map(envEntry).join(',');
/** RDMC_ACCESS_KEYS of withRamUsers(). */
export const ACCESS_KEYS_WITH_RAM_USERS_ENV = withRamUsers().map(envEntry).join(',');
