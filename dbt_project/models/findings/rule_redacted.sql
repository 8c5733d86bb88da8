-- REDACTED: a form printed as 密 (one finding for the form), or a single value printed as 密 in
-- a form that is otherwise readable; neither can be checked.
select
    'REDACTED' as rule_code,
    form_id,
    null::varchar as indicator_key,
    '整表涉密（密）' as observed,
    '公开的绩效目标' as expected
from {{ ref('int_findings__forms') }}
where redacted

union all

select
    'REDACTED',
    form_id,
    indicator_key,
    printf('指标“%s”的指标值为“%s”', level3, raw_value),
    '公开的指标值'
from {{ ref('int_findings__targets') }}
where value_kind = 'redacted' and not form_redacted
