from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from ingest.pipeline import parse_file
from warehouse.paths import SAMPLES_DIR

SAMPLE = {
    "000": SAMPLES_DIR / "dalian_gaoxin_ziranziyuan_2024.txt",
    "001": SAMPLES_DIR / "lulong_ziranziyuan_guihua_2024.txt",
    "002": SAMPLES_DIR / "chengde_ziranziyuan_guihua_2024.txt",
    "003": SAMPLES_DIR / "dalian_gaoxin_yingshang_2023.txt",
    "004": SAMPLES_DIR / "dalian_xigang_chengshigengxin_2024.txt",
}


@pytest.fixture(scope="session", autouse=True)
def reports_elsewhere(tmp_path_factory):
    """Data Docs and reports of test builds go to a temporary folder, not the project's reports/;
    LibreOffice conversions to a cache of the session's own, so that each run converts anew."""
    os.environ["JIXIAO_REPORTS"] = str(tmp_path_factory.mktemp("reports"))
    os.environ["JIXIAO_CACHE"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="session")
def parsed():
    return {key: parse_file(path) for key, path in SAMPLE.items()}


@pytest.fixture(scope="session")
def built_warehouse(tmp_path_factory) -> Path:
    """A warehouse built from the bundled samples with the real build (ingest + dbt)."""
    from warehouse.build import build

    where = tmp_path_factory.mktemp("wh")
    target = where / "jixiao.duckdb"
    build([SAMPLES_DIR], target, reports_dir=where / "reports")
    return target


@pytest.fixture()
def wh(built_warehouse):
    con = duckdb.connect(str(built_warehouse), read_only=True)
    yield con
    con.close()
