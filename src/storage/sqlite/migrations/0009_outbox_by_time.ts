/** Migration 9: the whole outbox newest first (the admin list and the console). Never edited once landed. */
export default `
CREATE INDEX outbox_messages_created ON outbox_messages(created_at);
`;
