-- Claims on events (grain of `claims`: one event a reviewer holds open). An expired claim is
-- as good as none; it is overwritten by the next claim.

-- name: live_claim
select username, expires_at
from claims
where event_id = :event_id and expires_at > :now;

-- name: upsert_claim
insert into claims (event_id, username, claimed_at, expires_at)
values (:event_id, :username, :claimed_at, :expires_at)
on conflict (event_id) do update set
    username = excluded.username,
    claimed_at = excluded.claimed_at,
    expires_at = excluded.expires_at;

-- name: delete_claim
delete from claims where event_id = :event_id and username = :username;

-- name: delete_user_claims
delete from claims where username = :username;

-- name: delete_expired_claims
delete from claims where expires_at <= :now;
