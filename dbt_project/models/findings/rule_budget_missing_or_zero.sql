-- BUDGET_MISSING_OR_ZERO: a form whose budget (预算数 / 年度金额 / 收入总额) is zero, negative or
-- not given. A redacted form's missing budget is the REDACTED finding's business.
select
    'BUDGET_MISSING_OR_ZERO' as rule_code,
    form_id,
    null::varchar as indicator_key,
    coalesce(printf('%.2f 万元', budget_total_wan), '(空)') as observed,
    '大于 0' as expected
from {{ ref('int_findings__forms') }}
where budget_total_wan <= 0
    or (budget_total_wan is null and not coalesce(redacted, false))
