-- MISSING_REQUIRED_CATEGORY: a project form without output (数量/质量/时效), outcome (效益) or
-- satisfaction (满意度) indicators; one finding per missing category.
with forms as (
    select * from {{ ref('int_findings__forms') }} where form_kind <> 'department'
),

missing as (
    select form_id, '产出指标（数量/质量/时效）' as category, n_output as n from forms
    union all
    select form_id, '效益指标', n_outcome from forms
    union all
    select form_id, '满意度指标', n_satisfaction from forms
)

select
    'MISSING_REQUIRED_CATEGORY' as rule_code,
    form_id,
    null::varchar as indicator_key,
    category as observed,
    '产出、效益、满意度指标齐全' as expected
from missing
where n = 0
