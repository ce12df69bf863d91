-- Hotline contacts: from the public in the bot, or phone calls logged by an operator.
CREATE TABLE contacts (
    id INTEGER PRIMARY KEY,
    channel TEXT NOT NULL,                      -- bot, call
    sender_id INTEGER,                          -- the public sender's chat; never shown to staff
    logged_by INTEGER REFERENCES users(id),     -- the operator who logged a call
    area_id INTEGER NOT NULL REFERENCES areas(id),
    area_path TEXT NOT NULL,
    school_area_id INTEGER REFERENCES areas(id),  -- from a school's hotline link
    caller_type TEXT NOT NULL,
    category TEXT NOT NULL,
    urgency TEXT NOT NULL,                      -- immediate, high, normal
    danger_now INTEGER NOT NULL DEFAULT 0,
    matched TEXT NOT NULL DEFAULT '[]',         -- ids of the triage rules that fired
    place TEXT NOT NULL DEFAULT '',
    latitude REAL,
    longitude REAL,
    description TEXT NOT NULL DEFAULT '',
    photos TEXT NOT NULL DEFAULT '[]',
    contact_info TEXT NOT NULL DEFAULT '',      -- only when the sender chose to leave one
    status TEXT NOT NULL DEFAULT 'open',        -- open, taken, closed
    operator_id INTEGER REFERENCES users(id),
    route TEXT NOT NULL,
    referral TEXT,
    case_id INTEGER REFERENCES cases(id),
    outcome TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    taken_at TEXT,
    closed_at TEXT,
    updated_at TEXT NOT NULL,
    due_at TEXT,                                -- when the deadline job next looks at it
    escalations INTEGER NOT NULL DEFAULT 0,
    redacted_at TEXT
);
CREATE INDEX contacts_by_area ON contacts(area_path, status);
CREATE INDEX contacts_by_sender ON contacts(sender_id, status);
CREATE INDEX contacts_due ON contacts(due_at) WHERE due_at IS NOT NULL;
CREATE INDEX contacts_by_day ON contacts(created_at);

-- The anonymous two-way channel: what the sender and the operator wrote, in order.
CREATE TABLE contact_messages (
    id INTEGER PRIMARY KEY,
    contact_id INTEGER NOT NULL REFERENCES contacts(id),
    at TEXT NOT NULL,
    direction TEXT NOT NULL,                    -- in (from the sender), out (from the operator)
    author_id INTEGER,
    text TEXT NOT NULL DEFAULT '',
    photo TEXT
);
CREATE INDEX contact_messages_by_contact ON contact_messages(contact_id, id);

-- A school's poster link: ties anonymous contacts to the school, never to the sender.
CREATE TABLE hotline_links (
    token TEXT PRIMARY KEY,
    area_id INTEGER NOT NULL UNIQUE REFERENCES areas(id),
    created_by INTEGER,
    created_at TEXT NOT NULL
);

CREATE TABLE blocked_senders (
    user_id INTEGER PRIMARY KEY,
    blocked_by INTEGER,
    blocked_at TEXT NOT NULL,
    contact_id INTEGER
);
