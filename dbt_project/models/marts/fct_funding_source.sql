-- One row per funding line of a project form (中央/省级/市级/县级财政资金, 上年结转, 自有资金 …),
-- exact in 万元. Forms that print only a total and its fiscal/other split have no rows here.
with lines as (
    select * from {{ ref('stg_forms__funding_sources') }}
),

keys as (
    select form_id, budget_year, region_key, department_key
    from {{ ref('int_forms__keys') }}
    where form_kind in ('project', 'purchase_service')
)

select
    lines.funding_id as funding_key,
    lines.form_id as project_key,
    keys.budget_year,
    keys.region_key,
    keys.department_key,
    lines.funding_seq,
    lines.source_name,
    lines.source_label,
    lines.category,
    lines.amount_wan,
    lines.source_file,
    lines.source_line
from lines
inner join keys using (form_id)
