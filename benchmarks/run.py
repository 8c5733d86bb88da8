"""The national-scale benchmark: N generated forms through the real `jixiao build`, then one
corrected document, then the notebooks' queries; one RESULT line with every figure.

    .venv/bin/python benchmarks/run.py --forms 200000 [--warehouse FILE] [--work DIR] [--seed 0]

Steps, each timed:
1. `generate.py` writes documents totalling N forms under WORK/docs (not counted in the build).
2. `jixiao build --source WORK/docs --warehouse FILE` in its own process, as cron would run it;
   the RSS of that process and all its children (parse workers, the forkserver) is summed
   every 0.2 s, and the peak of the sum is `peak_rss_gib` (an upper bound: pages the workers
   share are counted once per worker). Stage times come from the build's own run log.
3. The floor: the raw tables the build loaded, exported to Parquet and loaded into a new DuckDB
   file with CREATE TABLE AS (`floor_s`); `ingest_vs_floor` = ingest_s / floor_s.
4. One document corrected (its first project renamed) and the build run again
   (`incremental_s`, the whole command); the corrected name must be in the marts afterwards.
5. Every query the notebooks run, on the whole warehouse (the notebooks' default scope), five
   times each; `query_p95_s` over all of them, and the slowest printed.

The RESULT line is the last line printed; everything else goes before it.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import duckdb
import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import generate  # noqa: E402
from warehouse.analysis import queries  # noqa: E402
from warehouse.analysis.scope import Scope  # noqa: E402
from warehouse.build.lock import lock_path  # noqa: E402
from warehouse.build.runlog import Journal  # noqa: E402

RAW_TABLES = ("documents", "forms", "indicators", "funding_sources", "key_tasks", "narratives",
              "parse_issues")


class PeakRss:
    """The peak of the summed RSS of a process and all its descendants, sampled in a thread,
    overall and per stage of the build (read from the warehouse's lock file)."""

    def __init__(self, pid: int, warehouse: Path, every: float = 0.2):
        self.proc, self.every, self.peak = psutil.Process(pid), every, 0
        self.lock, self.stages = lock_path(warehouse), {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.is_set():
            total = 0
            try:
                for p in [self.proc, *self.proc.children(recursive=True)]:
                    try:
                        total += p.memory_info().rss
                    except psutil.Error:   # a worker that ended between listing and reading
                        pass
            except psutil.Error:
                return
            self.peak = max(self.peak, total)
            try:
                stage = json.loads(self.lock.read_text(encoding="utf-8") or "{}").get("stage", "start")
            except (OSError, ValueError):
                stage = "start"
            self.stages[stage] = max(self.stages.get(stage, 0), total)
            self._stop.wait(self.every)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def jixiao_build(source: Path, warehouse: Path, log: Path) -> tuple[float, PeakRss, dict]:
    """Run the build command; (wall seconds, RSS of its process tree, stage seconds)."""
    cmd = [str(Path(sys.executable).with_name("jixiao")), "build", "--source", str(source),
           "--warehouse", str(warehouse)]
    t = time.perf_counter()
    with log.open("a", encoding="utf-8") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
        rss = PeakRss(proc.pid, warehouse)
        code = proc.wait()
    wall = time.perf_counter() - t
    rss.stop()
    if code not in (0, 2):   # 2: published, with problems in some documents (as generated)
        raise SystemExit(f"jixiao build exited {code}; see {log}")
    last = Journal(warehouse).runs()[-1]
    return wall, rss, last.seconds


def floor_seconds(warehouse: Path, work: Path) -> float:
    """Seconds DuckDB takes to load the build's raw rows from Parquet into a new file."""
    parquet = work / "floor"
    shutil.rmtree(parquet, ignore_errors=True)
    parquet.mkdir()
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for table in RAW_TABLES:
            con.execute(f"COPY raw.{table} TO '{parquet / table}.parquet' (FORMAT parquet)")
    target = work / "floor.duckdb"
    target.unlink(missing_ok=True)
    t = time.perf_counter()
    with duckdb.connect(str(target)) as con:
        con.execute("CREATE SCHEMA raw")
        for table in RAW_TABLES:
            con.execute(f"CREATE TABLE raw.{table} AS SELECT * FROM read_parquet('{parquet / table}.parquet')")
        con.execute("CHECKPOINT")
    seconds = time.perf_counter() - t
    target.unlink()
    shutil.rmtree(parquet)
    return seconds


def correct_one(docs: Path, seed: int) -> tuple[Path, str]:
    """Rename the first project of the first text document; (its path, the new name)."""
    for index, doc in enumerate(generate.documents(10 ** 9, seed)):
        if doc.path.endswith(".txt"):
            name = doc.truth.forms[0].project_name
            if name and (docs / doc.path).read_text(encoding="utf-8").count(name) >= 1:
                break
        if index > 100:
            raise SystemExit("no text document with a named project among the first 100")
    path = docs / doc.path
    corrected = name + "（更正）"
    path.write_text(path.read_text(encoding="utf-8").replace(name, corrected), encoding="utf-8")
    return path, corrected


def notebook_queries(con, scope: Scope) -> dict:
    """Every query the notebooks run, as the notebooks call it (the drill-down, as notebook 04
    does, on the first county of findings_by_county and its first project)."""
    one = Scope(scope.warehouse, scope.years, (queries.findings_by_county(con, scope)["county"][0],))
    project = queries.county_projects(con, one)["project_key"][0]
    return {
        "available": lambda: queries.available(con),
        "documents": lambda: queries.documents(con, scope),
        "totals_by_year": lambda: queries.totals_by_year(con, scope),
        "totals_by_county": lambda: queries.totals_by_county(con, scope),
        "overview": lambda: queries.overview(con, scope),
        "indicator_kinds": lambda: queries.indicator_kinds(con, scope),
        "funding": lambda: queries.funding(con, scope),
        "funding_by_purpose": lambda: queries.funding_by_purpose(con, scope),
        "funding_by_county": lambda: queries.funding_by_county(con, scope),
        "funding_by_unit": lambda: queries.funding_by_unit(con, scope),
        "unit_cost_groups": lambda: queries.unit_cost_groups(con, scope),
        "unit_cost_points": lambda: queries.unit_cost_points(con, scope),
        "unit_costs": lambda: queries.unit_costs(con, scope),
        "spending_plans": lambda: queries.spending_plans(con, scope),
        "rate_targets": lambda: queries.rate_targets(con, scope),
        "rate_summary": lambda: queries.rate_summary(con, scope),
        "findings_by_rule": lambda: queries.findings_by_rule(con, scope),
        "findings_by_county": lambda: queries.findings_by_county(con, scope),
        "scorecard": lambda: queries.scorecard(con, scope, top=15),
        "worst_forms": lambda: queries.worst_forms(con, scope, limit=5),
        "findings": lambda: queries.findings(con, scope),
        "county_projects": lambda: queries.county_projects(con, one),
        "project_indicators": lambda: queries.project_indicators(con, project),
        "project_findings": lambda: queries.project_findings(con, project),
    }


def time_queries(warehouse: Path, repeat: int = 5) -> tuple[float, list[tuple[float, str]]]:
    scope = Scope(warehouse)
    times: list[float] = []
    worst: dict[str, float] = {}
    with queries.connect(scope) as con:
        for name, run in notebook_queries(con, scope).items():
            for _ in range(repeat):
                t = time.perf_counter()
                run()
                times.append(time.perf_counter() - t)
                worst[name] = max(worst.get(name, 0.0), times[-1])
    p95 = statistics.quantiles(times, n=20, method="inclusive")[18]
    return p95, sorted(((s, n) for n, s in worst.items()), reverse=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--forms", type=int, required=True)
    ap.add_argument("--warehouse", type=Path, help="the warehouse to build (default: in WORK)")
    ap.add_argument("--work", type=Path, help="where documents and logs go (default: a temporary folder, removed)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)

    work = args.work or Path(tempfile.mkdtemp(prefix="jixiao-run-"))
    work.mkdir(parents=True, exist_ok=True)
    docs, log = work / "docs", work / "build.log"
    warehouse = (args.warehouse or work / "bench.duckdb").resolve()
    try:
        if docs.exists():
            shutil.rmtree(docs)
        made = generate.write(docs, args.forms, args.seed)
        print(f"generated {made['documents']:,} documents, {made['forms']:,} forms, "
              f"{made['bytes'] / 1e6:,.0f} MB in {made['seconds']:.1f} s", flush=True)
        for stale in (warehouse, warehouse.with_name(warehouse.name + ".runs.jsonl")):
            stale.unlink(missing_ok=True)

        total, peak, seconds = jixiao_build(docs, warehouse, log)
        print(f"build: {total:.1f} s ({', '.join(f'{k} {v:.1f} s' for k, v in seconds.items())}), "
              f"peak RSS {peak.peak / 2**30:.2f} GiB ("
              + ", ".join(f"{k} {v / 2**30:.2f}" for k, v in peak.stages.items()) + ")", flush=True)
        with duckdb.connect(str(warehouse), read_only=True) as con:
            forms = con.execute("select count(*) from raw.forms").fetchone()[0]
            rows = con.execute("select count(*) from raw.indicators").fetchone()[0]
        print(f"loaded {forms:,} forms, {rows:,} indicator rows", flush=True)
        floor = floor_seconds(warehouse, work)

        path, corrected = correct_one(docs, args.seed)
        incremental, inc_peak, inc_seconds = jixiao_build(docs, warehouse, log)
        with duckdb.connect(str(warehouse), read_only=True) as con:
            found = con.execute("select count(*) from marts.dim_project where project_name = ?",
                                [corrected]).fetchone()[0]
        if not found:
            raise SystemExit(f"the corrected project {corrected!r} of {path} is not in marts.dim_project")
        print(f"one corrected document ({path.relative_to(docs)}): {incremental:.1f} s "
              f"({', '.join(f'{k} {v:.1f} s' for k, v in inc_seconds.items())})", flush=True)

        p95, slowest = time_queries(warehouse)
        print("slowest notebook queries: " + ", ".join(f"{n} {s:.3f} s" for s, n in slowest[:5]))

        cores = os.cpu_count() or 1
        ingest = seconds["ingest"]
        print(f"RESULT forms={forms} cores={cores} ingest_s={ingest:.1f} "
              f"ingest_forms_per_s_per_core={forms / ingest / cores:.0f} floor_s={floor:.2f} "
              f"ingest_vs_floor={ingest / floor:.1f} dbt_s={seconds['dbt']:.1f} "
              f"validate_s={seconds.get('validate', 0):.1f} total_s={total:.1f} "
              f"peak_rss_gib={max(peak.peak, inc_peak.peak) / 2**30:.2f} incremental_s={incremental:.1f} "
              f"query_p95_s={p95:.3f}")
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
