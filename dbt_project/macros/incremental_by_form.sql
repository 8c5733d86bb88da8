-- Models incremental by form: a build adds the rows of the forms the table does not hold yet
-- and deletes the rows of the forms no longer loaded, so a corrected document costs its own
-- rows, not a rebuild of every row of the warehouse.
--
-- Why the form is the unit: a form's id is derived from its document's SHA-256, so a changed
-- document is new forms and its old forms are gone; a renamed file keeps its forms under a new
-- source_file, so a model that carries source_file compares it too (by_file). Nothing else
-- changes the rows of an unchanged form except the code and reference data that make them (a
-- model, a seed, a var, the ingest code): after such a change the models need
-- `dbt build --full-refresh`, which `jixiao build` runs by itself when the digest of the dbt
-- project and the ingest code differs from the one the warehouse was built with
-- (warehouse/build/dbt.py). A model using these is materialized 'incremental' and deletes
-- first:
--   pre_hook="{{ delete_forms_gone(ref('stg_forms__forms')) }}"
-- then selects only the new forms:
--   where {{ is_form_to_build('x.form_id', ref('stg_forms__forms')) }}

-- Whether `column` (a form id) is one of the forms of `forms` whose rows this model does not
-- hold yet: every form when the model is built from scratch. `key` is the model's own column
-- holding the form id.
{% macro is_form_to_build(column, forms, key='form_id', by_file=false) -%}
{%- set file = ', source_file' if by_file else '' -%}
{%- if is_incremental() -%}
{{ column }} in (
    select form_id from (
        select form_id{{ file }} from {{ forms }}
        except
        select {{ key }}{{ file }} from {{ this }}
    )
)
{%- else -%}
true
{%- endif -%}
{%- endmacro %}

-- Delete the rows of forms that are not in `forms` any more (or, by_file, not under that file).
-- Empty when the model is built from scratch (dbt skips an empty hook).
{% macro delete_forms_gone(forms, key='form_id', by_file=false) -%}
{%- set file = ', source_file' if by_file else '' -%}
{%- if is_incremental() -%}
delete from {{ this }} where {{ key }} in (
    select {{ key }} from (
        select {{ key }}{{ file }} from {{ this }}
        except
        select form_id{{ file }} from {{ forms }}
    )
)
{%- endif -%}
{%- endmacro %}
