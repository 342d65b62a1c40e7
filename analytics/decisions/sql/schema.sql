-- The review workbench's store (SQLite, WAL). Timestamps are ISO 8601 text in UTC with a fixed
-- width (YYYY-MM-DDTHH:MM:SS.ffffff+00:00), so text order is time order.

-- Grain: one person who may log in. districts: a JSON array of the districts (辖区) whose events
-- the user sees and decides; null: every district.
create table if not exists users (
    user_id integer primary key,
    username text not null unique,
    role text not null check (role in ('reviewer', 'supervisor', 'admin')),
    password_hash text not null,
    is_active integer not null default 1 check (is_active in (0, 1)),
    created_at text not null,
    districts text
);

-- Grain: one logged-in browser. Only the SHA-256 of the cookie's token is kept, so a copy of
-- this file does not hand out sessions. last_seen_at drives the idle timeout.
create table if not exists sessions (
    token_sha256 text primary key,
    user_id integer not null references users (user_id),
    csrf_token text not null,
    created_at text not null,
    expires_at text not null,
    last_seen_at text not null
);
create index if not exists sessions_by_expiry on sessions (expires_at);
create index if not exists sessions_by_user on sessions (user_id);

-- Grain: one login attempt that has not succeeded, kept for the rate limit's window only.
-- An attempt is written ('pending') before its password is hashed and counts as a failure
-- from then on; a success deletes it. So parallel guesses cannot all pass the limit's check.
create table if not exists login_attempts (
    attempt_id integer primary key,
    username text not null,
    client_ip text not null,
    attempted_at text not null,
    outcome text not null check (outcome in ('pending', 'failed'))
);
create index if not exists login_attempts_by_user on login_attempts (username, attempted_at);
create index if not exists login_attempts_by_source on login_attempts (client_ip, attempted_at);
create index if not exists login_attempts_by_time on login_attempts (attempted_at);

-- Grain: one event's current decision; version counts the changes (1 = first decision).
-- stage: 'final', or on the way there under double review (双人复核): a confirmation waiting
-- for a second reviewer, or two reviewers who disagree, waiting for a supervisor.
create table if not exists decisions (
    event_id text primary key,
    decision text not null check (decision in ('confirmed', 'rejected')),
    reason_code text,
    comment text,
    courier_platform text,
    rider_code text,
    disposition text check (disposition in ('fine', 'warning', 'education', 'exposure_only')),
    fine_yuan integer check (fine_yuan > 0),
    stage text not null default 'final'
    check (stage in ('awaiting_second', 'disputed', 'final')),
    first_reviewed_by text,
    second_reviewed_by text,
    decided_by text not null,
    decided_at text not null,
    version integer not null check (version >= 1)
);
create index if not exists decisions_by_status on decisions (decision);
create index if not exists decisions_by_rider on decisions (rider_code);

-- Grain: one field of one decision changed once (who, when, from -> to).
create table if not exists audit_trail (
    audit_id integer primary key,
    event_id text not null,
    version integer not null,
    action text not null
    check (action in ('decide', 'second_review', 'resolve', 'overturn')),
    changed_by text not null,
    changed_at text not null,
    field text not null,
    value_from text,
    value_to text
);
create index if not exists audit_by_event on audit_trail (event_id, audit_id);

-- Grain: one event a reviewer has open; others skip it until the claim expires or is released.
create table if not exists claims (
    event_id text primary key,
    username text not null,
    claimed_at text not null,
    expires_at text not null
);
create index if not exists claims_by_user on claims (username);

-- Grain: one security-relevant act: a login, a failed login, an account change, an evidence view.
create table if not exists security_log (
    log_id integer primary key,
    logged_at text not null,
    action text not null,
    username text,
    client_ip text,
    target text,
    detail text
);
create index if not exists security_log_by_time on security_log (logged_at);

-- Grain: one current event of the warehouse (a copy of fct_violations' columns the queue needs),
-- indexed for the queue's filters; occurred_at is null when the clip's start is unknown.
-- review_status mirrors `decisions` (written in the same transactions) so that counting and
-- paging the queue never joins 100,000 rows: the decision, or its stage while not final.
create table if not exists queue_events (
    event_id text primary key,
    clip_id text not null,
    load_id text not null,
    camera_id text not null,
    camera_name text,
    intersection_id text,
    district text,
    rule text not null,
    zone_id text not null,
    track_id integer,
    class_name text,
    occurred_at text,
    t_s real,
    confidence real,
    signal_id text,
    signal_state text,
    detected_platform text,
    courier_confidence real,
    evidence_path text,
    evidence_sha256_json text,
    details_json text,
    review_status text not null default 'pending'
    check (
        review_status in ('pending', 'awaiting_second', 'disputed', 'confirmed', 'rejected')
    )
);
-- Sort keys are ifnull() expressions: never null, so that keyset paging (row-value comparison)
-- works. The status-first indexes serve a status tab in its sort order straight from the index.
create index if not exists queue_by_status_time
on queue_events (review_status, ifnull(occurred_at, ''), event_id);
create index if not exists queue_by_status_confidence
on queue_events (review_status, ifnull(confidence, 0), event_id);
create index if not exists queue_by_time on queue_events (ifnull(occurred_at, ''), event_id);
create index if not exists queue_by_confidence on queue_events (ifnull(confidence, 0), event_id);
create index if not exists queue_by_occurred_at on queue_events (occurred_at);
create index if not exists queue_by_camera
on queue_events (camera_id, review_status, ifnull(occurred_at, ''), event_id);
create index if not exists queue_by_district on queue_events (district, review_status);
create index if not exists queue_by_rule on queue_events (rule, review_status);
create index if not exists queue_by_platform on queue_events (detected_platform, review_status);
create index if not exists queue_by_clip on queue_events (clip_id);
create index if not exists queue_by_evidence on queue_events (evidence_path);

-- Grain: one clip whose current load the queue holds; a different load_id means re-sync it.
create table if not exists queue_loads (
    clip_id text primary key,
    load_id text not null,
    count_events integer not null,
    synced_at text not null
);

pragma user_version = 2;
