-- Grain: one segment of the accident trends. 'all' counts every accident once; a party segment
-- counts the accidents that party type was involved in (one accident may count in several); a
-- severity segment counts the accidents of that severity ('injury': someone injured, degree not
-- recorded, as derived from counts). Listed here so that a segment with no accident in a period
-- still shows as zero.
with names as (
    select *
    from (
        values
        ('all', 'all', 1),
        ('party', 'pedestrian', 2),
        ('party', 'non_motor_vehicle', 3),
        ('party', 'courier', 4),
        ('party', 'motor_vehicle', 5),
        ('severity', 'property_damage', 6),
        ('severity', 'minor_injury', 7),
        ('severity', 'serious_injury', 8),
        ('severity', 'injury', 9),
        ('severity', 'fatal', 10)
    ) as listed (segment_kind, segment, display_order)
),

final as (
    select segment_kind, segment, display_order from names
)

select * from final
