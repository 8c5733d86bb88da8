"""The warehouse built from the samples: raw tables with provenance, staging views, and
the parse issues listed."""
from __future__ import annotations

import subprocess
import sys


def test_every_row_has_provenance(wh):
    for table in ("forms", "indicators", "key_tasks", "narratives", "parse_issues"):
        missing = wh.execute(f"select count(*) from raw.{table} "
                             "where source_file is null or source_line is null").fetchone()[0]
        assert missing == 0, table


def test_counts_per_document(wh):
    rows = wh.execute("select source_file, n_forms, n_indicators from staging.stg_forms__documents "
                      "order by source_file").fetchall()
    assert rows == [
        ("chengde_ziranziyuan_guihua_2024.txt", 12, 126),
        ("dalian_gaoxin_yingshang_2023.txt", 8, 58),
        ("dalian_gaoxin_ziranziyuan_2024.txt", 6, 60),
        ("dalian_xigang_chengshigengxin_2024.txt", 7, 48),
        ("lulong_ziranziyuan_guihua_2024.txt", 18, 124),
    ]
    assert wh.execute("select count(*) from staging.stg_forms__indicators").fetchone()[0] == 416


def test_indicator_points_back_into_its_document(wh):
    row = wh.execute("select source_file, source_line, raw_value from staging.stg_forms__indicators "
                     "where raw_value = '20122012 年 5 月 28 日'").fetchone()
    assert row == ("chengde_ziranziyuan_guihua_2024.txt", "line 217", "20122012 年 5 月 28 日")
    kind = wh.execute("select value_kind from staging.stg_forms__indicators where source_line = 'line 217'"
                      " and source_file like 'chengde%'").fetchone()[0]
    assert kind == "malformed"


def test_schemas_are_named_as_designed(wh):
    schemas = {r[0] for r in wh.execute("select distinct table_schema from information_schema.tables").fetchall()}
    assert {"raw", "staging"} <= schemas


def test_cli_build_prints_a_summary(tmp_path):
    target = tmp_path / "cli.duckdb"
    out = subprocess.run([sys.executable, "-m", "warehouse.cli", "build", "--warehouse", str(target)],
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "载入 51 张表、416 行指标" in out.stdout and "退出码 0" in out.stdout
    assert target.exists()


def test_cli_ingest_exits_2_on_an_unreadable_document(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    out = subprocess.run([sys.executable, "-m", "warehouse.cli", "ingest", "--source", str(bad)],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 2
    assert "empty.txt" in out.stdout and "UNREADABLE" in out.stdout


def test_duckdb_memory_during_dbt_is_half_the_machine_at_most_4_gib(monkeypatch):
    import duckdb

    from warehouse.build import dbt

    def machine(gib):
        pages = {"SC_PAGE_SIZE": 4096, "SC_PHYS_PAGES": gib * 2 ** 30 // 4096}
        monkeypatch.setattr(dbt.os, "sysconf", lambda name: pages[name])
        return dbt.duckdb_memory()

    assert machine(24) == "4096MiB" and machine(2) == "1024MiB"
    con = duckdb.connect()
    con.execute(f"set memory_limit = '{machine(24)}'")   # a value DuckDB takes
    assert con.execute("select current_setting('memory_limit')").fetchone()[0] == "4.0 GiB"
