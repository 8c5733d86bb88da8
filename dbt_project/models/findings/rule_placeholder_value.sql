-- PLACEHOLDER_VALUE: a template value nobody filled in: the option list 一般/较好/很好 left as
-- the value, or a template indicator name such as 经济效益指标1 or 任务2完成及时率.
select
    'PLACEHOLDER_VALUE' as rule_code,
    form_id,
    indicator_key,
    case
        when regexp_matches(regexp_replace(coalesce(raw_value, ''), '\s', '', 'g'),
                            '{{ var("findings_placeholder_values") }}')
            then raw_value
        else level3
    end as observed,
    '按项目实际填写' as expected
from {{ ref('int_findings__targets') }}
where regexp_matches(regexp_replace(coalesce(raw_value, ''), '\s', '', 'g'),
                     '{{ var("findings_placeholder_values") }}')
    or regexp_matches(level3, '{{ var("findings_placeholder_names") }}')
