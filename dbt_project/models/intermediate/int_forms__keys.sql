-- The keys of every form: its region and its department (department + budget unit within a
-- region), shared by dim_project, dim_department and the facts.
with forms as (
    select * from {{ ref('stg_forms__forms') }}
),

regions as (
    select * from {{ ref('int_forms__regions') }}
)

select
    forms.form_id,
    forms.document_id,
    forms.form_kind,
    forms.budget_year,
    forms.department_name,
    forms.budget_unit_code,
    forms.budget_unit_name,
    regions.region_key,
    regions.region_basis,
    regions.region_conflict,
    regions.region_key_from_document,
    regions.region_key_from_code,
    md5(concat_ws('|',
        regions.region_key,
        coalesce(forms.department_name, ''),
        coalesce(forms.budget_unit_code, ''),
        coalesce(forms.budget_unit_name, '')
    )) as department_key
from forms
inner join regions using (form_id)
