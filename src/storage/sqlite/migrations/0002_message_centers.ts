/** Migration 2: member message centers (docs/reference/model.md section 3). Never edited once landed. */
export default `
CREATE TABLE message_center_owners (
  account_id TEXT PRIMARY KEY REFERENCES accounts(id),
  message_types TEXT NOT NULL
);

CREATE TABLE message_center_entries (
  account_id TEXT NOT NULL REFERENCES accounts(id),
  contact_id TEXT NOT NULL,
  source TEXT NOT NULL,
  via TEXT NOT NULL,
  retained_name TEXT,
  retained_email TEXT,
  retained_phone TEXT,
  retained_message_types TEXT,
  PRIMARY KEY (account_id, contact_id)
);
CREATE INDEX message_center_entries_contact ON message_center_entries(contact_id, account_id);
`;
