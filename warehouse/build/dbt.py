"""Run dbt in-process through its programmatic runner (dbtRunner) against a given file, and
decide whether a build's models may be incremental or must be rebuilt in full."""
from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

from warehouse.paths import DBT_PROJECT_DIR

# What in the dbt project makes the rows of its models (its tests, target and logs do not)
_MAKES_ROWS = ("dbt_project.yml", "profiles.yml", "packages.yml", "models", "macros", "seeds",
               "snapshots")

_OK = ("success", "pass", "warn", "skipped", "RunStatus.Success", "TestStatus.Pass",
       "TestStatus.Warn", "RunStatus.Skipped")


class DbtFailed(RuntimeError):
    pass


def run_dbt(db_file: Path, *args: str, target_path: Path | None = None,
            log_path: Path | None = None,
            progress: Callable[[int, int, str], None] | None = None) -> list[str]:
    """`dbt build` (models, seeds and tests) on `db_file`; raise DbtFailed naming what failed
    (the model, and the files of the rows that fail a test). Returns the warnings (tests of
    severity warn that found rows), one line each. `progress(done, total, node)` follows the
    nodes as dbt runs them."""
    from dbt.cli.main import dbtRunner

    os.environ["JIXIAO_DBT_DB"] = str(db_file)
    os.environ.setdefault("JIXIAO_DBT_THREADS", str(os.cpu_count() or 1))
    os.environ.setdefault("JIXIAO_DUCKDB_MEMORY", duckdb_memory())
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    command = list(args) or ["build"]
    callbacks = [_progress_callback(progress)] if progress else []
    result = dbtRunner(callbacks=callbacks).invoke([
        *command, "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
        "--target-path", str(target_path or DBT_PROJECT_DIR / "target"),
        "--log-path", str(log_path or DBT_PROJECT_DIR / "logs"),
        "--quiet", "--log-level", "none",   # failures are reported by DbtFailed, not printed
    ])
    _release_duckdb()
    nodes = getattr(result.result, "results", None) or []
    if result.success:
        return [f"{node.node.name}: {node.message or node.failures}" for node in nodes
                if str(node.status) in ("warn", "TestStatus.Warn")]
    # a failed run reports its failures; warnings would only bury them
    failures = [_describe_failure(db_file, node) for node in nodes if str(node.status) not in _OK]
    detail = "; ".join(failures) or repr(result.exception)
    raise DbtFailed(f"dbt {' '.join(command)} failed: {detail}")


def duckdb_memory() -> str:
    """DuckDB's memory limit during dbt (profiles.yml): half the machine's memory, at most 4 GiB."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):   # not a POSIX system: 4 GiB
        return "4GiB"
    return f"{max(256, min(4096, total // 2 // 2**20))}MiB"


def project_digest() -> str:
    """A digest of everything besides the documents that makes the rows of the dbt models: the
    dbt project (models, macros, seeds, settings), the ingest code (a document read by other
    code keeps its id) and the versions of dbt and DuckDB. The models incremental by form
    (macros/incremental_by_form.sql) only add and delete the rows of changed documents, which
    is right only while this digest is the one they were built with."""
    from warehouse.build.load import ingest_version

    digest = hashlib.sha256(ingest_version().encode())
    for path in sorted(DBT_PROJECT_DIR.rglob("*")):
        rel = path.relative_to(DBT_PROJECT_DIR)
        if rel.parts[0] in _MAKES_ROWS and path.is_file():
            digest.update(rel.as_posix().encode() + b"\0" + path.read_bytes())
    for package in ("dbt-core", "dbt-duckdb", "duckdb"):
        try:
            digest.update(f"{package}={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            pass
    return digest.hexdigest()[:16]


def built_with(con) -> str | None:
    """The project digest the warehouse's models were last built with (None: never by this
    version of jixiao, or never at all)."""
    row = con.execute("select digest from raw.marts_state order by built_at desc limit 1").fetchone()
    return row[0] if row else None


def record_built(con, digest: str, run_id: str, full_refresh: bool) -> None:
    con.execute("delete from raw.marts_state")
    con.execute("insert into raw.marts_state values (?, ?, ?, ?)",
                [digest, run_id, datetime.now(timezone.utc), full_refresh])


def _progress_callback(progress: Callable[[int, int, str], None]):
    def on_event(event) -> None:
        data = event.data
        if event.info.name in ("LogModelResult", "LogTestResult", "LogSeedResult",
                               "LogNodeResult", "LogNodeNoOpResult") and getattr(data, "total", 0):
            progress(int(data.index), int(data.total), getattr(data, "name", "") or "")
    return on_event


def _describe_failure(db_file: Path, node) -> str:
    """`<test or model>: <status> <message>`, with the table a test is on and, when the failing
    rows can be traced to documents, their files."""
    n = node.node
    line = f"{n.name}: {node.status} {node.message or ''}".strip()
    try:
        relation, files = _failing_rows(db_file, n)
    except Exception:   # the diagnosis must never hide the failure itself
        relation, files = None, []
    if relation:
        line += f" (on {relation})"
    if files:
        line += f"; file{'s' if len(files) > 1 else ''}: " + ", ".join(files[:5]) + \
            (f" and {len(files) - 5} more" if len(files) > 5 else "")
    return line


def _tested_table(n) -> str | None:
    """The model, seed or source table a test is on (its name in the database)."""
    attached = getattr(n, "attached_node", None)
    if attached:
        return attached.split(".")[-1]
    parents = list(getattr(getattr(n, "depends_on", None), "nodes", None) or [])
    return parents[0].split(".")[-1] if len(parents) == 1 else None


def _failing_rows(db_file: Path, n) -> tuple[str | None, list[str]]:
    """(schema.table the test is on, documents behind the rows it returns): the test's own
    source_file column, or the table's source_file for the failing key values."""
    import duckdb

    if str(getattr(n, "resource_type", "")).split(".")[-1] != "test":
        return None, []
    table, sql = _tested_table(n), getattr(n, "compiled_code", None)
    with duckdb.connect(str(db_file), read_only=True) as con:
        found = con.execute("select table_schema, bool_or(column_name = 'source_file') "
                            "from information_schema.columns where table_name = ? group by 1 "
                            "order by 1 limit 1", [table]).fetchall() if table else None
        found = found[0] if found else None
        relation = f"{found[0]}.{table}" if found else table
        if not sql:
            return relation, []
        rel = con.sql(f"select * from ({sql}) as failing limit 100")
        columns, rows = rel.columns, rel.fetchall()
        if "source_file" in columns:
            i = columns.index("source_file")
            return relation, sorted({r[i] for r in rows if r[i] is not None})
        column = getattr(n, "column_name", None) or (
            n.test_metadata.kwargs.get("column_name") if getattr(n, "test_metadata", None) else None)
        if not found or not found[1] or not column or not str(column).isidentifier() or not rows:
            return relation, []
        key = next((c for c in ("unique_field", "value_field", "from_field", column) if c in columns), None)
        values = [r[columns.index(key)] for r in rows] if key else []
        null_clause = f' or "{column}" is null' if key == column and None in values else ""
        hits = con.execute(
            f'select distinct source_file from "{found[0]}"."{table}" where "{column}" in '
            f'(select unnest(?)){null_clause} order by 1 limit 20',
            [[v for v in values if v is not None]]).fetchall()
        return relation, [h[0] for h in hits if h[0] is not None]


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
