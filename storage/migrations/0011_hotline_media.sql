-- Voice messages, video notes, videos, audio and files in a hotline conversation, kept as
-- Telegram file ids; a contact counts what no operator has listened to yet, and remembers that
-- its sender was shown the emergency numbers for it.
ALTER TABLE contact_messages ADD COLUMN media_kind TEXT;
ALTER TABLE contact_messages ADD COLUMN media_id TEXT;
ALTER TABLE contact_messages ADD COLUMN duration INTEGER;
ALTER TABLE contact_messages ADD COLUMN size INTEGER;
ALTER TABLE contacts ADD COLUMN unheard INTEGER NOT NULL DEFAULT 0;
ALTER TABLE contacts ADD COLUMN numbers_shown INTEGER NOT NULL DEFAULT 0;
-- A raid team's voice notes on a case, kept as file ids, for the inspector.
ALTER TABLE cases ADD COLUMN voice_notes TEXT NOT NULL DEFAULT '[]';
