-- The purpose of every project form: the highest-priority purpose whose pattern matches the
-- project's name (the seed's `other` matches every name, so each project gets exactly one).
with projects as (
    select form_id, coalesce(project_name, '') as project_name
    from {{ ref('stg_forms__forms') }}
    where form_kind in ('project', 'purchase_service')
),

purposes as (
    select * from {{ ref('project_purposes') }}
),

candidates as (
    select
        projects.form_id,
        purposes.purpose_code,
        purposes.purpose_name,
        row_number() over (partition by projects.form_id order by purposes.priority) as rank
    from projects
    inner join purposes on regexp_matches(projects.project_name, purposes.pattern)
)

select form_id, purpose_code, purpose_name
from candidates
where rank = 1
