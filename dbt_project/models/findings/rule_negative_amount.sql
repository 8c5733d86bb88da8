-- NEGATIVE_AMOUNT: a funding part, a spending block or the staff count below zero (the total
-- itself is BUDGET_MISSING_OR_ZERO's).
with negatives as (
    select
        form_id,
        concat_ws('，',
            case when fiscal_wan < 0 then printf('财政资金 %.2f 万元', fiscal_wan) end,
            case when other_wan < 0 then printf('其他资金 %.2f 万元', other_wan) end,
            case when period_total_wan < 0 then printf('实施期金额 %.2f 万元', period_total_wan) end,
            case when basic_expenditure_wan < 0 then printf('基本支出 %.2f 万元', basic_expenditure_wan) end,
            case when project_expenditure_wan < 0 then printf('项目支出 %.2f 万元', project_expenditure_wan) end,
            case when staff_at_year_end < 0 then printf('年末人数 %d 人', staff_at_year_end) end
        ) as observed
    from {{ ref('int_findings__forms') }}
)

select
    'NEGATIVE_AMOUNT' as rule_code,
    form_id,
    null::varchar as indicator_key,
    observed,
    '不小于 0' as expected
from negatives
where observed <> ''
