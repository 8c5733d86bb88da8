-- Every finding of every audit rule (models/findings/rule_*.sql), with the rule's metadata
-- from the finding_rules seed and a message that names the form, the indicator and the
-- numbers, ready to paste into a report (rendered in one pass: text from documents is never
-- read as a template). Incremental by form (macro incremental_by_form): the rules are run on
-- the new forms only (a form with no finding is tried again on every build).
{{ config(
    materialized='incremental', incremental_strategy='append', on_schema_change='fail',
    pre_hook="{{ delete_forms_gone(ref('int_findings__forms'), by_file=true) }}"
) }}
{%- set rules = [
    'rule_funding_parts_mismatch', 'rule_cost_target_mismatch', 'rule_spend_plan_not_monotonic',
    'rule_missing_required_category', 'rule_unquantified_target', 'rule_placeholder_value',
    'rule_redacted', 'rule_duplicate_indicator', 'rule_suspicious_direction',
    'rule_malformed_value', 'rule_deadline_outside_year', 'rule_department_total_mismatch',
    'rule_input_as_target', 'rule_vague_target', 'rule_too_few_indicators',
    'rule_missing_cost_indicator', 'rule_satisfaction_target_low', 'rule_empty_target',
    'rule_missing_goal', 'rule_rate_above_100', 'rule_budget_missing_or_zero',
    'rule_negative_amount', 'rule_spend_plan_out_of_range', 'rule_budget_year_unknown',
] %}

with findings as (
    {%- for rule in rules %}
    select rule_code, form_id, indicator_key, observed, expected from {{ ref(rule) }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

rules as (
    select * from {{ ref('finding_rules') }}
),

forms as (
    select * from {{ ref('int_findings__forms') }}
),

targets as (
    -- a short description says what a terse name means (质量等级 → 野外验收合格率)
    select
        indicator_key,
        case
            when description <> '' and description <> level3 and length(description) <= 20
                then level3 || '（' || description || '）'
            else level3
        end as indicator_name,
        source_line
    from {{ ref('int_findings__targets') }}
)

select
    md5(concat_ws('|', findings.rule_code, findings.form_id,
                  coalesce(findings.indicator_key, ''), coalesce(findings.observed, '')))
        as finding_key,
    findings.rule_code,
    rules.severity,
    rules.category,
    forms.project_key,
    findings.indicator_key,
    findings.form_id,
    forms.form_kind,
    forms.form_label,
    forms.department_key,
    forms.region_key,
    forms.budget_year,
    targets.indicator_name,
    findings.observed,
    findings.expected,
    {{ render_message('rules.message_template', 'forms.form_label', 'targets.indicator_name',
                      'findings.observed', 'findings.expected') }} as message,
    rules.source as rule_source,
    forms.source_file,
    coalesce(targets.source_line, forms.source_line) as source_line
from findings
inner join rules using (rule_code)
inner join forms using (form_id)
left join targets using (indicator_key)
where {{ is_form_to_build('findings.form_id', ref('int_findings__forms'), by_file=true) }}
