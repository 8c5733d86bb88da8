{#- A finding's message from its rule's template, in one pass: the template (from the
    finding_rules seed) is split into its placeholders and the text between them, and each
    placeholder is replaced by its value. Values are never read as templates, so a project
    named 《{indicator}》 or [bold]x[/] stays exactly as written. -#}
{% macro render_message(template, form, indicator, observed, expected) -%}
array_to_string(
    list_transform(
        regexp_extract_all({{ template }}, '\{[a-z_]+\}|[^{]+|\{'),
        lambda part: case part
            when '{form}' then coalesce({{ form }}, '')
            when '{indicator}' then coalesce({{ indicator }}, '')
            when '{observed}' then coalesce({{ observed }}, '')
            when '{expected}' then coalesce({{ expected }}, '')
            else part
        end
    ),
    ''
)
{%- endmacro %}
