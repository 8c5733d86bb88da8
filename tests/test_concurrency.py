"""Builds from a scheduler: one build per warehouse at a time, builds killed at any moment, and
readers querying the published warehouse in a loop all along, without a single error."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

from tests.conftest import SAMPLE
from tests.test_marts import MARTS
from warehouse.build.lock import BuildLock, LockBusy, lock_path
from warehouse.paths import SAMPLES_DIR, build_file
from warehouse.reading import open_published


class Readers:
    """Analysts querying the published file in a loop (a fresh read-only connection each
    time, opened as a notebook or a report opens it: warehouse.reading); every error is kept."""

    def __init__(self, path: Path, n: int = 1):
        self.path, self.errors, self.reads, self.seen = path, [], 0, set()
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._loop, daemon=True) for _ in range(n)]

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                with open_published(self.path) as con:
                    n = con.execute("select count(*) from marts.fct_indicator_target").fetchall()[0][0]
                    con.execute("select status, count(*) from marts.dim_document group by 1").fetchall()
                    con.execute("select sum(budget_total_wan) from marts.fct_project_funding").fetchall()
                self.seen.add(n)
                self.reads += 1
            except Exception as exc:   # noqa: BLE001 - every failure is what this test looks for
                self.errors.append(repr(exc))
            time.sleep(0.05)

    def __enter__(self) -> Readers:
        for t in self._threads:
            t.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(10)


def _start(target: Path, sources: list[Path], *extra: str, log: Path) -> subprocess.Popen:
    args = [sys.executable, "-m", "warehouse.cli", "build", "--warehouse", str(target), *extra]
    for s in sources:
        args += ["--source", str(s)]
    return subprocess.Popen(args, stdout=open(log.with_suffix(".out"), "w"),
                            stderr=open(log.with_suffix(".err"), "w"))


def _holder(target: Path) -> dict:
    try:
        text = lock_path(target).read_text(encoding="utf-8")
        return json.loads(text) if text else {}
    except (OSError, ValueError):
        return {}


def _wait_for(predicate, timeout: float, what: str) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _marts(path: Path) -> dict:
    with duckdb.connect(str(path), read_only=True) as con:
        return {t: con.execute(f"select * from marts.{t} order by all").fetchall() for t in MARTS}


def test_the_lock_is_released_when_its_holder_dies(tmp_path):
    target = tmp_path / "wh.duckdb"
    code = ("import sys, time; from pathlib import Path; from warehouse.build.lock import BuildLock; "
            "BuildLock(Path(sys.argv[1])).acquire(); print('held', flush=True); time.sleep(60)")
    holder = subprocess.Popen([sys.executable, "-c", code, str(target)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    with pytest.raises(LockBusy) as busy:
        BuildLock(target).acquire()
    assert busy.value.holder["pid"] == holder.pid
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    BuildLock(target).acquire(wait=True, timeout=10).release()   # no manual cleanup


@pytest.mark.slow
def test_one_build_at_a_time_while_readers_query_in_a_loop(built_warehouse, tmp_path):
    published = tmp_path / "jixiao.duckdb"
    shutil.copyfile(built_warehouse, published)
    with Readers(published) as readers:
        first = _start(published, [SAMPLES_DIR], log=tmp_path / "first")
        _wait_for(lambda: _holder(published).get("pid") == first.pid, 120, "the first build to hold the lock")
        # a second build without --wait: exit 1 at once, naming the holder
        refused = subprocess.run([sys.executable, "-m", "warehouse.cli", "build", "--warehouse",
                                  str(published), "--source", str(SAMPLE["000"])],
                                 capture_output=True, text=True, timeout=120)
        assert refused.returncode == 1
        assert "另一个构建正在使用这个仓库" in refused.stdout and f"pid {first.pid}" in refused.stdout
        # a third with --wait: waits for the first, then builds
        waiting = _start(published, [SAMPLE["000"]], "--wait", log=tmp_path / "waiting")
        assert first.wait(900) == 0, (tmp_path / "first.out").read_text()
        assert waiting.wait(900) == 0, (tmp_path / "waiting.out").read_text()
        time.sleep(0.5)
    assert "等待另一个构建结束" in (tmp_path / "waiting.err").read_text()
    assert readers.errors == [] and readers.reads > 20
    assert 60 in readers.seen    # a reader saw the last build's warehouse
    with duckdb.connect(str(published), read_only=True) as con:
        assert con.execute("select source_file, status from marts.dim_document").fetchall() == [
            (SAMPLE["000"].name, "loaded")]
        runs = con.execute("select pid, exit_code from raw.build_runs where pid in (?, ?) "
                           "order by started_at", [first.pid, waiting.pid]).fetchall()
    assert runs == [(first.pid, 0), (waiting.pid, 0)]
    assert not build_file(published).exists()


def _copies(folder: Path, n: int) -> Path:
    """n renderings of each sample that differ in their bytes (more time to read)."""
    folder.mkdir()
    for i in range(n):
        for s in sorted(SAMPLES_DIR.glob("*.txt")):
            (folder / f"{i:03d}_{s.name}").write_bytes(s.read_bytes() + b"\n" * (i + 1))
    return folder


@pytest.mark.slow
def test_a_build_killed_at_any_stage_leaves_the_warehouse_intact_and_the_next_one_cleans_up(
        built_warehouse, tmp_path):
    published = tmp_path / "jixiao.duckdb"
    shutil.copyfile(built_warehouse, published)
    before = _digest(published)
    many = _copies(tmp_path / "many", 30)
    killed = []
    with Readers(published) as readers:
        for stage, sources, after in (("ingest", [many], 1.0), ("dbt", [SAMPLES_DIR], 4.0),
                                      ("validate", [SAMPLES_DIR], 1.0)):
            build = _start(published, sources, log=tmp_path / f"killed_{stage}")
            _wait_for(lambda: _holder(published).get("stage") == stage and _holder(published).get("pid") == build.pid,
                      600, f"the build to reach {stage}")
            time.sleep(after)
            assert build.poll() is None, f"the build finished before it could be killed in {stage}"
            assert _holder(published).get("stage") == stage
            os.kill(build.pid, signal.SIGKILL)
            build.wait()
            killed.append(build.pid)
            assert _digest(published) == before, f"killed in {stage}, the published file changed"
            assert build_file(published).exists()         # the leftovers are there …
        clean = subprocess.run([sys.executable, "-m", "warehouse.cli", "build", "--warehouse", str(published)],
                               capture_output=True, text=True, timeout=900)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    flat = " ".join(clean.stdout.split())
    assert "cleared what an interrupted build left" in flat and "did not finish" in flat
    assert not build_file(published).exists()                                  # … and gone
    assert not build_file(published).with_name(build_file(published).name + ".wal").exists()
    assert _marts(published) == _marts(built_warehouse)
    with duckdb.connect(str(published), read_only=True) as con:
        runs = dict(con.execute("select pid, coalesce(exit_code, -1) from raw.build_runs").fetchall())
        errors = con.execute("select error from raw.build_runs where exit_code is null").fetchall()
    assert [runs[pid] for pid in killed] == [-1, -1, -1]
    assert all("did not finish" in e for (e,) in errors) and len(errors) == 3
    assert readers.errors == [] and readers.reads > 20


def test_a_build_stopped_by_sigterm_ends_cleanly_and_says_so(built_warehouse, tmp_path):
    """systemd stops a service with SIGTERM: the build ends like Ctrl-C, removes its copy,
    releases the lock and logs the run with exit code 1."""
    published = tmp_path / "jixiao.duckdb"
    shutil.copyfile(built_warehouse, published)
    before = _digest(published)
    build = _start(published, [_copies(tmp_path / "many", 30)], log=tmp_path / "stopped")
    _wait_for(lambda: _holder(published).get("stage") == "ingest" and _holder(published).get("pid") == build.pid,
              600, "the build to start reading")
    build.send_signal(signal.SIGTERM)
    assert build.wait(120) == 1
    assert "构建已中断" in (tmp_path / "stopped.out").read_text()
    assert _digest(published) == before and not build_file(published).exists()
    BuildLock(published).acquire().release()
    [end] = [json.loads(line) for line in published.with_name(published.name + ".runs.jsonl").read_text().splitlines()
             if json.loads(line).get("event") == "end"]
    assert end["exit_code"] == 1 and "signal 15" in end["error"]
