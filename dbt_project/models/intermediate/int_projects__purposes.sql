-- The purpose of every project form: the highest-priority purpose whose pattern matches the
-- project's name (the seed's `other` matches every name, so each project gets exactly one).
-- A table, computed once: dim_project, fct_unit_cost and the tests read it.
{{ config(materialized='table') }}

with projects as (
    select form_id, coalesce(project_name, '') as project_name
    from {{ ref('stg_forms__forms') }}
    where form_kind in ('project', 'purchase_service')
),

purposes as (
    select * from {{ ref('project_purposes') }}
),

matched as (
    select
        form_id,
        {{ first_match('project_name', ref('project_purposes'), 'purpose_code') }} as purpose_code
    from projects
)

select matched.form_id, matched.purpose_code, purposes.purpose_name
from matched
inner join purposes using (purpose_code)
