-- Grain: one accident x one segment it counts in ('all', its severity, each party involved),
-- placed in its own local calendar: ISO week, month and day of the wall-clock time in the zone
-- its export was written in (stg_accident_records.occurred_local_at), whatever the board's zone.
with accidents as (
    select * from stg_accident_records
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
        source_name,
        segment_kind,
        segment,
        occurred_at,
        occurred_local_at,
        local_date,
        date_trunc('week', occurred_local_at)::date as week_start_date,
        strftime(occurred_local_at, '%G-W%V') as week,
        date_trunc('month', occurred_local_at)::date as month_start_date,
        strftime(occurred_local_at, '%Y-%m') as month,
        is_time_placeholder,
        intersection_id,
        location_text,
        location_kind,
        district,
        zip_code,
        beat,
        severity,
        count_deaths,
        count_injuries,
        is_synthetic
    from memberships
)

select * from final
