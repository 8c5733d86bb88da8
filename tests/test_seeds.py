"""Seeds generated from code stay in sync with it, and hold the whole country."""
from __future__ import annotations

import csv

from ingest.units import conversion_rows
from warehouse.build.seeds import SEEDS_DIR, region_rows


def _read(name):
    with (SEEDS_DIR / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _as_written(rows):
    return [{k: str(v) for k, v in r.items()} for r in rows]


def test_region_seed_is_generated_from_the_package():
    assert _read("regions.csv") == _as_written(region_rows())


def test_region_seed_covers_the_country():
    rows = _read("regions.csv")
    provinces = {r["province"] for r in rows}
    assert len(provinces) >= 31
    assert len(rows) > 2800
    by_code = {r["admin_code"]: r for r in rows if r["admin_code"]}
    assert (by_code["130324"]["city"], by_code["130324"]["county"]) == ("秦皇岛市", "卢龙县")
    assert by_code["210203"]["county"] == "西岗区"
    assert (by_code["441900"]["county"], by_code["441900"]["region_type"]) == ("东莞市", "县级行政区")
    assert (by_code["420200"]["county"], by_code["420200"]["region_type"]) == ("黄石市本级", "市本级")
    assert by_code["420000"]["region_type"] == "省本级"
    assert not [r for r in rows if r["region_type"] == "功能区"]   # zones come from the documents


def test_form_reader_seeds_are_the_ones_ingest_reads():
    from warehouse.build.seeds import COPIED, copied

    for name in COPIED:
        assert (SEEDS_DIR / name).read_bytes() == copied(name), name


def test_unit_seed_matches_the_value_parser():
    assert _read("unit_conversions.csv") == _as_written(conversion_rows())


def test_seeds_are_loaded_into_the_warehouse(wh):
    tables = {r[0] for r in wh.execute(
        "select table_schema || '.' || table_name from information_schema.tables").fetchall()}
    assert {"raw.regions", "raw.unit_conversions", "raw.indicator_types"} <= tables
    assert wh.execute("select count(*) from raw.regions").fetchone()[0] == len(_read("regions.csv"))
