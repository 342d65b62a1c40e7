-- Users of the review workbench (grain of `users`: one person who may log in).

-- name: insert_user
insert into users (username, role, password_hash, is_active, created_at, districts)
values (:username, :role, :password_hash, 1, :created_at, :districts);

-- name: reset_user
-- A new password and role; is_active is left as it is: a reset never lets a stopped user in.
update users set role = :role, password_hash = :password_hash where username = :username;

-- name: user_by_name
select user_id, username, role, password_hash, is_active, districts
from users
where username = :username;

-- name: all_users
select user_id, username, role, is_active, created_at, districts
from users
order by username;

-- name: set_active
update users set is_active = :is_active where username = :username;

-- name: set_districts
update users set districts = :districts where username = :username;

-- name: set_password_hash
update users set password_hash = :password_hash where username = :username;

-- name: count_other_admins
select count(*) from users
where role = 'admin' and is_active = 1 and username != :username;

