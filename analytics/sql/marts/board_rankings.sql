-- Grain: one ISO week x entity kind x rule x list x rank: the entries of the weekly 红黑榜.
-- Lists: 'black' (highest estimated rate first), 'red_best' (lowest first) and 'red_improved'
-- (largest fall of the estimated rate against the baseline weeks first). Only entities with
-- enough exposure are ranked (board_weekly_rates.is_eligible; for 'red_improved' over the
-- baseline weeks too). The black list holds only entities worse than the pooled rate of their
-- kind, the best list only better ones; each takes at most half of the ranked entities, so no
-- entity is on both, and an entity on the black list is never also named most improved.
-- Parameters (DuckDB variables, defaults in brackets): board_top_n [10], entries per list.
with settings as (
    select coalesce(getvariable('board_top_n'), 10) as top_n
),

eligible as (
    select *
    from board_weekly_rates
    where entity_kind in ('intersection', 'district', 'platform') and is_eligible
),

positioned as (
    select
        eligible.*,
        least(
            settings.top_n, count(*) over (partition by week, entity_kind, rule) // 2
        ) as list_length,
        row_number() over (
            partition by week, entity_kind, rule
            order by estimated_rate_per_1000 desc, rate_per_1000 desc, entity_id
        ) as worst_position,
        row_number() over (
            partition by week, entity_kind, rule
            order by estimated_rate_per_1000 asc, rate_per_1000 asc, entity_id
        ) as best_position
    from eligible
    cross join settings
),

listed as (
    select
        *,
        worst_position <= list_length
        and estimated_rate_per_1000 > pooled_rate_per_1000 as is_black,
        best_position <= list_length
        and estimated_rate_per_1000 < pooled_rate_per_1000 as is_best
    from positioned
),

black as (
    select 'black' as list_name, worst_position as rank, *
    from listed
    where is_black
),

red_best as (
    select 'red_best' as list_name, best_position as rank, *
    from listed
    where is_best
),

improvers as (
    select
        row_number() over (
            partition by week, entity_kind, rule order by change_per_1000 asc, entity_id
        ) as improvement_position,
        listed.*
    from listed
    where is_baseline_eligible and change_per_1000 < 0 and not is_black
),

red_improved as (
    select 'red_improved' as list_name, improvement_position as rank, improvers.*
    from improvers
    cross join settings
    where improvement_position <= settings.top_n
),

final as (
    select
        week,
        week_start_date,
        entity_kind,
        rule,
        list_name,
        rank,
        entity_id,
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
        change_per_1000
    from (
        select * from black
        union all by name
        select * from red_best
        union all by name
        select * from red_improved
    )
)

select * from final
