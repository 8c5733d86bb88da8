"""`jixiao build`: take the documents now under the sources into a copy of the warehouse, run
dbt on it, validate it, and publish it by renaming it over the published file.

- One build per warehouse at a time (warehouse.build.lock); what a killed build left behind
  (the building copy and its write-ahead log) is cleared by the next one.
- Readers of the published file are never blocked and never see a partial file: they keep
  the file they opened, and the rename swaps in a complete, checkpointed, fsynced file.
- A build that fails (dbt, a critical expectation, anything unexpected) leaves the published
  file untouched, and says why; the run is logged either way (warehouse.build.runlog).
- Exit codes: 0 every document loaded and published; 2 published, but some documents were
  skipped or unreadable (or a source folder was empty); 1 nothing published.
"""
from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from ingest.sources import check_sources, discover
from warehouse.build.dbt import built_with, project_digest, record_built, run_dbt
from warehouse.build.intake import FileOutcome, Removed, take_in
from warehouse.build.load import ensure_schema
from warehouse.build.lock import BuildLock
from warehouse.build.runlog import Journal, Run, now, record_runs
from warehouse.paths import build_file, dbt_dir
from warehouse.paths import reports_dir as default_reports
from warehouse.reading import clear_stale_links

if TYPE_CHECKING:
    from warehouse.build.validate import ValidationReport

Progress = Callable[[str, int, int, str], None]   # (stage, done, total, item)
STAGES = ("ingest", "dbt", "validate", "publish")
DocumentSummary = FileOutcome   # one file of the build (name kept for callers)


@dataclass
class BuildSummary:
    warehouse: Path
    run_id: str = ""
    documents: list[FileOutcome] = field(default_factory=list)   # every file under the sources
    removed: list[Removed] = field(default_factory=list)          # files gone since the last build
    warnings: list[str] = field(default_factory=list)   # dbt tests of severity warn, GX warnings
    source_problems: list[str] = field(default_factory=list)      # a source folder with no documents
    notes: list[str] = field(default_factory=list)      # leftovers cleared, earlier runs that died
    validation: ValidationReport | None = None
    findings: dict[str, int] = field(default_factory=dict)        # findings by severity
    parsed: int = 0                                      # documents read (the rest were unchanged)
    full_refresh: bool = True                            # dbt rebuilt every model (else incremental)
    seconds: dict[str, float] = field(default_factory=dict)       # per stage
    published: bool = False

    @property
    def problems(self) -> list[FileOutcome]:
        return [d for d in self.documents if d.is_problem]

    def count(self, status: str) -> int:
        return sum(1 for d in self.documents if d.status == status and d.kind != "other")

    def changes(self, change: str) -> list[str]:
        if change == "removed":
            return [r.source_file for r in self.removed if r.kind != "other"]
        return [d.source_file for d in self.documents if d.change == change and d.kind != "other"]

    @property
    def exit_code(self) -> int:
        if not self.published:
            return 1
        return 2 if self.problems or self.source_problems else 0

    def run_counts(self) -> dict[str, int]:
        counts = {"n_files": len(self.documents)}
        for status in ("loaded", "duplicate", "skipped", "unreadable"):
            counts[f"n_{status}"] = self.count(status)
        for change in ("added", "changed", "removed", "unchanged"):
            counts[f"n_{change}"] = len(self.changes(change))
        return counts


def build(sources: Iterable[Path], published: Path, progress: Progress | None = None,
          validate: bool = True, reports_dir: Path | None = None, wait: bool = False,
          wait_timeout: float | None = None, on_wait: Callable[[dict], None] | None = None
          ) -> BuildSummary:
    """Build and publish. Raises SourceMissing (a source is not there: nothing touched),
    LockBusy (another build holds the warehouse), DbtFailed or ValidationFailed (the
    published warehouse left as it was)."""
    sources = [Path(s) for s in sources]
    check_sources(sources)
    published = Path(published).absolute()   # dbt resolves relative paths from its project
    published.parent.mkdir(parents=True, exist_ok=True)
    lock = BuildLock(published).acquire(wait=wait, timeout=wait_timeout, on_wait=on_wait)
    journal = Journal(published)
    run = Run.begin(sources, published)
    building = build_file(published)
    summary: BuildSummary | None = None
    try:
        journal.start(run)
        summary = BuildSummary(published, run.run_id)
        _build(sources, published, building, run, journal, lock, summary,
               progress or (lambda *a: None), validate, reports_dir)
        run.exit_code, run.published = summary.exit_code, True
    except BaseException as exc:
        # a stop signal that lands inside a DuckDB query comes back as its "Query interrupted"
        reason = f"interrupted by signal {stopped_by}" if stopped_by else f"{type(exc).__name__}: {exc}"
        run.exit_code, run.error = 1, reason[:4000]
        _remove(building)
        raise
    finally:
        run.finished_at = now()
        if summary is not None:
            run.counts, run.seconds = summary.run_counts(), dict(summary.seconds)
        try:
            journal.end(run)
        finally:
            lock.release()
    return summary


# The signal that stops this process's build (set by the command line's SIGTERM handler).
stopped_by: int | None = None


def _build(sources: list[Path], published: Path, building: Path, run: Run, journal: Journal,
           lock: BuildLock, summary: BuildSummary, progress: Progress, validate: bool,
           reports_dir: Path | None) -> None:
    def stage(name: str) -> None:
        lock.update(stage=name, run_id=run.run_id)
        progress(name, 0, 0, "")

    cleared = [p.name for p in (building, _wal(building)) if p.exists()]
    _remove(building)
    if cleared:
        summary.notes.append(f"cleared what an interrupted build left: {', '.join(cleared)}")
    links = clear_stale_links(published)   # warehouse.reading: a reader killed while opening
    if links:
        summary.notes.append(f"removed what killed readers left: {', '.join(links)}")
    earlier = [r for r in journal.runs() if r.run_id != run.run_id]
    died = [r for r in earlier if r.exit_code is None and r.finished_at is None]
    if died:
        summary.notes.append(f"{len(died)} earlier build(s) did not finish: "
                             + ", ".join(r.run_id for r in died[-3:]))
    if published.exists():
        shutil.copyfile(published, building)   # history, run log and unchanged documents carry over

    t = time.perf_counter()
    stage("ingest")
    entries = discover(sources)
    for source in sources:
        if source.is_dir() and not any(e.root == source and e.kind == "document" for e in entries):
            summary.source_problems.append(f"{source}: the folder holds no documents")
    with duckdb.connect(str(building)) as con:
        ensure_schema(con)
        intake = take_in(con, entries, run.run_id, progress)
        record_runs(con, earlier)
        previous_digest = built_with(con)
    summary.documents, summary.removed, summary.parsed = intake.files, intake.removed, intake.parsed
    summary.seconds["ingest"] = time.perf_counter() - t

    t = time.perf_counter()
    stage("dbt")
    work = dbt_dir(published)
    # Models incremental by form add and delete the rows of changed documents only; what they
    # were built with must be what builds them now, else every model is rebuilt.
    digest = project_digest()
    summary.full_refresh = previous_digest != digest
    if summary.full_refresh and previous_digest is not None:
        summary.notes.append("every dbt model rebuilt: the dbt project, the ingest code or the "
                             "dbt/DuckDB version changed since the last build")
    # The seeds, their own tests and the unit tests (SQL on fixed fixtures) depend on the
    # project alone: with the digest unchanged they are what the last full build loaded and
    # passed, so only a full build runs them. `cautious` keeps every test that reads a model
    # or raw, also one that checks a model against a seed (measured: 87 of 368 nodes left
    # out, about 1.7 s of an incremental build at 200k forms).
    command = ["build", "--full-refresh"] if summary.full_refresh else \
        ["build", "--exclude", "resource_type:seed", "resource_type:unit_test",
         "--indirect-selection", "cautious"]
    summary.warnings = run_dbt(building, *command, target_path=work / "target",
                               log_path=work / "logs",
                               progress=lambda d, n, item: progress("dbt", d, n, item))
    summary.seconds["dbt"] = time.perf_counter() - t

    if validate:
        from warehouse.build.validate import validate as run_expectations

        t = time.perf_counter()
        stage("validate")
        summary.validation = run_expectations(
            building, default_reports(reports_dir) / "data_docs",
            progress=lambda d, n, item: progress("validate", d, n, item))
        summary.warnings += [f.describe() for f in summary.validation.warnings]
        summary.seconds["validate"] = time.perf_counter() - t

    t = time.perf_counter()
    stage("publish")
    with duckdb.connect(str(building)) as con:
        summary.findings = dict(con.execute(
            "select severity, count(*) from marts.fct_target_findings group by 1").fetchall())
        summary.published = True   # what the run row says: published unless the rename fails
        run.exit_code, run.published = summary.exit_code, True
        run.finished_at, run.counts = now(), summary.run_counts()
        run.seconds = dict(summary.seconds)
        record_runs(con, [run])
        record_built(con, digest, run.run_id, summary.full_refresh)
        con.execute("CHECKPOINT")  # everything in the main file before it is renamed
    if _wal(building).exists():
        summary.published = False
        raise RuntimeError(f"{_wal(building)} remains after checkpoint; not publishing a partial file")
    _fsync(building)
    os.replace(building, published)
    _fsync(published.parent)
    summary.seconds["publish"] = time.perf_counter() - t


def _wal(db: Path) -> Path:
    return db.with_name(db.name + ".wal")


def _remove(building: Path) -> None:
    for path in (building, _wal(building)):
        try:
            path.unlink()
        except FileNotFoundError:
            pass


def _fsync(path: Path) -> None:
    """Make the file (or the folder's entry for it) durable before and after the rename."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def survey(sources: Iterable[Path], progress: Progress | None = None) -> tuple[list[FileOutcome], list]:
    """What a build of these sources would take in, without touching any warehouse: every
    file with its status, and every parse issue as (source_file, where, severity, code,
    reason). Runs the build's own intake against an in-memory database."""
    sources = [Path(s) for s in sources]
    entries = discover(sources)
    with duckdb.connect(":memory:") as con:
        ensure_schema(con)
        intake = take_in(con, entries, "survey", progress or (lambda *a: None))
        issues = con.execute("select source_file, source_line, severity, code, reason "
                             "from raw.parse_issues order by source_file, issue_seq").fetchall()
    return intake.files, issues


def generate_docs(published: Path, out: Path) -> Path:
    """`dbt docs generate --static` against a copy of the published warehouse (so neither its
    readers nor a running build are disturbed); returns the self-contained HTML page."""
    import tempfile

    if not published.exists():
        raise FileNotFoundError(f"{published}: no warehouse here; run `jixiao build` first")
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "docs.duckdb"
        shutil.copyfile(published, copy)
        run_dbt(copy, "docs", "generate", "--static", target_path=out)
    return out / "static_index.html"
