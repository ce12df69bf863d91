-- The delivery queue: every message the bot sends on its own passes through here.
CREATE TABLE broadcasts (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    started_by INTEGER,
    notify_chat_id INTEGER,
    total INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    finished_at TEXT,
    delivered INTEGER,
    blocked INTEGER,
    failed INTEGER
);

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    dedupe_key TEXT NOT NULL UNIQUE,
    chat_id INTEGER NOT NULL,
    priority INTEGER NOT NULL,             -- 0 urgent, 1 normal, 2 bulk
    method TEXT NOT NULL,                  -- sendMessage, sendPhoto, sendDocument
    payload TEXT NOT NULL,                 -- JSON of the method's fields
    broadcast_id INTEGER REFERENCES broadcasts(id),
    status TEXT NOT NULL DEFAULT 'pending',  -- pending, sent, blocked, failed
    attempts INTEGER NOT NULL DEFAULT 0,
    not_before TEXT NOT NULL,
    created_at TEXT NOT NULL,
    finished_at TEXT,
    message_id INTEGER,
    error TEXT
);
CREATE INDEX outbox_due ON outbox(status, priority, not_before, id);
CREATE INDEX outbox_by_broadcast ON outbox(broadcast_id, status);
CREATE INDEX outbox_by_chat ON outbox(chat_id, status);
CREATE INDEX users_inactive ON users(active) WHERE active = 0;
