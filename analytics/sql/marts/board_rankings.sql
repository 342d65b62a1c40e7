-- Grain: one ISO week x entity kind x rule x list x rank: the entries of the weekly 红黑榜.
-- Lists: 'black' (highest estimated rate first), 'red_best' (lowest first) and 'red_improved'
-- (largest fall of the estimated rate against the baseline weeks first); a kind with fewer than
-- board_min_listed_entities ranked entities (three platforms, say) is one list instead,
-- 'ranked', every entity lowest rate first. Only entities with enough exposure are ranked
-- (board_weekly_rates.is_eligible; for 'red_improved' over the baseline weeks too).
-- The black list holds only entities worse than the pooled rate of their kind (the city rate),
-- the red lists only better ones, so no list names an entity on the wrong side of the city
-- rate; each of black and best takes at most half of the ranked entities. Most improved only
-- where the fall exceeds its uncertainty (is_improvement_beyond_uncertainty).
-- previous_rank: the entity's rank on the same list the week before (null: not on it).
-- Parameters (DuckDB variables, defaults in brackets): board_top_n [10], entries per list;
-- board_min_listed_entities [6].
with settings as (
    select
        coalesce(getvariable('board_top_n'), 10) as top_n,
        coalesce(getvariable('board_min_listed_entities'), 6) as min_listed_entities
),

eligible as (
    select *
    from board_weekly_rates
    where entity_kind in ('intersection', 'district', 'platform') and is_eligible
),

positioned as (
    select
        eligible.*,
        count(*) over (partition by week, entity_kind, rule) as count_ranked,
        least(settings.top_n, count_ranked // 2) as list_length,
        count_ranked < settings.min_listed_entities as is_one_list,
        -- With no counted violation at all in the kind (nothing reviewed, say) nobody is ranked.
        pooled_rate_per_1000 > 0 as is_rankable,
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
        not is_one_list
        and worst_position <= list_length
        and estimated_rate_per_1000 > pooled_rate_per_1000 as is_black,
        not is_one_list
        and best_position <= list_length
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

ranked as (
    select 'ranked' as list_name, best_position as rank, *
    from listed
    where is_one_list and is_rankable
),

improvers as (
    select
        row_number() over (
            partition by week, entity_kind, rule order by change_per_1000 asc, entity_id
        ) as improvement_position,
        listed.*
    from listed
    where
        not is_one_list
        and is_baseline_eligible
        and is_improvement_beyond_uncertainty
        and estimated_rate_per_1000 < pooled_rate_per_1000
),

red_improved as (
    select 'red_improved' as list_name, improvement_position as rank, improvers.*
    from improvers
    cross join settings
    where improvement_position <= settings.top_n
),

entries as (
    select * from black
    union all by name
    select * from red_best
    union all by name
    select * from ranked
    union all by name
    select * from red_improved
),

final as (
    select
        entries.week,
        entries.week_start_date,
        entries.entity_kind,
        entries.rule,
        entries.list_name,
        entries.rank,
        entries.entity_id,
        entries.district,
        entries.count_exposures,
        entries.count_violations,
        entries.count_confirmed_violations,
        entries.count_pending_violations,
        entries.count_intersections,
        entries.rate_per_1000,
        entries.estimated_rate_per_1000,
        entries.estimated_rate_se_per_1000,
        entries.pooled_rate_per_1000,
        entries.prior_strength_exposures,
        entries.count_baseline_exposures,
        entries.count_baseline_violations,
        entries.baseline_estimated_rate_per_1000,
        entries.change_per_1000,
        entries.change_se_per_1000,
        previous.rank as previous_rank
    from entries
    left join entries as previous
        on
            previous.week_start_date = entries.week_start_date - 7
            and previous.entity_kind = entries.entity_kind
            and previous.rule = entries.rule
            and previous.list_name = entries.list_name
            and previous.entity_id = entries.entity_id
)

select * from final
