-- One row per department + budget unit within a region, with the years it has forms for.
select
    department_key,
    any_value(department_name) as department_name,
    any_value(budget_unit_code) as budget_unit_code,
    any_value(budget_unit_name) as budget_unit_name,
    any_value(region_key) as region_key,
    min(budget_year) as first_year,
    max(budget_year) as last_year,
    count(*) as n_forms
from {{ ref('int_forms__keys') }}
group by department_key
