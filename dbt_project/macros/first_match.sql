-- The code of the highest-priority row of a seed (columns code, priority, pattern, and
-- base_units when `unit` is given) whose pattern matches `text` and, with `unit`, whose
-- `|`-separated base_units include it; null when none does. Written out as a CASE over the
-- seed's patterns as constants: each regex is compiled once, where a join on the pattern
-- column compiles it again for every row (minutes on a national warehouse). The seed is read
-- when the model runs (after the seed is loaded); the model must also ref() it.
{% macro first_match(text, seed, code, unit=none) -%}
{%- if execute -%}
{%- set rows = run_query("select " ~ code ~ ", pattern" ~ (", base_units" if unit else "")
                         ~ " from " ~ seed ~ " order by priority, " ~ code) -%}
case
{%- for row in rows %}
    when {% if unit %}{{ unit }} in ({% for u in row[2].split('|') %}{{ sql_literal(u) }}{{ ", " if not loop.last }}{% endfor %}) and {% endif -%}
    regexp_matches({{ text }}, {{ sql_literal(row[1]) }}) then {{ sql_literal(row[0]) }}
{%- endfor %}
end
{%- else -%}
cast(null as varchar)
{%- endif -%}
{%- endmacro %}

{% macro sql_literal(value) -%}
'{{ value | replace("'", "''") }}'
{%- endmacro %}
