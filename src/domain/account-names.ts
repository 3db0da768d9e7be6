/**
 * The account name prefix of a member created without one (CreateResourceAccount without
 * `AccountNamePrefix`, a state file's account without `AccountName`): `member` and the whole
 * account ID, 22 characters, within the documented 2 to 37 letters, digits and `_ . -`
 * (docs/reference/api.md). Account IDs are unique, so these names are too: the last 8 digits
 * alone collided by the birthday bound (2 of 20,000 creations). Names stored before keep
 * their shorter form.
 */
export const defaultAccountNamePrefix = (accountId: string): string => `member${accountId}`;
