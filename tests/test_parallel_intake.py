"""The intake parses documents in worker processes when there are enough of them: the raw
tables it writes are the same as when it reads them one after the other."""
from __future__ import annotations

import os
import signal

import duckdb
import psutil
import pytest

from benchmarks.generate import documents
from ingest.sources import discover
from warehouse.build import intake
from warehouse.build.load import ensure_schema

RAW = ("documents", "forms", "indicators", "funding_sources", "key_tasks", "narratives", "parse_issues")
TIMES = ("loaded_at", "seen_at", "run_id", "recorded_at", "modified_at")


def _raw(con) -> dict[str, tuple]:
    out = {}
    for table in RAW:
        cols = [c for (c,) in con.execute(
            "select column_name from information_schema.columns where table_schema = 'raw' "
            "and table_name = ? order by ordinal_position", [table]).fetchall() if c not in TIMES]
        out[table] = con.execute(f"select count(*), sum(hash({', '.join(cols)})) from raw.{table}").fetchone()
    return out


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("generated")
    for doc in documents(forms=400, seed=5):
        path = root / doc.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(doc.data)
    return root


def _take_in(folder, workers, monkeypatch, progress=lambda *a: None):
    monkeypatch.setenv("JIXIAO_WORKERS", str(workers))
    with duckdb.connect(":memory:") as con:
        ensure_schema(con)
        result = intake.take_in(con, discover([folder]), "test", progress)
        return result.parsed, _raw(con)


def test_workers_write_the_same_raw_tables_as_one_process(folder, monkeypatch):
    entries = discover([folder])
    assert len(entries) >= intake.ReadAhead.THRESHOLD    # enough to start the workers
    pools = []

    class Counted(intake.ProcessPoolExecutor):
        def __init__(self, *args, **kwargs):
            pools.append(args[0] if args else kwargs.get("max_workers"))
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(intake, "ProcessPoolExecutor", Counted)
    parsed_one, one = _take_in(folder, 1, monkeypatch)
    assert pools == []                                   # one process: no pool
    parsed_two, two = _take_in(folder, 2, monkeypatch)
    assert pools == [2]
    assert parsed_one == parsed_two == len(entries)
    assert one["forms"][0] == 400 and two == one


def test_a_killed_worker_loses_no_document(folder, monkeypatch):
    """A worker killed mid-intake (the out-of-memory killer, a crash in a native library)
    breaks the pool: what it had not returned is parsed in the intake's own process."""
    _, one = _take_in(folder, 1, monkeypatch)
    killed = []

    def kill_a_worker(stage, done, total, item):
        if done == 3 and not killed:
            workers = [p for p in psutil.Process().children(recursive=True)
                       if p.ppid() != os.getpid()]            # the forkserver's children
            assert workers, "no parse worker running"
            os.kill(workers[0].pid, signal.SIGKILL)
            killed.append(workers[0].pid)

    parsed, two = _take_in(folder, 2, monkeypatch, kill_a_worker)
    assert killed and parsed == len(discover([folder]))
    assert two == one
    assert not [p for p in psutil.Process().children(recursive=True) if p.ppid() != os.getpid()]
