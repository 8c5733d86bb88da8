"""Readers open the published warehouse through warehouse.reading: a build renaming a new file
over the path while a reader connects never pairs one file's headers with the other's blocks."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading

import duckdb

from warehouse.reading import clear_stale_links, open_published


def _two_warehouses(folder):
    big, small = folder / "big.duckdb", folder / "small.duckdb"
    with duckdb.connect(str(big)) as con:
        con.execute("create table t as select range as i, 'row ' || range as s from range(200000)")
    with duckdb.connect(str(small)) as con:   # another layout: other tables, other blocks
        con.execute("create table u as select 1 as x")
        con.execute("create table t as select range as i, range * 2 as j from range(7)")
    return big, small


def test_connections_while_files_are_renamed_over_the_path(tmp_path):
    big, small = _two_warehouses(tmp_path)
    published = tmp_path / "jixiao.duckdb"
    shutil.copyfile(big, published)
    stop = threading.Event()

    def publish_in_a_loop():   # as warehouse.build.publish does: a complete file renamed over
        n = 0
        while not stop.is_set():
            shutil.copyfile(small if n % 2 else big, tmp_path / "building")
            os.replace(tmp_path / "building", published)
            n += 1

    swapper = threading.Thread(target=publish_in_a_loop)
    swapper.start()
    errors, counts = [], {}
    try:
        for _ in range(300):
            try:
                with open_published(published) as con:
                    n = con.execute("select count(*) from t").fetchall()[0][0]
                counts[n] = counts.get(n, 0) + 1
            except Exception as exc:   # noqa: BLE001 - any failure is what this test looks for
                errors.append(repr(exc))
    finally:
        stop.set()
        swapper.join()
    assert errors == []
    assert set(counts) <= {200000, 7} and sum(counts.values()) == 300
    assert not [p.name for p in tmp_path.iterdir() if ".reader-" in p.name]   # no link left


def test_a_connection_keeps_reading_the_file_it_opened(tmp_path):
    big, small = _two_warehouses(tmp_path)
    published = tmp_path / "jixiao.duckdb"
    shutil.copyfile(big, published)
    with open_published(published) as con:
        shutil.copyfile(small, tmp_path / "building")
        os.replace(tmp_path / "building", published)
        assert con.execute("select count(*) from t").fetchall()[0][0] == 200000
    with open_published(published) as con:
        assert con.execute("select count(*) from t").fetchall()[0][0] == 7


def test_links_left_by_killed_readers_are_removed(tmp_path):
    published = tmp_path / "jixiao.duckdb"
    duckdb.connect(str(published)).close()
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()
    stale = tmp_path / f".jixiao.duckdb.reader-{gone}-0123456789ab"
    live = tmp_path / f".jixiao.duckdb.reader-{os.getpid()}-0123456789ab"
    for link in (stale, live):
        os.link(published, link)
    assert clear_stale_links(published) == [stale.name]
    assert not stale.exists() and live.exists()
