-- Grain: one stored version of an accident record: every row of every import, for audit.
-- A case (record_id) corrected between exports has one version per import that carried it;
-- is_current marks the one stg_accident_records counts (imported last). version_number counts
-- from 1, the first imported; is_changed says whether the version's content differs from the
-- one before it (content_sha16 digests every fact of the record).
with source as (
    select * from raw_accident_records
),

numbered as (
    select
        *,
        row_number() over by_import as version_number,
        count(*) over (partition by record_id) as count_versions,
        lag(content_sha16) over by_import as previous_content_sha16
    from source
    window by_import as (
        partition by record_id
        order by imported_at, source_file_sha16, source_line
    )
),

final as (
    select
        record_id,
        case_key,
        source_name,
        version_number,
        count_versions,
        version_number = count_versions as is_current,
        version_number > 1
        and content_sha16 is distinct from previous_content_sha16 as is_changed,
        source_file_sha16 as import_id,
        source_line::bigint as source_line,
        imported_at::timestamptz as imported_at,
        content_sha16,
        occurred_at::timestamptz as occurred_at,
        location_text,
        district,
        severity,
        count_deaths::integer as count_deaths,
        count_injuries::integer as count_injuries
    from numbered
)

select * from final
