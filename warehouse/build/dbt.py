"""Run dbt in-process through its programmatic runner (dbtRunner) against a given file."""
from __future__ import annotations

import os
from pathlib import Path

from warehouse.paths import DBT_PROJECT_DIR


class DbtFailed(RuntimeError):
    pass


def run_dbt(db_file: Path, *args: str, target_path: Path | None = None) -> list[str]:
    """`dbt build` (models, seeds and tests) on `db_file`; raise DbtFailed naming what failed.
    Returns the warnings (tests of severity warn that found rows), one line each."""
    from dbt.cli.main import dbtRunner

    os.environ["JIXIAO_DBT_DB"] = str(db_file)
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    command = list(args) or ["build"]
    result = dbtRunner().invoke([
        *command, "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
        "--target-path", str(target_path or DBT_PROJECT_DIR / "target"), "--log-path", str(DBT_PROJECT_DIR / "logs"),
        "--quiet",
    ])
    _release_duckdb()
    nodes = getattr(result.result, "results", None) or []
    if result.success:
        return [f"{node.node.name}: {node.message or node.failures}" for node in nodes
                if str(node.status) in ("warn", "TestStatus.Warn")]
    # a failed run reports its failures; warnings would only bury them
    failures = []
    for node in nodes:
        if str(node.status) not in ("success", "pass", "warn", "skipped", "RunStatus.Success",
                                 "TestStatus.Pass", "TestStatus.Warn"):
            failures.append(f"{node.node.name}: {node.status} {node.message or ''}".strip())
    detail = "; ".join(failures) or repr(result.exception)
    raise DbtFailed(f"dbt {' '.join(command)} failed: {detail}")


def _release_duckdb() -> None:
    """dbt-duckdb keeps its DuckDB instance open in the process after invoke() returns; its
    last writes may still sit in the write-ahead log. Close it, so the file is complete and
    free before the build renames it (and so a next build in this process opens its own file)."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    with DuckDBConnectionManager._LOCK:
        env = DuckDBConnectionManager._ENV
        if env is not None:
            env.close()
        DuckDBConnectionManager.close_all_connections()
