"""The intake of a build: which files are under the sources now, which version of each is
loaded, which are duplicates of which, and what changed since the last build.

The sources are declarative: after the intake, raw holds the content of exactly the files now
under the sources (one version each), raw.source_files lists every file seen with its status
(loaded, duplicate, skipped, unreadable) and reason, and raw.document_history gets one event
per file added, changed or removed. Files are taken in the order of their relative paths, so
of two copies of one document the first by path is loaded and the other is its duplicate:
the same choice in every build.

Reading bytes is the only I/O per file; parsing is `ingest.pipeline.parse_bytes(data, name)`,
a pure function, and a version already read by the same ingest code is not read again.
"""
from __future__ import annotations

import gc
import hashlib
import os
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing import get_context
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from ingest.fingerprint import fingerprint
from ingest.pipeline import SUFFIXES, parse_bytes
from ingest.sources import SourceFile, UnreadableFile, read_bytes
from warehouse.build.load import (RawWriter, columns_for, ingest_version, prune, rename,
                                  stored_documents, write_books)

Progress = Callable[[str, int, int, str], None]   # (stage, done, total, item)


@dataclass
class FileOutcome:
    """One file under the sources: what the build did with it (a row of raw.source_files)."""
    source_file: str
    source_root: str
    kind: str                          # document | other (not a document format) | problem
    status: str = "unreadable"         # loaded | duplicate | skipped | unreadable
    reason: str | None = None
    duplicate_of: str | None = None
    duplicate_basis: str | None = None  # bytes (a byte copy) | content (the same forms)
    sha256: str | None = None
    fingerprint: str | None = None
    document_id: str | None = None     # the raw.documents version whose content this file is
    size_bytes: int | None = None
    modified_at: datetime | None = None
    format: str | None = None
    template: str | None = None        # the layout recognised
    county: str | None = None
    budget_year: int | None = None
    forms: int = 0                     # forms loaded from this file (0 unless loaded)
    indicators: int = 0
    errors: int = 0
    warnings: int = 0
    infos: int = 0
    change: str | None = None          # added | changed | unchanged (since the last build)

    @property
    def is_problem(self) -> bool:
        """A document that was not loaded and not a duplicate: what exit code 2 is about."""
        return self.kind != "other" and self.status in ("skipped", "unreadable")


@dataclass
class Removed:
    source_file: str
    sha256: str | None
    status: str | None
    kind: str | None = "document"


@dataclass
class Intake:
    files: list[FileOutcome]
    removed: list[Removed]
    parsed: int          # documents read this time (the others were unchanged)
    pruned: int          # versions whose content left raw


def _status_without_forms(layout: str | None) -> str:
    return "unreadable" if layout == "unreadable" else "skipped"


def take_in(con: duckdb.DuckDBPyConnection, entries: list[SourceFile], run_id: str,
            progress: Progress = lambda *a: None) -> Intake:
    version = ingest_version()
    stored = stored_documents(con, version)
    previous = {r[0]: (r[1], r[2], r[3]) for r in con.execute(
        "select source_file, sha256, status, kind from raw.source_files").fetchall()}
    known_duplicates = dict(con.execute(
        "select sha256, fingerprint from raw.source_files where status = 'duplicate' "
        "and duplicate_basis = 'content' and parser_version = ?", [version]).fetchall())
    writer = RawWriter(con)
    by_sha: dict[str, FileOutcome] = {}
    by_fingerprint: dict[str, FileOutcome] = {}
    paths: dict[str, str] = {}
    keep: set[str] = set()
    renames: dict[str, str] = {}
    files: list[FileOutcome] = []
    parsed = 0
    ahead = ReadAhead(stored, known_duplicates, version)
    for n, (entry, read) in enumerate(ahead.over(entries)):
        progress("ingest", n, len(entries), entry.source_file)
        out = FileOutcome(entry.source_file, str(entry.root), entry.kind)
        files.append(out)
        if entry.source_file in paths:
            out.status = "skipped"
            out.reason = (f"the same relative path as {entry.source_file} in {paths[entry.source_file]}: "
                          f"give sources whose files have distinct relative paths")
            continue
        paths[entry.source_file] = str(entry.root)
        if entry.kind == "problem":
            out.reason = entry.problem
            continue
        out.format = entry.suffix.lstrip(".") or None
        if entry.kind == "other":
            out.status, out.reason = "skipped", f"not a document format ({entry.suffix or 'no suffix'})"
            continue
        if entry.suffix not in SUFFIXES:
            out.status, out.reason = "skipped", f"{entry.suffix} documents are not read by this version"
            continue
        if read.error is not None:
            out.reason = read.error
            continue
        out.sha256, out.size_bytes = read.sha256, read.size
        out.modified_at = _mtime(entry.path)
        first = by_sha.get(out.sha256)
        if first is not None:   # a byte copy of a file taken earlier
            _same_as(out, first, "bytes")
            continue
        by_sha[out.sha256] = out
        cached = stored.get(out.sha256)
        done: Parsed | None = None
        if cached is not None:
            out.fingerprint = cached.fingerprint
            _describe_stored(out, cached)
        elif known_duplicates.get(out.sha256) in by_fingerprint:
            out.fingerprint = known_duplicates[out.sha256]
        else:
            done = read.parsed() or parse_task(read_bytes(entry.path), entry.source_file,
                                               entry.suffix, version)
            parsed += 1
            out.fingerprint = done.fingerprint
        winner = by_fingerprint.get(out.fingerprint) if out.fingerprint else None
        if winner is not None:   # the same forms as a file taken earlier
            if done is not None:
                _describe_parsed(out, done)
            _same_as(out, winner, "content")
            continue
        if out.fingerprint:
            by_fingerprint[out.fingerprint] = out
        out.document_id = out.sha256
        keep.add(out.sha256)
        if done is not None:
            writer.add_columns(done.columns)
            _describe_parsed(out, done)
        elif cached is not None and cached.source_file != out.source_file:
            renames[out.sha256] = out.source_file
        out.status = "loaded" if out.fingerprint else _status_without_forms(out.template)
        if out.status != "loaded":
            out.forms = out.indicators = 0
    progress("ingest", len(entries), len(entries), "")
    ahead.close()
    writer.flush()
    rename(con, renames)
    pruned = prune(con, keep)
    now = _now()
    history = []
    for out in files:
        if out.source_file not in previous:
            out.change = "added"
        else:
            out.change = "unchanged" if previous[out.source_file][0] == out.sha256 else "changed"
        if out.change != "unchanged":
            history.append({"run_id": run_id, "recorded_at": now, "source_file": out.source_file,
                            "change": out.change, "sha256": out.sha256,
                            "previous_sha256": previous.get(out.source_file, (None,))[0],
                            "status": out.status, "reason": out.reason})
    current = {f.source_file for f in files}
    removed = [Removed(name, sha, status, kind) for name, (sha, status, kind) in sorted(previous.items())
               if name not in current]
    history += [{"run_id": run_id, "recorded_at": now, "source_file": r.source_file,
                 "change": "removed", "sha256": None, "previous_sha256": r.sha256,
                 "status": None, "reason": None} for r in removed]
    write_books(con, [_book_row(f, version, run_id, now) for f in files], history)
    return Intake(files, removed, parsed, pruned)


@dataclass
class Parsed:
    """A document read: its raw.documents row (what the intake needs of it), and its raw rows
    as plain columns (load.columns_for): the intake turns many documents' columns into Arrow at
    once (measured: converting each document to Arrow in the worker made ingest 25% slower)."""
    document: dict
    columns: dict[str, dict[str, list]]

    @property
    def fingerprint(self) -> str | None:
        return self.document["fingerprint"]


def parse_task(data: bytes, name: str, suffix: str, version: str) -> Parsed:
    """Read one document into its raw rows: pure, so that it can run in a worker process."""
    doc = parse_bytes(data, name, suffix)
    columns = columns_for(doc, _now(), version, fingerprint(doc))
    columns["documents"]["size_bytes"] = [len(data)]
    return Parsed({name: values[0] for name, values in columns["documents"].items()}, columns)


@dataclass
class Read:
    """A file's bytes as the intake saw them: their hash, or why they could not be read, and
    (when it had to be read) the document being parsed."""
    sha256: str | None = None
    size: int | None = None
    error: str | None = None
    task: tuple | None = None        # to be parsed: (data, name, suffix, version)
    future: Future | None = None     # being parsed in a worker

    def parsed(self) -> Parsed | None:
        """The document parsed (in a worker, or here), or None when it was not to be parsed."""
        if self.future is not None:
            try:
                return self.future.result()
            except BrokenProcessPool:   # a worker was killed (out of memory, a native crash)
                pass                    # and took the pool with it: parse here instead
        return parse_task(*self.task) if self.task is not None else None


def _workers() -> int:
    """Parse workers: $JIXIAO_WORKERS, else one per core."""
    env = os.environ.get("JIXIAO_WORKERS")
    return max(1, int(env)) if env and env.isdigit() else (os.cpu_count() or 1)


def _worker_init() -> None:
    os.environ["JIXIAO_OCR_WORKERS"] = "1"   # one parse worker per core already: OCR in-process
    # A worker parses thousands of documents, each a burst of short-lived objects, beside
    # long-lived caches (the region table, label book, value cache): with the default
    # thresholds the collector walks those caches again and again (15-20% of the parse time).
    # What exists now lives as long as the worker; collect the young rarely.
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


class ReadAhead:
    """Files read in order, the documents among them that must be parsed handed to a pool of
    worker processes ahead of the intake, a bounded number at a time: the intake sees every
    file in order, the cores parse. Too few documents to be worth the workers' start: in turn."""

    THRESHOLD = 16      # documents to parse before the workers are worth starting (the ones
                        # before are parsed here)
    AHEAD = 16          # documents in flight per worker: enough to keep them busy while the
                        # intake writes a batch into DuckDB

    def __init__(self, stored: dict, known_duplicates: dict, version: str) -> None:
        self.stored, self.known_duplicates, self.version = stored, known_duplicates, version
        self.workers = _workers()
        self.pool: ProcessPoolExecutor | None = None
        self.fresh = 0      # documents to parse seen so far

    def over(self, entries: list[SourceFile]):
        window: deque[tuple[SourceFile, Read]] = deque()
        seen: set[str] = set()
        try:
            for entry in entries:
                window.append((entry, self._read(entry, seen)))
                if len(window) > self.AHEAD * self.workers:
                    yield window.popleft()
            while window:
                yield window.popleft()
        finally:   # the intake failed or stopped: no worker outlives it
            self.close()

    def _read(self, entry: SourceFile, seen: set[str]) -> Read:
        if entry.kind != "document" or entry.suffix not in SUFFIXES:
            return Read()
        try:
            data = read_bytes(entry.path)
        except UnreadableFile as exc:
            return Read(error=str(exc))
        sha = hashlib.sha256(data).hexdigest()
        read = Read(sha, len(data))
        fresh = sha not in seen and sha not in self.stored and sha not in self.known_duplicates
        seen.add(sha)
        if fresh:
            read.task = (data, entry.source_file, entry.suffix, self.version)
            self.fresh += 1
            if self.fresh == self.THRESHOLD and self.workers > 1:   # e.g. not for one changed file
                self.pool = ProcessPoolExecutor(self.workers, mp_context=get_context("forkserver"),
                                                initializer=_worker_init)
            if self.pool is not None:
                try:
                    read.future = self.pool.submit(parse_task, *read.task)
                except BrokenProcessPool:   # the rest are parsed here
                    self.close()
        return read

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None


def _same_as(out: FileOutcome, first: FileOutcome, basis: str) -> None:
    """`out` holds what `first` holds. A copy of a loaded document is its duplicate; a copy
    of one that could not be used shares its fate (and its reason)."""
    if first.status in ("loaded", "duplicate"):
        # the file in the marts: `first` itself, or the one `first` duplicates
        loaded = first.source_file if first.status == "loaded" else first.duplicate_of
        out.status, out.duplicate_of, out.duplicate_basis = "duplicate", loaded, basis
        out.document_id = first.document_id
        what = "the same bytes" if basis == "bytes" else "the same forms"
        out.reason = f"{what} as {loaded}"
        out.fingerprint = out.fingerprint or first.fingerprint
        out.template, out.county, out.budget_year = first.template, first.county, first.budget_year
        out.forms = out.indicators = 0
    else:
        out.status = first.status
        out.reason = f"{first.reason} (the same bytes as {first.source_file})"
        out.template = first.template


def _describe_stored(out: FileOutcome, cached) -> None:
    out.template, out.format = cached.layout, cached.format or out.format
    out.county, out.budget_year = cached.county, cached.budget_year
    out.forms, out.indicators = cached.n_forms or 0, cached.n_indicators or 0
    out.errors, out.warnings, out.infos = cached.n_errors, cached.n_warnings, cached.n_infos
    out.reason = cached.reason


def _describe_parsed(out: FileOutcome, done: Parsed) -> None:
    d = done.document
    out.template, out.format = d["layout"], d["format"] or out.format
    out.county, out.budget_year = d["county"], d["budget_year"]
    out.forms, out.indicators = d["n_forms"], d["n_indicators"]
    out.errors, out.warnings, out.infos = d["n_errors"], d["n_warnings"], d["n_infos"]
    out.reason = d["reason"]


def _book_row(f: FileOutcome, version: str, run_id: str, now: datetime) -> dict:
    return {"source_file": f.source_file, "source_root": f.source_root, "sha256": f.sha256,
            "size_bytes": f.size_bytes, "modified_at": f.modified_at, "kind": f.kind,
            "format": f.format, "template": f.template, "status": f.status, "reason": f.reason,
            "duplicate_of": f.duplicate_of, "duplicate_basis": f.duplicate_basis,
            "fingerprint": f.fingerprint, "document_id": f.document_id, "n_forms": f.forms,
            "n_indicators": f.indicators, "n_errors": f.errors, "n_warnings": f.warnings,
            "n_infos": f.infos, "change": f.change, "parser_version": version,
            "run_id": run_id, "seen_at": now}


def _mtime(path: Path) -> datetime | None:
    try:
        return datetime.fromtimestamp(os.stat(path).st_mtime, timezone.utc)
    except OSError:
        return None


def _now() -> datetime:
    return datetime.now(timezone.utc)
