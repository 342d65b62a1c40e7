-- Grain: one entry of one list of one published board revision (boards/week=W/rev=N/
-- entries.parquet, through raw_board_entries). is_latest_revision: the entry belongs to the
-- newest revision of its week, the board as it stands; older revisions stay for the record.
-- count_clips_pending: clips of the week not yet analysed when it was published (it was published
-- at the deadline without them); null for revisions published before this was recorded.
with entries as (
    select * from raw_board_entries
),

final as (
    select
        board_week as week,
        revision,
        published_at,
        content_hash,
        timezone,
        is_only_confirmed,
        min_exposures,
        count_clips_pending,
        entity_kind,
        rule,
        list_name,
        rank,
        entity_id,
        entity_label,
        district,
        count_exposures,
        count_violations,
        rate_per_1000,
        estimated_rate_per_1000,
        pooled_rate_per_1000,
        prior_strength_exposures,
        count_baseline_exposures,
        count_baseline_violations,
        baseline_estimated_rate_per_1000,
        change_per_1000,
        revision = max(revision) over (partition by board_week) as is_latest_revision
    from entries
)

select * from final
