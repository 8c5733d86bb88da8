-- MISSING_GOAL: a project form with no goal text (实施期目标 / 年度目标).
select
    'MISSING_GOAL' as rule_code,
    form_id,
    null::varchar as indicator_key,
    '(空)' as observed,
    '绩效目标' as expected
from {{ ref('int_findings__forms') }}
where form_kind <> 'department'
    and goal_text is null
