-- Grain: one accident x one segment it counts in ('all', its severity, each party involved),
-- placed in the board's local calendar: ISO week, month and day of its local time.
-- Parameters (DuckDB variables, defaults in brackets): board_timezone ['Asia/Shanghai'].
with settings as (
    select coalesce(getvariable('board_timezone'), 'Asia/Shanghai') as timezone
),

accidents as (
    select
        accidents.*,
        timezone(settings.timezone, accidents.occurred_at) as occurred_local_at
    from stg_accident_records as accidents
    cross join settings
),

names as (
    select segment_kind, segment from int_accident_segment_names
),

memberships as (
    select
        accidents.*,
        names.segment_kind,
        names.segment
    from accidents
    inner join names
        on case names.segment
            when 'all' then true
            when 'pedestrian' then accidents.is_pedestrian_involved
            when 'non_motor_vehicle' then accidents.is_non_motor_involved
            when 'courier' then accidents.is_courier_involved
            when 'motor_vehicle' then accidents.is_motor_vehicle_involved
            else names.segment = accidents.severity
        end
),

final as (
    select
        record_id,
        segment_kind,
        segment,
        occurred_at,
        occurred_local_at,
        occurred_local_at::date as local_date,
        date_trunc('week', occurred_local_at)::date as week_start_date,
        strftime(occurred_local_at, '%G-W%V') as week,
        date_trunc('month', occurred_local_at)::date as month_start_date,
        strftime(occurred_local_at, '%Y-%m') as month,
        intersection_id,
        district,
        severity,
        count_deaths,
        count_injuries,
        is_synthetic
    from memberships
)

select * from final
