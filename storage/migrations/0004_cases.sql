-- Raid cases flagged to the labour inspectorate, their history, and the audit log.
CREATE TABLE cases (
    id INTEGER PRIMARY KEY,
    campaign_id INTEGER REFERENCES campaigns(id),
    area_id INTEGER NOT NULL REFERENCES areas(id),     -- where the raider works
    area_path TEXT NOT NULL,
    routed_area_id INTEGER REFERENCES areas(id),       -- whose inspectors have it
    author_id INTEGER NOT NULL REFERENCES users(id),
    raid_code TEXT NOT NULL,
    raid_name TEXT NOT NULL,                           -- {"kk": ..., "ru": ...} as flagged
    latitude REAL,
    longitude REAL,
    address TEXT NOT NULL DEFAULT '',
    place_type TEXT NOT NULL,
    children TEXT NOT NULL,                            -- JSON list of age bands
    work TEXT NOT NULL,
    hazards TEXT NOT NULL DEFAULT '[]',
    immediate_danger INTEGER NOT NULL,
    photos TEXT NOT NULL DEFAULT '[]',
    notes TEXT NOT NULL DEFAULT '',
    classification TEXT NOT NULL,
    reasons TEXT NOT NULL DEFAULT '[]',
    urgent INTEGER NOT NULL,
    alert_police INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'new',
    assignee_id INTEGER REFERENCES users(id),
    inspection_on TEXT,
    referred_to TEXT,
    created_at TEXT NOT NULL,
    accepted_at TEXT,
    closed_at TEXT,
    updated_at TEXT NOT NULL,
    due_at TEXT,                                       -- when the deadline job next looks at it
    escalations INTEGER NOT NULL DEFAULT 0,
    reminders INTEGER NOT NULL DEFAULT 0,
    redacted_at TEXT
);
CREATE INDEX cases_by_area ON cases(area_path, status);
CREATE INDEX cases_by_author ON cases(author_id, id);
CREATE INDEX cases_due ON cases(due_at) WHERE due_at IS NOT NULL;
CREATE INDEX cases_by_campaign ON cases(campaign_id, area_path);

CREATE TABLE case_events (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    at TEXT NOT NULL,
    actor_id INTEGER,                                  -- NULL: the bot itself
    action TEXT NOT NULL,
    status TEXT NOT NULL,                              -- the status after it
    comment TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT ''                    -- an inspection date, a referral
);
CREATE INDEX case_events_by_case ON case_events(case_id, id);

-- Who saw or changed what, and who tried and was refused.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor_id INTEGER,                                  -- NULL: the bot itself
    subject TEXT NOT NULL,                             -- case, contact, user, invite
    subject_id INTEGER,
    action TEXT NOT NULL,
    allowed INTEGER NOT NULL DEFAULT 1,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_by_subject ON audit_log(subject, subject_id, id);
