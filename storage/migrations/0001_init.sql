-- Areas: country -> region -> city or district -> organisation, kept as a materialised path.
CREATE TABLE areas (
    id INTEGER PRIMARY KEY,
    parent_id INTEGER REFERENCES areas(id),
    path TEXT NOT NULL UNIQUE,
    level INTEGER NOT NULL,
    name_kk TEXT NOT NULL,
    name_ru TEXT NOT NULL
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,               -- Telegram user id
    full_name TEXT NOT NULL DEFAULT '',
    username TEXT,
    locale TEXT NOT NULL,
    locale_chosen INTEGER NOT NULL DEFAULT 0,
    active INTEGER NOT NULL DEFAULT 1,
    reminders_muted INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL
);

CREATE TABLE roles (
    user_id INTEGER NOT NULL REFERENCES users(id),
    role TEXT NOT NULL,
    area_id INTEGER NOT NULL REFERENCES areas(id),
    granted_by INTEGER,
    granted_at TEXT NOT NULL,
    PRIMARY KEY (user_id, role, area_id)
);
CREATE INDEX roles_by_area ON roles(area_id, role);

CREATE TABLE invites (
    token TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    area_id INTEGER NOT NULL REFERENCES areas(id),
    max_uses INTEGER NOT NULL,
    uses INTEGER NOT NULL DEFAULT 0,
    expires_at TEXT NOT NULL,
    created_by INTEGER,
    created_at TEXT NOT NULL,
    revoked INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE invite_uses (
    token TEXT NOT NULL REFERENCES invites(token),
    user_id INTEGER NOT NULL,
    used_at TEXT NOT NULL,
    PRIMARY KEY (token, user_id)
);

CREATE TABLE campaigns (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL,
    year INTEGER NOT NULL,
    body TEXT NOT NULL,                    -- the whole plan as JSON (names, motto, stages ...)
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    preparation_start TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 0,
    loaded_at TEXT NOT NULL,
    loaded_by INTEGER
);

CREATE TABLE plan_items (
    id INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    number INTEGER NOT NULL,
    body TEXT NOT NULL,                    -- the item as JSON
    UNIQUE (campaign_id, number)
);

CREATE TABLE reports (
    id INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    item_id INTEGER NOT NULL REFERENCES plan_items(id),
    area_id INTEGER NOT NULL REFERENCES areas(id),
    author_id INTEGER NOT NULL REFERENCES users(id),
    held_on TEXT NOT NULL,
    format TEXT NOT NULL,
    title TEXT NOT NULL,
    title_key TEXT NOT NULL,               -- normalised title for the duplicate check
    children INTEGER,
    parents INTEGER,
    specialists INTEGER,
    others INTEGER,
    total INTEGER NOT NULL,
    audience TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    photos TEXT NOT NULL DEFAULT '[]',
    links TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX reports_by_area ON reports(campaign_id, area_id, item_id);
CREATE INDEX reports_by_author ON reports(author_id, created_at);
CREATE INDEX reports_duplicates ON reports(area_id, item_id, held_on, title_key);

CREATE TABLE fsm (
    bot_id INTEGER NOT NULL,
    chat_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    thread_id INTEGER NOT NULL DEFAULT 0,
    business_connection_id TEXT NOT NULL DEFAULT '',
    destiny TEXT NOT NULL,
    state TEXT,
    data TEXT NOT NULL DEFAULT '{}',
    updated_at TEXT NOT NULL,
    PRIMARY KEY (bot_id, chat_id, user_id, thread_id, business_connection_id, destiny)
);

INSERT INTO areas (id, parent_id, path, level, name_kk, name_ru)
VALUES (1, NULL, 'kz', 0, 'Қазақстан', 'Казахстан');
