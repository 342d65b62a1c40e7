-- The login rate limit (grain of `login_attempts`: one attempt not (yet) successful).

-- name: recent_failures
-- Failures in the window (pending attempts included) of one account, one source and overall,
-- each with its oldest: the limit lifts when that one leaves the window.
select
    count(*) filter (where username = :username) as count_account,
    min(attempted_at) filter (where username = :username) as first_account,
    count(*) filter (where client_ip = :client_ip) as count_source,
    min(attempted_at) filter (where client_ip = :client_ip) as first_source,
    count(*) as count_overall,
    min(attempted_at) as first_overall
from login_attempts
where attempted_at > :since;

-- name: insert_attempt
insert into login_attempts (username, client_ip, attempted_at, outcome)
values (:username, :client_ip, :attempted_at, 'pending');

-- name: fail_attempt
update login_attempts set outcome = 'failed' where attempt_id = :attempt_id;

-- name: clear_failures
-- A success: the attempts of this account from this source, its own included.
delete from login_attempts where username = :username and client_ip = :client_ip;

-- name: delete_old_attempts
delete from login_attempts where attempted_at <= :since;
