-- The intake journal: every update from Telegram is written here before Telegram is told it
-- arrived (the next getUpdates confirms it), and deleted once it has been handled. What a
-- SIGKILL leaves behind is handed to the dispatcher again at the next start, so an update in
-- flight is never lost. Rows live for the time of one update; secure_delete wipes them.
CREATE TABLE intake (
    update_id INTEGER PRIMARY KEY,
    body TEXT NOT NULL,
    received_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0
);

-- The newest update ever journaled, per bot: after a restart polling goes on after it, so
-- Telegram does not hand out again what the journal already holds.
CREATE TABLE intake_mark (
    bot_id INTEGER PRIMARY KEY,
    last_update_id INTEGER NOT NULL,
    received_at TEXT NOT NULL
);
