-- Grain: one ISO week x one accident segment (all accidents, each party type, each severity; see
-- int_accident_segment_names), weeks of each record's own local calendar (the zone its export
-- was written in). Every week from the first to the last week with an accident is listed, a
-- week without accidents as zero. The counts, changes and flags are
-- int_accident_period_counts' (as for the monthly trends), under weekly names.
-- change_wow: this week against the week before. change_yoy: against the same ISO week number
-- of the previous ISO year; null when the data do not reach back that far (or for week 53 when
-- the previous year has none). rolling_4w / rolling_13w: mean weekly count over this week and
-- the 3 / 12 before it; null until the data cover that many weeks.
-- is_partial: a source's data (int_accident_periods) start after the week's Monday or end
-- before its Sunday, or no source's data reach it; is_last_year_partial the same for the week
-- compared year over year. Do not quote a change where either is true.
-- count_placeholder_time_accidents: accidents whose time stands for "not recorded" (00:00 in
-- many exports), counted in the week all the same.
with weeks as (
    select * from int_accident_period_counts where period_kind = 'week'
),

windowed as (
    select
        *,
        case
            when count(*) over last_4_weeks = 4 then avg(count_accidents) over last_4_weeks
        end as rolling_4w_mean_count,
        case
            when count(*) over last_13_weeks = 13 then avg(count_accidents) over last_13_weeks
        end as rolling_13w_mean_count
    from weeks
    window
        by_week as (partition by segment order by period_start_date),
        last_4_weeks as (by_week rows between 3 preceding and current row),
        last_13_weeks as (by_week rows between 12 preceding and current row)
),

final as (
    select
        period as week,
        period_start_date as week_start_date,
        isoyear(period_start_date) as iso_year,
        weekofyear(period_start_date) as iso_week,
        segment_kind,
        segment,
        display_order,
        count_accidents,
        count_deaths,
        count_injuries,
        count_synthetic_accidents,
        count_placeholder_time_accidents,
        count_accidents_prev_period as count_accidents_prev_week,
        change_prev_count as change_wow_count,
        change_prev_pct as change_wow_pct,
        count_accidents_last_year,
        change_yoy_count,
        change_yoy_pct,
        is_partial,
        is_last_year_partial,
        rolling_4w_mean_count,
        rolling_13w_mean_count
    from windowed
)

select * from final
