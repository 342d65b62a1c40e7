-- Grain: one local ISO week of occurred_at (in the board's time zone) x district x rule.
-- Enforcement figures as the district reports give them: confirmed cases, fines (count and
-- whole yuan), warnings, education and exposure-only cases. Only confirmed violations count
-- (after a second review where the rule requires one); events without a wall-clock time
-- cannot be placed in a week.
-- Parameters (DuckDB variables, defaults in brackets): board_timezone ['Asia/Shanghai'].
with settings as (
    select coalesce(getvariable('board_timezone'), 'Asia/Shanghai') as timezone
),

cases as (
    select
        date_trunc('week', timezone(settings.timezone, violations.occurred_at))::date
            as week_start_date,
        violations.district,
        violations.rule,
        violations.disposition,
        violations.fine_yuan
    from fct_violations as violations
    cross join settings
    where violations.review_status = 'confirmed' and violations.occurred_at is not null
),

final as (
    select
        strftime(week_start_date, '%G-W%V') as week,
        week_start_date,
        district,
        rule,
        count(*) as count_cases,
        count(*) filter (where disposition = 'fine') as count_fines,
        coalesce(sum(fine_yuan) filter (where disposition = 'fine'), 0)::bigint
            as fine_yuan_total,
        count(*) filter (where disposition = 'warning') as count_warnings,
        count(*) filter (where disposition = 'education') as count_education,
        count(*) filter (where disposition = 'exposure_only') as count_exposure_only
    from cases
    group by week_start_date, district, rule
)

select * from final
