-- DEPARTMENT_TOTAL_MISMATCH: a department-level form whose fiscal + other funds, or basic +
-- project spending, differ from its total.
with checks as (
    select form_id, '财政资金+其他资金' as parts,
        coalesce(fiscal_wan, 0) + coalesce(other_wan, 0) as parts_sum, budget_total_wan
    from {{ ref('int_findings__forms') }}
    where form_kind = 'department' and (fiscal_wan is not null or other_wan is not null)
    union all
    select form_id, '基本支出+项目支出',
        coalesce(basic_expenditure_wan, 0) + coalesce(project_expenditure_wan, 0), budget_total_wan
    from {{ ref('int_findings__forms') }}
    where form_kind = 'department'
        and (basic_expenditure_wan is not null or project_expenditure_wan is not null)
)

select
    'DEPARTMENT_TOTAL_MISMATCH' as rule_code,
    form_id,
    null::varchar as indicator_key,
    printf('%s = %.2f', parts, parts_sum) as observed,
    coalesce(printf('%.2f', budget_total_wan), '(空)') as expected
from checks
where budget_total_wan is null
    or abs(parts_sum - budget_total_wan) > {{ var('findings_amount_tolerance_wan') }}
