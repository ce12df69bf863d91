-- A case referred from the hotline names the contact it came from.
ALTER TABLE cases ADD COLUMN contact_id INTEGER REFERENCES contacts(id);
