-- Grain: one clip. The copy of each clip that counts: its newest load and, when that load was
-- also compacted, the newest compaction holding it (identical rows, fewer files).
with loads as (
    select clip_id, load_id, generation from stg_clips
),

newest as (
    -- Structs compare field by field: the newest load first, then its newest generation.
    select clip_id, max({'load_id': load_id, 'generation': generation}) as copy
    from loads
    group by clip_id
),

final as (
    select
        clip_id,
        copy.load_id,
        copy.generation
    from newest
)

select * from final
