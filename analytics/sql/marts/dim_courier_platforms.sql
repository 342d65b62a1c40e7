-- Grain: one courier livery profile (the platform names events and exposures carry).
with platforms as (
    select * from raw_courier_platforms
),

final as (
    select platform, display_name, brands, regions from platforms
)

select * from final
