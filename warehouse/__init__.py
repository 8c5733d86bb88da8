"""The jixiao warehouse: loading parsed documents into DuckDB, building it with dbt, and
publishing it for notebooks and reports."""
