-- 011_calendar_feed_text.sql — a calendar feed's text, kept with the feed.
-- Writing a busy person's year of meetings, deadlines and evaluation dates
-- with libical costs about 75 µs of CPU an event (several milliseconds for
-- a feed of 80 logs), and a calendar program fetches the same text again
-- and again until something in it changes. text_hash is the SHA-256 of
-- everything the text shows (lib/view_calendar.c, view_calendar_feed_hash:
-- each event's identity, times, sequence and log number, the words in the
-- person's language, the site's address): the kept text is used only while
-- that is unchanged, and is the feed's ETag. Like the feed, it names no one.
-- Renewing or revoking a feed empties it.
ALTER TABLE calendar_feed
	ADD COLUMN text_hash BINARY(32) NULL,
	ADD COLUMN text MEDIUMBLOB NULL;
