-- The indicator taxonomy: the standard project types, the department-form types, and one
-- 'unmapped' member for level names that match neither (reported by a test).
select indicator_type_key, framework, level1, level2, category
from {{ ref('indicator_types') }}

union all

select 'unmapped', 'unmapped', '(未对应)', '(未对应)', '(未对应)'
