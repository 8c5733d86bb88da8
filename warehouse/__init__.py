"""The jixiao warehouse, in two parts that can be read on their own: `build` (load, dbt,
validate, publish) and `analysis` (queries, charts, report); plus the command line and paths."""
