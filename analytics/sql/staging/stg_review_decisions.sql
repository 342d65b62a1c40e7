-- Grain: one event's current review decision (the review workbench's store).
with source as (
    select * from raw_review_decisions
),

final as (
    select
        event_id,
        decision,
        reason_code,
        comment as review_comment,
        courier_platform,
        rider_code,
        decided_by,
        decided_at,
        version as decision_version
    from source
)

select * from final
