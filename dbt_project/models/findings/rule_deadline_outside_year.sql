-- DEADLINE_OUTSIDE_YEAR: a deadline outside the form's budget year (2017年12月已完成 in a 2024
-- form: a target already met, or copied from an old form).
select
    'DEADLINE_OUTSIDE_YEAR' as rule_code,
    form_id,
    indicator_key,
    printf('%s（%s）', raw_value, strftime(deadline, '%Y-%m-%d')) as observed,
    budget_year::varchar || '年内' as expected
from {{ ref('int_findings__targets') }}
where value_kind = 'deadline'
    and year(deadline) <> budget_year
