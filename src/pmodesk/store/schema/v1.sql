-- pmodesk portfolio file, schema version 1.
-- FROZEN: this text is compared, object by object, with the sqlite_schema of every file opened.
-- Never edit it; change the schema with a new numbered migration (m0002.sql, ...).
-- Money is INTEGER minor units of the portfolio currency; measure values, percentages,
-- weights and thresholds are TEXT decimal strings (exact); dates are TEXT 'YYYY-MM-DD'.

CREATE TABLE portfolio (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL CHECK (length(name) > 0),
    client TEXT,
    currency TEXT NOT NULL CHECK (length(currency) = 3 AND currency = upper(currency)),
    fiscal_year_start_month INTEGER NOT NULL DEFAULT 1 CHECK (fiscal_year_start_month BETWEEN 1 AND 12),
    as_of_mode TEXT NOT NULL DEFAULT 'today' CHECK (as_of_mode IN ('today', 'fixed')),
    as_of_date TEXT CHECK (as_of_date IS NULL OR date(as_of_date, '+0 days') IS as_of_date),
    rag_green_pct TEXT NOT NULL DEFAULT '90',
    rag_amber_pct TEXT NOT NULL DEFAULT '70',
    confidentiality TEXT NOT NULL DEFAULT 'CONFIDENTIAL',
    risk_weight TEXT NOT NULL DEFAULT '0'
);

CREATE TABLE kpi (
    id INTEGER PRIMARY KEY,
    metric TEXT NOT NULL UNIQUE,
    baseline TEXT,
    baseline_date TEXT CHECK (baseline_date IS NULL OR date(baseline_date, '+0 days') IS baseline_date),
    target TEXT
);

CREATE TABLE objective (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE CHECK (length(code) > 0),
    title TEXT NOT NULL,
    description TEXT,
    owner TEXT,
    weight TEXT NOT NULL DEFAULT '1',
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);

CREATE TABLE initiative (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE CHECK (length(code) > 0),
    name TEXT NOT NULL,
    description TEXT,
    sponsor TEXT,
    owner TEXT,
    stage TEXT NOT NULL CHECK (stage IN ('proposed', 'approved', 'delivery', 'transition', 'sustainment', 'closed', 'paused', 'terminated')),
    delivery_rag TEXT CHECK (delivery_rag IN ('green', 'amber', 'red')),
    planned_investment INTEGER,
    approval_date TEXT CHECK (approval_date IS NULL OR date(approval_date, '+0 days') IS approval_date),
    start_date TEXT CHECK (start_date IS NULL OR date(start_date, '+0 days') IS start_date),
    planned_go_live TEXT CHECK (planned_go_live IS NULL OR date(planned_go_live, '+0 days') IS planned_go_live),
    forecast_go_live TEXT CHECK (forecast_go_live IS NULL OR date(forecast_go_live, '+0 days') IS forecast_go_live),
    tracking_end TEXT CHECK (tracking_end IS NULL OR date(tracking_end, '+0 days') IS tracking_end),
    risk_likelihood INTEGER CHECK (risk_likelihood BETWEEN 1 AND 5),
    risk_impact INTEGER CHECK (risk_impact BETWEEN 1 AND 5),
    business_case_strategic TEXT NOT NULL DEFAULT 'not started' CHECK (business_case_strategic IN ('not started', 'draft', 'submitted', 'approved', 'rejected')),
    business_case_economic TEXT NOT NULL DEFAULT 'not started' CHECK (business_case_economic IN ('not started', 'draft', 'submitted', 'approved', 'rejected')),
    business_case_commercial TEXT NOT NULL DEFAULT 'not started' CHECK (business_case_commercial IN ('not started', 'draft', 'submitted', 'approved', 'rejected')),
    business_case_financial TEXT NOT NULL DEFAULT 'not started' CHECK (business_case_financial IN ('not started', 'draft', 'submitted', 'approved', 'rejected')),
    business_case_management TEXT NOT NULL DEFAULT 'not started' CHECK (business_case_management IN ('not started', 'draft', 'submitted', 'approved', 'rejected'))
);

CREATE TABLE initiative_objective (
    initiative_id INTEGER NOT NULL REFERENCES initiative (id) ON DELETE CASCADE,
    objective_id INTEGER NOT NULL REFERENCES objective (id) ON DELETE CASCADE,
    weight TEXT,
    PRIMARY KEY (initiative_id, objective_id)
);

CREATE TABLE planned_spend (
    id INTEGER PRIMARY KEY,
    initiative_id INTEGER NOT NULL REFERENCES initiative (id) ON DELETE CASCADE,
    period_end TEXT NOT NULL CHECK (date(period_end, '+0 days') IS period_end),
    amount INTEGER NOT NULL
);

CREATE TABLE cost_actual (
    id INTEGER PRIMARY KEY,
    initiative_id INTEGER NOT NULL REFERENCES initiative (id) ON DELETE CASCADE,
    period_end TEXT NOT NULL CHECK (date(period_end, '+0 days') IS period_end),
    amount INTEGER NOT NULL
);

CREATE TABLE output (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE CHECK (length(code) > 0),
    initiative_id INTEGER NOT NULL REFERENCES initiative (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    due TEXT CHECK (due IS NULL OR date(due, '+0 days') IS due),
    delivered TEXT CHECK (delivered IS NULL OR date(delivered, '+0 days') IS delivered)
);

CREATE TABLE outcome (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE CHECK (length(code) > 0),
    initiative_id INTEGER NOT NULL REFERENCES initiative (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    due TEXT CHECK (due IS NULL OR date(due, '+0 days') IS due),
    delivered TEXT CHECK (delivered IS NULL OR date(delivered, '+0 days') IS delivered)
);

CREATE TABLE outcome_output (
    outcome_id INTEGER NOT NULL REFERENCES outcome (id) ON DELETE CASCADE,
    output_id INTEGER NOT NULL REFERENCES output (id) ON DELETE CASCADE,
    PRIMARY KEY (outcome_id, output_id)
);

CREATE TABLE benefit (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE CHECK (length(code) > 0),
    initiative_id INTEGER NOT NULL REFERENCES initiative (id) ON DELETE CASCADE,
    outcome_id INTEGER REFERENCES outcome (id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    category TEXT CHECK (category IN ('cash-releasing', 'non-cash-releasing', 'quantifiable', 'qualitative')),
    dis_benefit INTEGER NOT NULL DEFAULT 0 CHECK (dis_benefit IN (0, 1)),
    owner TEXT,
    measure TEXT NOT NULL,
    unit TEXT,
    direction TEXT NOT NULL CHECK (direction IN ('higher', 'lower')),
    baseline_value TEXT,
    baseline_date TEXT CHECK (baseline_date IS NULL OR date(baseline_date, '+0 days') IS baseline_date),
    target_value TEXT NOT NULL,
    target_date TEXT NOT NULL CHECK (date(target_date, '+0 days') IS target_date),
    annual_value INTEGER,
    attribution_pct TEXT NOT NULL DEFAULT '100',
    confidence_pct TEXT NOT NULL DEFAULT '100',
    frequency TEXT NOT NULL DEFAULT 'monthly' CHECK (frequency IN ('weekly', 'monthly', 'quarterly', 'half-yearly', 'yearly', 'ad hoc')),
    data_source TEXT,
    indicator TEXT CHECK (indicator IN ('leading', 'lagging')),
    status TEXT CHECK (status IN ('identified', 'validated', 'realising', 'realised', 'at-risk', 'lost'))
);

CREATE TABLE benefit_output (
    benefit_id INTEGER NOT NULL REFERENCES benefit (id) ON DELETE CASCADE,
    output_id INTEGER NOT NULL REFERENCES output (id) ON DELETE CASCADE,
    PRIMARY KEY (benefit_id, output_id)
);

CREATE TABLE trajectory_point (
    id INTEGER PRIMARY KEY,
    benefit_id INTEGER NOT NULL REFERENCES benefit (id) ON DELETE CASCADE,
    date TEXT NOT NULL CHECK (date(date, '+0 days') IS date),
    value TEXT NOT NULL,
    UNIQUE (benefit_id, date)
);

CREATE TABLE measurement (
    id INTEGER PRIMARY KEY,
    benefit_id INTEGER NOT NULL REFERENCES benefit (id) ON DELETE CASCADE,
    date TEXT NOT NULL CHECK (date(date, '+0 days') IS date),
    value TEXT NOT NULL,
    source TEXT,
    note TEXT,
    entered_at TEXT NOT NULL,
    UNIQUE (benefit_id, date)
);

CREATE TABLE pivot_rule (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL CHECK (length(code) > 0),
    initiative_id INTEGER NOT NULL REFERENCES initiative (id) ON DELETE CASCADE,
    metric TEXT NOT NULL CHECK (metric IN ('realisation_vs_plan_pct', 'benefits_realised_pct', 'forecast_attainment_pct', 'cost_variance_pct', 'go_live_slip_days', 'months_without_measurement', 'risk_score')),
    comparator TEXT NOT NULL CHECK (comparator IN ('<', '<=', '>', '>=')),
    threshold TEXT NOT NULL,
    applies_from TEXT NOT NULL DEFAULT 'go_live' CHECK (applies_from IN ('approval', 'go_live')),
    applies_from_months INTEGER NOT NULL DEFAULT 0 CHECK (applies_from_months >= 0),
    action TEXT NOT NULL CHECK (action IN ('review', 'escalate', 'pivot', 'pause', 'terminate')),
    agreed_on TEXT NOT NULL CHECK (date(agreed_on, '+0 days') IS agreed_on),
    agreed_by TEXT,
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    UNIQUE (initiative_id, code)
);

CREATE TABLE decision (
    id INTEGER PRIMARY KEY,
    initiative_id INTEGER NOT NULL REFERENCES initiative (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('gate review', 'escalation', 'change request', 'pivot rule trigger')),
    raised_on TEXT NOT NULL CHECK (date(raised_on, '+0 days') IS raised_on),
    summary TEXT NOT NULL,
    escalated INTEGER NOT NULL DEFAULT 0 CHECK (escalated IN (0, 1)),
    decided_on TEXT CHECK (decided_on IS NULL OR date(decided_on, '+0 days') IS decided_on),
    outcome TEXT CHECK (outcome IN ('continue', 'pivot', 'pause', 'terminate', 'reallocate', 'approve', 'reject')),
    decided_by TEXT,
    rationale TEXT,
    rule_id INTEGER REFERENCES pivot_rule (id) ON DELETE SET NULL
);

CREATE TABLE scenario (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE CHECK (length(name) > 0)
);

CREATE TABLE scenario_override (
    id INTEGER PRIMARY KEY,
    scenario_id INTEGER NOT NULL REFERENCES scenario (id) ON DELETE CASCADE,
    initiative_id INTEGER NOT NULL REFERENCES initiative (id) ON DELETE CASCADE,
    stop_from TEXT CHECK (stop_from IS NULL OR date(stop_from, '+0 days') IS stop_from),
    pause_from TEXT CHECK (pause_from IS NULL OR date(pause_from, '+0 days') IS pause_from),
    pause_to TEXT CHECK (pause_to IS NULL OR date(pause_to, '+0 days') IS pause_to),
    budget_change INTEGER,
    UNIQUE (scenario_id, initiative_id)
);

CREATE TABLE audit_entry (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
    entity TEXT NOT NULL,
    entity_id INTEGER,
    field TEXT,
    old_value TEXT,
    new_value TEXT
);

CREATE INDEX planned_spend_by_initiative ON planned_spend (initiative_id, period_end);
CREATE INDEX cost_actual_by_initiative ON cost_actual (initiative_id, period_end);
CREATE INDEX benefit_by_initiative ON benefit (initiative_id);
CREATE INDEX decision_by_initiative ON decision (initiative_id, raised_on);
