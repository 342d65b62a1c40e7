-- Login sessions and the login rate limit.

-- name: insert_session
insert into sessions (token_sha256, user_id, csrf_token, created_at, expires_at)
values (:token_sha256, :user_id, :csrf_token, :created_at, :expires_at);

-- name: live_session
-- The session's user, while the session has not expired and the user may still log in.
select
    sessions.csrf_token,
    sessions.expires_at,
    users.user_id,
    users.username,
    users.role
from sessions
inner join users using (user_id)
where
    sessions.token_sha256 = :token_sha256
    and sessions.expires_at > :now
    and users.is_active = 1;

-- name: delete_session
delete from sessions where token_sha256 = :token_sha256;

-- name: delete_expired_sessions
delete from sessions where expires_at <= :now;

-- name: delete_user_sessions
delete from sessions
where user_id in (select user_id from users where username = :username);

-- name: count_recent_failures
select
    count(*) as count_failures,
    min(failed_at) as first_failed_at
from login_failures
where username = :username and client_ip = :client_ip and failed_at > :since;

-- name: insert_failure
insert into login_failures (username, client_ip, failed_at)
values (:username, :client_ip, :failed_at);

-- name: clear_failures
delete from login_failures where username = :username and client_ip = :client_ip;

-- name: delete_old_failures
delete from login_failures where failed_at <= :since;
