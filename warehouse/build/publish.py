"""`jixiao build`: ingest documents into a copy of the warehouse, run dbt on it, and publish
it by renaming it over the published file. Readers of the published file are never blocked:
they keep the file they opened, and a failed build leaves the published file untouched."""
from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from ingest.pipeline import find_documents, parse_file
from ingest.records import ParsedDocument
from warehouse.build.dbt import run_dbt
from warehouse.build.load import ensure_schema, load_document
from warehouse.paths import build_file
from warehouse.paths import reports_dir as default_reports

if TYPE_CHECKING:
    from warehouse.build.validate import ValidationReport


@dataclass
class DocumentSummary:
    source_file: str
    layout: str
    county: str | None
    budget_year: int | None
    forms: int
    indicators: int
    errors: int
    warnings: int
    infos: int
    status: str
    reason: str | None = None   # why a document that could not be read was not (its first error)
    format: str | None = None   # how it was read: "txt (utf-8)", "doc→docx (LibreOffice)", …


@dataclass
class BuildSummary:
    warehouse: Path
    documents: list[DocumentSummary] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)   # dbt tests of severity warn, GX warnings
    validation: ValidationReport | None = None
    published: bool = False


def summarise(doc: ParsedDocument, status: str) -> DocumentSummary:
    sev = [i.severity for i in doc.issues]
    error = next((i for i in doc.issues if i.severity == "error"), None)
    return DocumentSummary(doc.source_file, doc.layout, doc.county, doc.budget_year, len(doc.forms),
                           sum(len(f.indicators) for f in doc.forms), sev.count("error"),
                           sev.count("warning"), sev.count("info"), status,
                           f"{error.code}: {error.reason}" if error else None, doc.format)


def ingest(db_file: Path, sources: Iterable[Path],
           progress: Callable[[str], None] = lambda name: None) -> list[DocumentSummary]:
    """Parse and load every document into db_file's raw schema, one transaction each."""
    out = []
    with duckdb.connect(str(db_file)) as con:
        ensure_schema(con)
        for path in find_documents(sources):
            progress(path.name)
            doc = parse_file(path) if path.exists() else _missing(path)
            outcome = load_document(con, doc)
            out.append(summarise(doc, outcome.status))
    return out


def _missing(path: Path) -> ParsedDocument:
    from ingest.records import ParseIssue

    doc = ParsedDocument(source_file=path.name, sha256="missing:" + str(path), layout="unreadable")
    doc.issues.append(ParseIssue("file", "error", "NOT_FOUND", f"no such file: {path}"))
    return doc


def build(sources: Iterable[Path], published: Path,
          progress: Callable[[str], None] = lambda name: None,
          validate: bool = True, reports_dir: Path | None = None) -> BuildSummary:
    """Ingest into a building copy of the warehouse, run dbt, validate it with the Great
    Expectations suites, then publish. Raises (DbtFailed, ValidationFailed) on failure with
    the published warehouse left as it was."""
    published.parent.mkdir(parents=True, exist_ok=True)
    building = build_file(published)
    if building.exists():
        building.unlink()
    if published.exists():
        shutil.copyfile(published, building)  # raw history carries over; nothing loaded is lost
    summary = BuildSummary(published)
    summary.documents = ingest(building, sources, progress)
    progress("dbt build")
    summary.warnings = run_dbt(building)
    if validate:
        from warehouse.build.validate import validate as run_expectations

        progress("Great Expectations")
        docs = default_reports(reports_dir) / "data_docs"
        summary.validation = run_expectations(building, docs)
        summary.warnings += [f.describe() for f in summary.validation.warnings]
    with duckdb.connect(str(building)) as con:
        con.execute("CHECKPOINT")  # everything in the main file before it is renamed
    wal = building.with_name(building.name + ".wal")
    if wal.exists():
        raise RuntimeError(f"{wal} remains after checkpoint; not publishing a partial file")
    os.replace(building, published)
    summary.published = True
    return summary


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
