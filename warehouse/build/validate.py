"""Validate a warehouse with the Great Expectations suites in expectations/suites/ before it is
published. Each suite file is a GX expectation suite (JSON, kept in git) whose `meta.query`
selects the rows it validates; the rows are read from DuckDB into a dataframe, because GX's
SQL datasources do not list DuckDB. Data Docs are written under reports/data_docs/ and a
summary row per suite goes into raw.validation_runs of the validated file."""
from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from warehouse.build.datadocs import make_offline
from warehouse.paths import PROJECT_ROOT, reports_dir

SUITES_DIR = PROJECT_ROOT / "expectations" / "suites"
RUNS_TABLE = "raw.validation_runs"


class ValidationFailed(RuntimeError):
    pass


@dataclass
class Failure:
    suite: str
    expectation: str
    column: str | None
    severity: str
    unexpected: int | None
    examples: list

    def describe(self) -> str:
        where = f"{self.suite}.{self.column}" if self.column else self.suite
        count = f"{self.unexpected} rows, " if self.unexpected is not None else ""
        return f"{where}: {self.expectation} failed ({count}e.g. {self.examples[:3]})"


@dataclass
class SuiteResult:
    suite: str
    description: str
    n_rows: int
    n_expectations: int
    failures: list[Failure] = field(default_factory=list)

    def failed(self, severity: str) -> list[Failure]:
        return [f for f in self.failures if f.severity == severity]


@dataclass
class ValidationReport:
    run_id: str
    suites: list[SuiteResult]
    docs_index: Path | None

    @property
    def critical(self) -> list[Failure]:
        return [f for s in self.suites for f in s.failed("critical")]

    @property
    def warnings(self) -> list[Failure]:
        return [f for s in self.suites for f in s.failed("warning")]


def load_suites(suites_dir: Path = SUITES_DIR) -> list[dict]:
    suites = []
    for path in sorted(suites_dir.glob("*.json")):
        spec = json.loads(path.read_text(encoding="utf-8"))
        if "query" not in spec.get("meta", {}):
            raise ValueError(f"{path}: suite has no meta.query saying which rows it validates")
        suites.append(spec)
    return suites


def _context(docs_dir: Path):
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")   # no telemetry calls from the build
    import great_expectations as gx
    from great_expectations.data_context.types.base import (
        DataContextConfig, InMemoryStoreBackendDefaults, ProgressBarsConfig)

    config = DataContextConfig(store_backend_defaults=InMemoryStoreBackendDefaults(),
                               progress_bars=ProgressBarsConfig(globally=False))
    context = gx.get_context(mode="ephemeral", project_config=config)
    context.add_data_docs_site("local_site", {
        "class_name": "SiteBuilder",
        "store_backend": {"class_name": "TupleFilesystemStoreBackend",
                          "base_directory": str(docs_dir)},
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
    })
    return context


def validate(db_file: Path, docs_dir: Path | None = None,
             suites_dir: Path = SUITES_DIR) -> ValidationReport:
    """Run every suite on db_file, record the summary in it, write Data Docs. Returns the
    report; raises ValidationFailed (after recording) when a critical expectation failed."""
    import great_expectations as gx

    docs_dir = docs_dir or reports_dir() / "data_docs"
    docs_dir.mkdir(parents=True, exist_ok=True)
    context = _context(docs_dir)
    source = context.data_sources.add_pandas("warehouse")
    run_id = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ-") + uuid.uuid4().hex[:8]
    results = []
    specs = load_suites(suites_dir)
    with duckdb.connect(str(db_file), read_only=True) as con:
        frames = {spec["name"]: con.execute(spec["meta"]["query"]).df() for spec in specs}
    for spec in specs:
        name = spec["name"]
        suite = context.suites.add(gx.ExpectationSuite(
            name=name, expectations=spec["expectations"], meta=spec["meta"]))
        batch = source.add_dataframe_asset(name).add_batch_definition_whole_dataframe("all_rows")
        definition = context.validation_definitions.add(
            gx.ValidationDefinition(name=name, data=batch, suite=suite))
        outcome = definition.run(batch_parameters={"dataframe": frames[name]})
        result = SuiteResult(name, spec["meta"].get("description", ""), len(frames[name]),
                             len(spec["expectations"]))
        for check in outcome.results:
            if check.success:
                continue
            config = check.expectation_config
            result.failures.append(Failure(
                name, config.type, config.kwargs.get("column"), str(config.severity.value),
                check.result.get("unexpected_count"),
                [_plain(v) for v in check.result.get("partial_unexpected_list") or
                 [check.result.get("observed_value")]]))
        results.append(result)
    context.build_data_docs()   # once, for all suites
    make_offline(docs_dir)      # CDN scripts and styles → vendored copies, so the pages render offline
    index = docs_dir / "index.html"
    report = ValidationReport(run_id, results, index if index.exists() else None)
    record(db_file, report)
    if report.critical:
        lines = "\n  ".join(f.describe() for f in report.critical)
        raise ValidationFailed(f"{len(report.critical)} critical expectation(s) failed on {db_file.name}:"
                               f"\n  {lines}\nData Docs: {report.docs_index}")
    return report


def _plain(value):
    """Unexpected values as JSON-friendly plain values (numpy and NaN included)."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    return value if isinstance(value, (int, float, str, bool, type(None))) else str(value)


def record(db_file: Path, report: ValidationReport) -> None:
    """One row per suite of this run in raw.validation_runs (history carries over builds)."""
    import great_expectations as gx

    at = datetime.now(timezone.utc)
    with duckdb.connect(str(db_file)) as con:
        con.execute(f"""create table if not exists {RUNS_TABLE} (
            run_id varchar, validated_at timestamptz, suite varchar, description varchar,
            n_rows bigint, n_expectations integer, success boolean, n_failed_critical integer,
            n_failed_warning integer, failures json, gx_version varchar)""")
        con.executemany(f"insert into {RUNS_TABLE} values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [
            (report.run_id, at, s.suite, s.description, s.n_rows, s.n_expectations,
             not s.failed("critical"), len(s.failed("critical")), len(s.failed("warning")),
             json.dumps([f.__dict__ for f in s.failures], ensure_ascii=False), gx.__version__)
            for s in report.suites])
