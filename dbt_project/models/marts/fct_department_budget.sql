-- One row per department-level form (部门整体预算绩效目标申报表).
with keys as (
    select * from {{ ref('int_forms__keys') }}
    where form_kind = 'department'
),

forms as (
    select * from {{ ref('stg_forms__forms') }}
),

key_tasks as (
    select form_id, count(*) as n_key_tasks
    from {{ ref('stg_forms__key_tasks') }}
    group by form_id
)

select
    keys.form_id as department_form_key,
    keys.department_key,
    keys.region_key,
    keys.budget_year,
    forms.budget_total_wan,
    forms.fiscal_wan,
    forms.other_wan,
    forms.basic_expenditure_wan,
    forms.project_expenditure_wan,
    forms.staff_at_year_end,
    coalesce(key_tasks.n_key_tasks, 0) as n_key_tasks,
    forms.n_indicators,
    forms.duties,
    forms.source_file,
    forms.source_line
from keys
inner join forms using (form_id)
left join key_tasks using (form_id)
