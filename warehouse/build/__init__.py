"""The build: load parsed documents into DuckDB (load), run dbt (dbt), validate with the
Great Expectations suites (validate), and publish the file in one rename (publish)."""
from warehouse.build.publish import BuildSummary, DocumentSummary, build, generate_docs, ingest, summarise

__all__ = ["BuildSummary", "DocumentSummary", "build", "generate_docs", "ingest", "summarise"]
