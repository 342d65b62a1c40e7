-- Users of the review workbench (grain of `users`: one person who may log in).

-- name: insert_user
insert into users (username, role, password_hash, is_active, created_at)
values (:username, :role, :password_hash, 1, :created_at)
on conflict (username) do update set
    role = excluded.role,
    password_hash = excluded.password_hash,
    is_active = 1;

-- name: user_by_name
select user_id, username, role, password_hash, is_active
from users
where username = :username;

-- name: all_users
select user_id, username, role, is_active, created_at
from users
order by username;

-- name: set_active
update users set is_active = :is_active where username = :username;

-- name: set_password_hash
update users set password_hash = :password_hash where username = :username;
