/** Migration 2: member message centers (docs/reference/model.md section 3). Never edited once landed. */
export default `
CREATE TABLE message_center_owners (
  account_id TEXT COLLATE "C" PRIMARY KEY REFERENCES accounts(id),
  message_types TEXT COLLATE "C" NOT NULL
);

CREATE TABLE message_center_entries (
  account_id TEXT COLLATE "C" NOT NULL REFERENCES accounts(id),
  contact_id TEXT COLLATE "C" NOT NULL,
  source TEXT COLLATE "C" NOT NULL,
  via TEXT COLLATE "C" NOT NULL,
  retained_name TEXT COLLATE "C",
  retained_email TEXT COLLATE "C",
  retained_phone TEXT COLLATE "C",
  retained_message_types TEXT COLLATE "C",
  PRIMARY KEY (account_id, contact_id)
);
CREATE INDEX message_center_entries_contact ON message_center_entries(contact_id, account_id);
`;
