-- A burst of refused attempts by one person is one row with a count, so nobody can fill the
-- disk through the audit log by pressing forged buttons.
ALTER TABLE audit_log ADD COLUMN count INTEGER NOT NULL DEFAULT 1;
CREATE INDEX audit_refusals_by_actor ON audit_log(actor_id, id) WHERE allowed = 0;
