-- Grain: one row, the three windows every before/after figure compares (none without a campaign).
-- after: campaign_start .. campaign_end; before: the same number of days just before
-- campaign_start (环比); last year: the after window's dates one calendar year earlier (同比).
-- Dates are local days in the board's timezone.
-- Parameters (DuckDB variables): campaign_start [none: no row]; campaign_end [today].
with settings as (
    select
        getvariable('campaign_start')::date as campaign_start_date,
        coalesce(getvariable('campaign_end')::date, current_date) as after_to_date
),

final as (
    select
        campaign_start_date,
        (after_to_date - campaign_start_date + 1)::integer as window_days,
        campaign_start_date - window_days as before_from_date,
        campaign_start_date - 1 as before_to_date,
        campaign_start_date as after_from_date,
        after_to_date,
        (campaign_start_date - interval 1 year)::date as last_year_from_date,
        (after_to_date - interval 1 year)::date as last_year_to_date
    from settings
    where campaign_start_date is not null and after_to_date >= campaign_start_date
)

select * from final
