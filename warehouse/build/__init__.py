"""The build: find and take in the documents (intake, load), run dbt (dbt), validate with the
Great Expectations suites (validate), and publish the file in one rename (publish), one build
per warehouse at a time (lock), every run logged (runlog)."""
from warehouse.build.publish import BuildSummary, DocumentSummary, build, generate_docs, survey

__all__ = ["BuildSummary", "DocumentSummary", "build", "generate_docs", "survey"]
