"""The run log: every build, successful or not, in `raw.build_runs` of the published warehouse.

A build that fails must leave the published file untouched, so each run is first written to
a journal beside the warehouse (`<warehouse>.runs.jsonl`, one JSON object per line: a `start`
line when the build begins, an `end` line when it ends). Every build that publishes copies
the journal's runs into raw.build_runs, its own included. A run with a start and no end was
killed (or crashed hard); it is recorded as such, with no exit code.
"""
from __future__ import annotations

import json
import os
import socket
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import duckdb

RUNS_TABLE = "raw.build_runs"
STATUSES = ("loaded", "duplicate", "skipped", "unreadable")
CHANGES = ("added", "changed", "removed", "unchanged")
STAGES = ("ingest", "dbt", "validate", "publish")   # seconds of each, for alerting on slow builds
_COLUMNS = {
    "run_id": "VARCHAR", "started_at": "TIMESTAMPTZ", "finished_at": "TIMESTAMPTZ",
    "sources": "VARCHAR[]", "warehouse": "VARCHAR", "host": "VARCHAR", "pid": "INTEGER",
    "n_files": "INTEGER",
    **{f"n_{s}": "INTEGER" for s in STATUSES},
    **{f"n_{c}": "INTEGER" for c in CHANGES},
    "published": "BOOLEAN", "exit_code": "INTEGER", "error": "VARCHAR",
    **{f"{s}_s": "DOUBLE" for s in STAGES},
}


def journal_path(warehouse: Path) -> Path:
    return warehouse.with_name(warehouse.name + ".runs.jsonl")


def now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class Run:
    run_id: str
    started_at: datetime
    sources: list[str]
    warehouse: str
    host: str = field(default_factory=socket.gethostname)
    pid: int = field(default_factory=os.getpid)
    finished_at: datetime | None = None
    counts: dict[str, int] = field(default_factory=dict)   # n_files, n_loaded, … n_removed
    seconds: dict[str, float] = field(default_factory=dict)   # per stage of STAGES run so far
    published: bool = False
    exit_code: int | None = None
    error: str | None = None

    @classmethod
    def begin(cls, sources: list[Path], warehouse: Path) -> Run:
        at = now()
        return cls(at.strftime("%Y%m%dT%H%M%SZ-") + uuid.uuid4().hex[:8], at,
                   [str(Path(s).resolve()) for s in sources], str(warehouse.resolve()))

    def row(self) -> dict:
        row = {"run_id": self.run_id, "started_at": self.started_at, "finished_at": self.finished_at,
               "sources": self.sources, "warehouse": self.warehouse, "host": self.host,
               "pid": self.pid, "published": self.published, "exit_code": self.exit_code,
               "error": self.error}
        for name in _COLUMNS:
            if name.startswith("n_"):
                row[name] = self.counts.get(name)
        for stage in STAGES:
            row[f"{stage}_s"] = self.seconds.get(stage)
        return row


class Journal:
    """Append-only lines beside the warehouse; written only while holding the build lock."""

    def __init__(self, warehouse: Path):
        self.path = journal_path(warehouse)

    def _append(self, record: dict) -> None:
        line = json.dumps(record, ensure_ascii=False, default=str) + "\n"
        with open(self.path, "a", encoding="utf-8") as fh:
            fh.write(line)
            fh.flush()
            os.fsync(fh.fileno())

    def start(self, run: Run) -> None:
        self._append({"event": "start", "run_id": run.run_id, "started_at": run.started_at.isoformat(),
                      "sources": run.sources, "warehouse": run.warehouse, "host": run.host,
                      "pid": run.pid})

    def end(self, run: Run) -> None:
        self._append({"event": "end", "run_id": run.run_id,
                      "finished_at": (run.finished_at or now()).isoformat(), "counts": run.counts,
                      "seconds": run.seconds,
                      "published": run.published, "exit_code": run.exit_code, "error": run.error})

    def runs(self) -> list[Run]:
        """Every run in the journal, in order; a run without an end line did not finish."""
        runs: dict[str, Run] = {}
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return []
        for line in lines:
            try:
                rec = json.loads(line)
            except ValueError:   # a line cut short by a kill: the start line before it stands
                continue
            if rec.get("event") == "start":
                runs[rec["run_id"]] = Run(rec["run_id"], datetime.fromisoformat(rec["started_at"]),
                                          rec.get("sources", []), rec.get("warehouse", ""),
                                          rec.get("host", ""), rec.get("pid", 0),
                                          error="did not finish (killed, or the machine stopped)")
            elif rec.get("event") == "end" and rec.get("run_id") in runs:
                run = runs[rec["run_id"]]
                run.finished_at = datetime.fromisoformat(rec["finished_at"])
                run.counts = rec.get("counts") or {}
                run.seconds = rec.get("seconds") or {}
                run.published = bool(rec.get("published"))
                run.exit_code, run.error = rec.get("exit_code"), rec.get("error")
        return list(runs.values())


def ensure_table(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("CREATE SCHEMA IF NOT EXISTS raw")
    cols = ", ".join(f"{n} {t}" for n, t in _COLUMNS.items())
    con.execute(f"CREATE TABLE IF NOT EXISTS {RUNS_TABLE} ({cols})")
    for name, typ in _COLUMNS.items():   # a warehouse built by an earlier version gains new columns
        con.execute(f"ALTER TABLE {RUNS_TABLE} ADD COLUMN IF NOT EXISTS {name} {typ}")


def record_runs(con: duckdb.DuckDBPyConnection, runs: list[Run]) -> None:
    """Insert or replace these runs in raw.build_runs (by run_id)."""
    ensure_table(con)
    if not runs:
        return
    import pyarrow as pa

    rows = [r.row() for r in runs]
    frame = pa.Table.from_pylist(rows, schema=pa.schema([
        (n, pa.list_(pa.string()) if t == "VARCHAR[]" else
         {"VARCHAR": pa.string(), "TIMESTAMPTZ": pa.timestamp("us", tz="UTC"),
          "INTEGER": pa.int32(), "BOOLEAN": pa.bool_(), "DOUBLE": pa.float64()}[t]) for n, t in _COLUMNS.items()]))
    con.register("incoming_runs", frame)
    try:
        con.execute(f"DELETE FROM {RUNS_TABLE} WHERE run_id IN (SELECT run_id FROM incoming_runs)")
        con.execute(f"INSERT INTO {RUNS_TABLE} BY NAME SELECT * FROM incoming_runs")
    finally:
        con.unregister("incoming_runs")
