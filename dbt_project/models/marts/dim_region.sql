-- Every county-level area of the country (from the regions seed), plus one 'unknown' member
-- so that a form whose region cannot be resolved still joins.
select
    region_key,
    province,
    city,
    county,
    admin_code,
    region_type,
    aliases
from {{ ref('regions') }}

union all

select 'unknown', '(未知)', '(未知)', '(未知)', null, '未知', null
