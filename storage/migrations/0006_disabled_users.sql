-- A coordinator or an administrator may deactivate a person: they keep their history but lose
-- every role until reactivated. (``active`` is about Telegram: it says the person blocked the bot.)
ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
