-- Yuan of budget per unit of output, per project and comparable measure. The whole budget of
-- the form is divided by the target quantity, so a form with several outputs carries its full
-- budget on each (n_measures_in_project says how many). A measure stated twice in one form
-- (duplicated rows) counts once, at its largest target. Unit costs are comparable only
-- within one budget year, one purpose and one measure: the peer_* columns count that group.
with targets as (
    select
        project_key,
        measure_code,
        max(value_base) as value_base,
        count(*) as n_indicator_rows
    from {{ ref('fct_indicator_target') }}
    where project_key is not null
        and measure_code is not null
        and value_base > 0
    group by project_key, measure_code
),

measures as (
    -- count units a measure accepts (个 and 处 of hazard points) are one unit: its first
    select measure_code, split_part(base_units, '|', 1) as base_unit
    from {{ ref('comparable_measures') }}
    where unit_cost
),

funding as (
    select * from {{ ref('fct_project_funding') }}
),

purposes as (
    select form_id as project_key, purpose_code from {{ ref('int_projects__purposes') }}
)

select
    targets.project_key,
    targets.measure_code,
    funding.budget_year,
    funding.region_key,
    funding.department_key,
    funding.budget_total_wan,
    targets.value_base,
    measures.base_unit,
    targets.n_indicator_rows,
    count(*) over (partition by targets.project_key) as n_measures_in_project,
    funding.budget_total_wan * 10000 / targets.value_base as yuan_per_unit,
    purposes.purpose_code,
    count(*) over peers as peer_projects,
    count(distinct funding.region_key) over peers as peer_counties
from targets
inner join measures using (measure_code)
inner join funding using (project_key)
inner join purposes using (project_key)
where funding.budget_total_wan > 0
window peers as (partition by funding.budget_year, purposes.purpose_code, targets.measure_code)
