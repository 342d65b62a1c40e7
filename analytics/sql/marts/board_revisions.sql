-- Grain: one published revision of one week's board that has at least one entry (a board with
-- no ranked entity has no rows in published_boards; `civility board revisions` lists those too).
-- is_same_as_previous: its content hash equals the previous revision's, so it was published
-- again over unchanged data (publishing now writes nothing in that case). is_withdrawn, with
-- when and why: withdrawn after publication; is_latest_revision: the board as it stands.
with entries as (
    select * from published_boards
),

revisions as (
    select
        week,
        revision,
        any_value(published_at) as published_at,
        any_value(content_hash) as content_hash,
        any_value(is_only_confirmed) as is_only_confirmed,
        any_value(is_latest_revision) as is_latest_revision,
        any_value(is_withdrawn) as is_withdrawn,
        any_value(withdrawn_at) as withdrawn_at,
        any_value(withdrawn_reason) as withdrawn_reason,
        any_value(count_clips_pending) as count_clips_pending,
        count(*) as count_entries
    from entries
    group by week, revision
),

final as (
    select
        *,
        coalesce(
            content_hash = lag(content_hash) over (partition by week order by revision), false
        ) as is_same_as_previous
    from revisions
)

select * from final
