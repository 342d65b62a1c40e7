-- Grain: one accident record (record_id), however many imported exports repeat it.
-- record_id hashes a record's normalised content, so an accident listed by two exports (a
-- monthly and a quarterly one, say) counts once: the copy imported first is kept.
with source as (
    select * from raw_accident_records
),

deduplicated as (
    select *
    from source
    qualify
        row_number() over (
            partition by record_id order by imported_at, source_file_sha16, source_line
        ) = 1
),

final as (
    select
        record_id,
        source_file_sha16,
        source_line::bigint as source_line,
        occurred_at::timestamptz as occurred_at,
        intersection_id,
        location_text,
        district,
        severity,
        count_deaths::integer as count_deaths,
        count_injuries::integer as count_injuries,
        is_pedestrian_involved,
        is_non_motor_involved,
        is_courier_involved,
        is_motor_vehicle_involved,
        is_synthetic,
        imported_at::timestamptz as imported_at
    from deduplicated
)

select * from final
