-- Grain: one entry of one list of one published board revision (boards/week=W/rev=N/
-- entries.parquet, through raw_board_entries). is_latest_revision: the entry belongs to the
-- newest revision of its week not withdrawn, the board as it stands; older and withdrawn
-- revisions stay for the record (is_withdrawn, withdrawn_at, withdrawn_reason).
-- count_clips_pending: clips of the week not yet analysed when it was published (it was published
-- at the deadline without them); null for revisions published before this was recorded.
with entries as (
    select * from raw_board_entries
),

withdrawals as (
    select board_week, revision, withdrawn_at, reason from raw_board_withdrawals
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
        count_confirmed_violations,
        count_pending_violations,
        count_intersections,
        rate_per_1000,
        estimated_rate_per_1000,
        estimated_rate_se_per_1000,
        pooled_rate_per_1000,
        prior_strength_exposures,
        count_baseline_exposures,
        count_baseline_violations,
        baseline_estimated_rate_per_1000,
        change_per_1000,
        change_se_per_1000,
        previous_rank,
        withdrawals.withdrawn_at is not null as is_withdrawn,
        withdrawals.withdrawn_at,
        withdrawals.reason as withdrawn_reason,
        coalesce(
            revision
            = max(revision) filter (where withdrawals.withdrawn_at is null)
                over (partition by board_week),
            false
        ) as is_latest_revision
    from entries
    left join withdrawals using (board_week, revision)
)

select * from final
