-- Login sessions (grain of `sessions`: one logged-in browser).

-- name: insert_session
insert into sessions (token_sha256, user_id, csrf_token, created_at, expires_at, last_seen_at)
values (:token_sha256, :user_id, :csrf_token, :created_at, :expires_at, :last_seen_at);

-- name: live_session
-- The session's user, while the session has neither expired nor sat idle, and the user may
-- still log in.
select
    sessions.csrf_token,
    sessions.expires_at,
    sessions.last_seen_at,
    users.user_id,
    users.username,
    users.role,
    users.districts
from sessions
inner join users using (user_id)
where
    sessions.token_sha256 = :token_sha256
    and sessions.expires_at > :now
    and sessions.last_seen_at > :idle_since
    and users.is_active = 1;

-- name: touch_session
update sessions set last_seen_at = :now where token_sha256 = :token_sha256;

-- name: delete_session
delete from sessions where token_sha256 = :token_sha256;

-- name: delete_expired_sessions
delete from sessions where expires_at <= :now;

-- name: delete_user_sessions
delete from sessions
where user_id in (select user_id from users where username = :username);
