/**
 * Migration 10: migrations 4 and 7 both created an index on accounts(directory_id, join_time, id);
 * the second copy served no query the first does not and cost every account insert a write.
 * Never edited once landed.
 */
export default `
DROP INDEX accounts_join_order;
`;
