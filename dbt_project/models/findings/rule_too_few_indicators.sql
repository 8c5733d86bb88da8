-- TOO_FEW_INDICATORS: a project form with fewer indicator rows than the threshold.
select
    'TOO_FEW_INDICATORS' as rule_code,
    form_id,
    null::varchar as indicator_key,
    n_indicators::varchar as observed,
    '≥' || {{ var('findings_min_indicators') }}::varchar as expected
from {{ ref('int_findings__forms') }}
where form_kind <> 'department'
    and n_indicators < {{ var('findings_min_indicators') }}
