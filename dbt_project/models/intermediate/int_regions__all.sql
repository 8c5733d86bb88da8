-- Every area a form can belong to: the national table (county-level areas, each city's and
-- province's own level) from the regions seed, plus the functional zones that documents name
-- (大连高新技术产业园区: a zone of its city with no code), keyed zone:<name>.
with national as (
    select
        region_key,
        province,
        city,
        county,
        nullif(admin_code, '') as admin_code,
        region_type
    from {{ ref('regions') }}
),

zones as (
    select
        'zone:' || county as region_key,
        any_value(province) as province,
        any_value(city) as city,
        county,
        null::varchar as admin_code,
        '功能区' as region_type
    from {{ ref('stg_forms__documents') }}
    where region_type = '功能区' and county is not null
    group by county
)

select * from national
union all
select * from zones
