-- The security log (grain: one security-relevant act).

-- name: insert_entry
insert into security_log (logged_at, action, username, client_ip, target, detail)
values (:logged_at, :action, :username, :client_ip, :target, :detail);

-- name: recent_entries
select logged_at, action, username, client_ip, target, detail
from security_log
order by log_id desc
limit :limit;
