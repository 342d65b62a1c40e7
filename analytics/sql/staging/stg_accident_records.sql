-- Grain: one accident record (record_id), the current version of it.
-- A record with a case key (case_key: the export's case number) has one id for all its
-- versions: the version imported last counts, so a corrected re-export replaces the case rather
-- than adding it (every version stays listed in the record versions mart). A record without one is
-- identified by its content, so an accident listed by two exports (a monthly and a quarterly
-- one, say) counts once.
-- occurred_local_at is the wall-clock time in the record's own zone (timezone): every accident
-- mart groups by it. Records imported before the local time was stored read Asia/Shanghai, the
-- mappings' old default.
with source as (
    select * from raw_accident_records
),

current_versions as (
    select *
    from source
    qualify
        row_number() over (
            partition by record_id
            order by imported_at desc, source_file_sha16 desc, source_line desc
        ) = 1
),

localised as (
    select
        *,
        coalesce(timezone, 'Asia/Shanghai') as record_timezone,
        coalesce(
            occurred_local_at, timezone(coalesce(timezone, 'Asia/Shanghai'), occurred_at)
        ) as record_local_at
    from current_versions
),

final as (
    select
        record_id,
        case_key,
        coalesce(source_name, 'unnamed') as source_name,
        source_file_sha16,
        source_line::bigint as source_line,
        occurred_at::timestamptz as occurred_at,
        record_local_at::timestamp as occurred_local_at,
        record_local_at::date as local_date,
        hour(record_local_at)::integer as local_hour,
        record_timezone as timezone,
        coalesce(is_time_placeholder, false) as is_time_placeholder,
        intersection_id,
        location_text,
        location_kind,
        latitude,
        longitude,
        district,
        zip_code,
        beat,
        severity,
        coalesce(is_severity_derived, false) as is_severity_derived,
        count_deaths::integer as count_deaths,
        count_injuries::integer as count_injuries,
        is_pedestrian_involved,
        is_non_motor_involved,
        is_courier_involved,
        is_motor_vehicle_involved,
        is_synthetic,
        imported_at::timestamptz as imported_at
    from localised
)

select * from final
