-- BUDGET_YEAR_UNKNOWN: a form whose budget year is not given (neither on the form nor in its
-- document) or lies outside the years a budget can be for.
select
    'BUDGET_YEAR_UNKNOWN' as rule_code,
    form_id,
    null::varchar as indicator_key,
    coalesce(budget_year::varchar, '(空)') as observed,
    '{{ var("findings_min_budget_year") }}–{{ var("findings_max_budget_year") }} 年之间' as expected
from {{ ref('int_findings__forms') }}
where budget_year is null
    or budget_year not between {{ var('findings_min_budget_year') }} and {{ var('findings_max_budget_year') }}
