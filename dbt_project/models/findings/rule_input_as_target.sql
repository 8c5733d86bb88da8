-- INPUT_AS_TARGET: an input or process measure (资金到位率, 预算执行率, 足额保障率, 结余率)
-- used as a project's performance target. Department-level forms score these on purpose.
select
    'INPUT_AS_TARGET' as rule_code,
    form_id,
    indicator_key,
    level3 as observed,
    '反映产出或效益的指标' as expected
from {{ ref('int_findings__targets') }}
where framework = 'project'
    and form_kind <> 'department'
    and regexp_matches(indicator_text, '{{ var("findings_input_measures") }}')
