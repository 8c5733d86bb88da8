-- One row per document that was read; failed files stay in raw.documents and parse_issues.
select
    document_id,
    source_file,
    layout,
    rendering,
    format,
    title,
    province,
    city,
    county,
    admin_code,
    region_type,
    region_basis,
    department_name,
    budget_year,
    n_forms,
    n_indicators,
    n_issues,
    loaded_at
from {{ source('forms', 'documents') }}
where status = 'loaded'
