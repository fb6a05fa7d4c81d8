-- Schema version 3: the PMO's own commentary for a meeting, and scenario overrides that fund a
-- proposed initiative from a date (DESIGN.md sections 4 and 9).
-- FROZEN once released: never edit; add m0004.sql instead.

ALTER TABLE scenario_override ADD COLUMN fund_from TEXT CHECK (fund_from IS NULL OR date(fund_from, '+0 days') IS fund_from);

CREATE TABLE commentary (
    id INTEGER PRIMARY KEY,
    meeting_date TEXT NOT NULL CHECK (date(meeting_date, '+0 days') IS meeting_date),
    initiative_id INTEGER REFERENCES initiative (id) ON DELETE CASCADE,
    text TEXT NOT NULL CHECK (length(text) > 0),
    author TEXT
);

CREATE INDEX commentary_by_meeting ON commentary (meeting_date, initiative_id);
