-- The region of every form, found two ways: from the names printed in its document (resolved
-- by the ingest step against the national table: a county-level area, a city's or province's
-- own level, or a functional zone named after its city) and from the first six digits of its
-- project code. The document decides when both exist; a disagreement is kept in
-- region_conflict so that it can be reported.
with regions as (
    select region_key, admin_code from {{ ref('int_regions__all') }}
),

forms as (
    select
        f.form_id,
        f.project_code,
        d.admin_code as document_admin_code,
        d.county as document_county,
        d.region_type as document_region_type,
        case when regexp_matches(f.project_code, '^[0-9]{6}') then left(f.project_code, 6) end
            as code_prefix
    from {{ ref('stg_forms__forms') }} as f
    inner join {{ ref('stg_forms__documents') }} as d using (document_id)
),

from_document as (
    -- by admin code, or a functional zone (no code) by its name
    select
        forms.form_id,
        coalesce(by_code.region_key, zones.region_key) as region_key
    from forms
    left join regions as by_code
        on by_code.admin_code = forms.document_admin_code
    left join regions as zones
        on forms.document_admin_code is null
        and forms.document_region_type = '功能区'
        and zones.region_key = 'zone:' || forms.document_county
),

from_code as (
    select forms.form_id, regions.region_key
    from forms
    inner join regions on regions.admin_code = forms.code_prefix
)

select
    forms.form_id,
    from_document.region_key as region_key_from_document,
    from_code.region_key as region_key_from_code,
    forms.code_prefix,
    coalesce(from_document.region_key, from_code.region_key, 'unknown') as region_key,
    case
        when from_document.region_key is not null and from_code.region_key is not null
            then 'document and project code'
        when from_document.region_key is not null then 'document'
        when from_code.region_key is not null then 'project code'
        else 'unresolved'
    end as region_basis,
    coalesce(from_document.region_key <> from_code.region_key, false) as region_conflict
from forms
left join from_document using (form_id)
left join from_code using (form_id)
