-- Grain: one clip. The copy of each clip that counts: its newest load and, when that load was
-- also compacted, the newest compaction holding it (identical rows, fewer files).
with loads as (
    select clip_id, load_id, generation from stg_clips
),

final as (
    select *
    from loads
    qualify row_number() over (
        partition by clip_id order by load_id desc, generation desc
    ) = 1
)

select * from final
