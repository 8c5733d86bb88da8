-- A unit cost is a positive budget over a positive quantity.
select project_key, measure_code, yuan_per_unit
from {{ ref('fct_unit_cost') }}
where yuan_per_unit <= 0
