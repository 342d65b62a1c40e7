-- Grain: one calendar month x one accident segment (as accident_trends_weekly), months of each
-- record's own local calendar (the zone its export was written in). Every month from the first
-- to the last month with an accident is listed, a month without accidents as zero. The counts,
-- changes and flags are int_accident_period_counts' (as for accident_trends_weekly), under
-- monthly names.
-- change_mom: this month against the month before. change_yoy: against the same month one year
-- earlier; null when the data do not reach back that far. rolling_3m / rolling_12m: mean
-- monthly count over this month and the 2 / 11 before it; null until the data cover that many.
-- is_partial: a source's data (int_accident_periods) start after the month's first day or end
-- before its last (the first and last months of an export), or no source's data reach it;
-- is_last_year_partial the same for the month a year earlier. Do not quote a change where
-- either is true. count_placeholder_time_accidents: accidents whose time stands for "not
-- recorded" (00:00 in many exports), counted in the month all the same.
with months as (
    select * from int_accident_period_counts where period_kind = 'month'
),

windowed as (
    select
        *,
        case
            when count(*) over last_3_months = 3 then avg(count_accidents) over last_3_months
        end as rolling_3m_mean_count,
        case
            when count(*) over last_12_months = 12 then avg(count_accidents) over last_12_months
        end as rolling_12m_mean_count
    from months
    window
        by_month as (partition by segment order by period_start_date),
        last_3_months as (by_month rows between 2 preceding and current row),
        last_12_months as (by_month rows between 11 preceding and current row)
),

final as (
    select
        period as month,
        period_start_date as month_start_date,
        segment_kind,
        segment,
        display_order,
        count_accidents,
        count_deaths,
        count_injuries,
        count_synthetic_accidents,
        count_placeholder_time_accidents,
        count_accidents_prev_period as count_accidents_prev_month,
        change_prev_count as change_mom_count,
        change_prev_pct as change_mom_pct,
        count_accidents_last_year,
        change_yoy_count,
        change_yoy_pct,
        is_partial,
        is_last_year_partial,
        rolling_3m_mean_count,
        rolling_12m_mean_count
    from windowed
)

select * from final
