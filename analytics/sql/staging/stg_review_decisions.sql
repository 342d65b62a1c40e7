-- Grain: one event's current review decision (the review workbench's store).
-- review_status: the decision once final; 'pending' while a confirmation waits for a second
-- reviewer (双人复核) or two reviewers disagree. disposition and fine_yuan only count with a
-- final confirmation.
with source as (
    select * from raw_review_decisions
),

final as (
    select
        event_id,
        decision,
        case when stage = 'final' then decision else 'pending' end as review_status,
        stage as review_stage,
        reason_code,
        comment as review_comment,
        courier_platform,
        rider_code,
        case when stage = 'final' and decision = 'confirmed' then disposition end
            as disposition,
        case when stage = 'final' and decision = 'confirmed' then fine_yuan end as fine_yuan,
        first_reviewed_by,
        second_reviewed_by,
        decided_by,
        decided_at,
        version as decision_version
    from source
)

select * from final
