"""Validate a warehouse with the Great Expectations suites in expectations/suites/ before it is
published. Each suite file is a GX expectation suite (JSON, kept in git) whose `meta.query`
selects the rows it validates and `meta.model` names the model they belong to.

The suites check that the warehouse is sound (keys, types, references, row counts against
what was ingested): a failed `critical` expectation blocks the publish and names the model
and, where the failing rows come from documents, their files. What documents *say* (a 120%
rate, a budget of 0) is not checked here: those are findings on their forms
(marts.fct_target_findings), never a reason not to publish.

The expectations are evaluated in DuckDB as SQL aggregates (warehouse.build.expectations_sql):
only counts and a few examples leave the database. Their results are recorded through GX as
ExpectationSuiteValidationResults, so GX renders the Data Docs (under reports/data_docs/); a
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
from warehouse.build.expectations_sql import SUPPORTED, Outcome, evaluate_suite, plain
from warehouse.paths import PROJECT_ROOT, reports_dir

SUITES_DIR = PROJECT_ROOT / "expectations" / "suites"
RUNS_TABLE = "raw.validation_runs"


class ValidationFailed(RuntimeError):
    def __init__(self, message: str, report: ValidationReport | None = None):
        super().__init__(message)
        self.report = report


@dataclass
class Failure:
    suite: str
    expectation: str
    column: str | None
    severity: str
    unexpected: int | None
    examples: list
    model: str | None = None
    files: list[str] = field(default_factory=list)

    def describe(self) -> str:
        where = f"{self.suite}.{self.column}" if self.column else self.suite
        model = f"{self.model}: " if self.model else ""
        count = f"{self.unexpected} rows, " if self.unexpected is not None else ""
        files = ""
        if self.files:
            files = f"; file{'s' if len(self.files) > 1 else ''}: {', '.join(self.files[:5])}"
            if len(self.files) > 5:
                files += f" and {len(self.files) - 5} more"
        return f"{model}{where}: {self.expectation} failed ({count}e.g. {self.examples[:3]}){files}"


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
        unknown = {e["type"] for e in spec["expectations"]} - SUPPORTED
        if unknown:
            raise ValueError(f"{path}: expectations not evaluated in SQL: {sorted(unknown)}")
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


def validate(db_file: Path, docs_dir: Path | None = None, suites_dir: Path = SUITES_DIR,
             progress=None) -> ValidationReport:
    """Run every suite on db_file, record the summary in it, write Data Docs. Returns the
    report; raises ValidationFailed (after recording) when a critical expectation failed."""
    import great_expectations as gx
    from great_expectations.core.expectation_validation_result import (
        ExpectationSuiteValidationResult, ExpectationValidationResult)
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier, ValidationResultIdentifier)

    docs_dir = docs_dir or reports_dir() / "data_docs"
    docs_dir.mkdir(parents=True, exist_ok=True)
    context = _context(docs_dir)
    at = datetime.now(timezone.utc)
    run_id = at.strftime("%Y%m%dT%H%M%SZ-") + uuid.uuid4().hex[:8]
    gx_run = RunIdentifier(run_name=run_id, run_time=at)
    specs = load_suites(suites_dir)
    results = []
    with duckdb.connect(str(db_file), read_only=True) as con:
        for n, spec in enumerate(specs):
            if progress:
                progress(n, len(specs), spec["name"])
            name, meta = spec["name"], spec["meta"]
            suite = context.suites.add(gx.ExpectationSuite(
                name=name, expectations=spec["expectations"], meta=meta))
            try:
                n_rows, outcomes = evaluate_suite(con, meta["query"], spec["expectations"],
                                                  meta.get("example_columns"))
            except duckdb.Error as exc:   # a table or column missing: the warehouse is broken
                n_rows, outcomes = 0, [Outcome(False, {"observed_value": None,
                                                       "details": f"{type(exc).__name__}: {exc}"})
                                       for _ in spec["expectations"]]
                outcomes[0].rows = [{"query failed": f"{type(exc).__name__}: {str(exc)[:300]}"}]
            result = SuiteResult(name, meta.get("description", ""), n_rows, len(spec["expectations"]))
            checks = []
            for expectation, outcome in zip(suite.expectations, outcomes):
                config = expectation.configuration
                checks.append(ExpectationValidationResult(
                    success=outcome.success, expectation_config=config, result=outcome.result,
                    exception_info={"raised_exception": False, "exception_traceback": None,
                                    "exception_message": None}))
                if outcome.success:
                    continue
                res = outcome.result
                result.failures.append(Failure(
                    name, config.type, config.kwargs.get("column"), str(config.severity.value),
                    res.get("unexpected_count"),
                    outcome.rows or [plain(v) for v in res.get("partial_unexpected_list")
                                     or [res.get("observed_value")]],
                    meta.get("model"), outcome.files))
            results.append(result)
            passed = sum(c.success for c in checks)
            suite_result = ExpectationSuiteValidationResult(
                success=passed == len(checks), results=checks, suite_name=name,
                statistics={"evaluated_expectations": len(checks), "successful_expectations": passed,
                            "unsuccessful_expectations": len(checks) - passed,
                            "success_percent": 100.0 * passed / len(checks) if checks else 100.0},
                meta={"great_expectations_version": gx.__version__,
                      "batch_spec": {"data_asset_name": meta.get("model") or name,
                                     "evaluated_in": "DuckDB (SQL aggregates)", "query": meta["query"]},
                      "batch_markers": {"ge_load_time": at.strftime("%Y%m%dT%H%M%S.%fZ")},
                      "active_batch_definition": {"datasource_name": "warehouse",
                                                  "data_connector_name": "duckdb_sql",
                                                  "data_asset_name": meta.get("model") or name,
                                                  "batch_identifiers": {}},
                      "run_id": gx_run, "validation_time": at, "checkpoint_id": None,
                      "validation_id": None, "batch_parameters": None})
            suite_id = ExpectationSuiteIdentifier(name=name)
            context.validation_results_store.store_validation_results(
                suite_validation_result=suite_result,
                suite_validation_result_identifier=ValidationResultIdentifier(
                    expectation_suite_identifier=suite_id, run_id=gx_run,
                    batch_identifier=f"duckdb-{name}"),
                expectation_suite_identifier=suite_id)
    context.build_data_docs()   # once, for all suites
    make_offline(docs_dir)      # CDN scripts and styles → vendored copies, so the pages render offline
    index = docs_dir / "index.html"
    report = ValidationReport(run_id, results, index if index.exists() else None)
    record(db_file, report)
    if report.critical:
        lines = "\n  ".join(f.describe() for f in report.critical)
        raise ValidationFailed(f"{len(report.critical)} critical expectation(s) failed on {db_file.name}:"
                               f"\n  {lines}\nData Docs: {report.docs_index}", report)
    return report


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
