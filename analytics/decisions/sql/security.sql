-- The security log (grain: one security-relevant act).

-- name: insert_entry
insert into security_log (logged_at, action, username, client_ip, target, detail)
values (:logged_at, :action, :username, :client_ip, :target, :detail);

-- name: viewed_since
-- A range of the time index: only the entries since :since are read.
select exists (
    select 1 from security_log
    where
        logged_at >= :since and action = 'evidence_viewed'
        and username = :username and target = :target
) as is_viewed;

-- name: recent_entries
select logged_at, action, username, client_ip, target, detail
from security_log
order by log_id desc
limit :limit;
