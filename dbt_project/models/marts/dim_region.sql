-- Every area of the country (county-level areas, each city's and province's own level), the
-- functional zones that documents name, and one 'unknown' member so that a form whose region
-- cannot be resolved still joins.
select
    region_key,
    province,
    city,
    county,
    admin_code,
    region_type
from {{ ref('int_regions__all') }}

union all

select 'unknown', '(未知)', '(未知)', '(未知)', null, '未知'
