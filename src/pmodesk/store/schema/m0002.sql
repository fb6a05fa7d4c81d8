-- Schema version 2: a pivot rule changed after its initiative's approval keeps its history
-- and the reason for the change (DESIGN.md section 4).
-- FROZEN once released: never edit; add m0003.sql instead.

CREATE TABLE pivot_rule_change (
    id INTEGER PRIMARY KEY,
    rule_id INTEGER NOT NULL REFERENCES pivot_rule (id) ON DELETE CASCADE,
    changed_at TEXT NOT NULL,
    field TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT,
    reason TEXT NOT NULL CHECK (length(reason) > 0),
    changed_by TEXT
);

CREATE INDEX pivot_rule_change_by_rule ON pivot_rule_change (rule_id, changed_at);
