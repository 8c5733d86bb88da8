-- FUNDING_PARTS_MISMATCH: fiscal + other funds differ from the project's total (or the total is
-- empty while its parts are printed).
select
    'FUNDING_PARTS_MISMATCH' as rule_code,
    form_id,
    null::varchar as indicator_key,
    printf('%.2f', coalesce(fiscal_wan, 0) + coalesce(other_wan, 0)) as observed,
    coalesce(printf('%.2f', budget_total_wan), '(空)') as expected
from {{ ref('int_findings__forms') }}
where form_kind <> 'department'
    and (fiscal_wan is not null or other_wan is not null)
    and (
        budget_total_wan is null
        or abs(coalesce(fiscal_wan, 0) + coalesce(other_wan, 0) - budget_total_wan)
            > {{ var('findings_amount_tolerance_wan') }}
    )
