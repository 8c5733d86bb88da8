"""Great Expectations validation before publishing: the suites pass on the samples, their
summary is kept in the warehouse, and a warehouse corrupted on purpose is never published."""
from __future__ import annotations

import hashlib
import shutil

import duckdb
import pytest
from typer.testing import CliRunner

from tests.conftest import SAMPLE
from warehouse.build import publish as build_module
from warehouse.build import build
from warehouse.build.validate import SUITES_DIR, ValidationFailed, load_suites, validate


def test_suites_are_files_in_git_covering_raw_and_marts():
    names = {s["name"] for s in load_suites()}
    assert {"raw_documents", "raw_documents_have_forms", "raw_forms", "raw_indicators",
            "raw_source_files", "marts_fct_project_funding", "marts_fct_indicator_target",
            "marts_referential_integrity", "marts_row_counts", "marts_dim_document"} <= names
    assert all(p.suffix == ".json" for p in SUITES_DIR.iterdir())


def test_samples_pass_and_the_run_is_recorded(wh):
    rows = wh.execute("select suite, success, n_expectations, n_rows from raw.validation_runs").fetchall()
    assert len(rows) == len(load_suites())
    assert all(success for _, success, _, _ in rows)
    counts = {suite: n for suite, _, _, n in rows}
    assert counts["raw_forms"] == 51 and counts["raw_indicators"] == 416
    assert counts["raw_documents_have_forms"] == 5 and counts["marts_row_counts"] == 5


def test_data_docs_are_written(built_warehouse):
    docs = built_warehouse.parent / "reports" / "data_docs"
    index = (docs / "index.html").read_text(encoding="utf-8")
    assert "marts_referential_integrity" in index and "raw_forms" in index


# A broken warehouse, each in a way no document can cause: what the blocking checks are for.
CORRUPTIONS = {
    "missing_dimension": ("insert into marts.fct_project_funding (project_key, budget_year, region_key, "
                          "department_key, budget_total_wan) values ('nowhere-f001', 2024, '999999', "
                          "'no-such-department', 10)", "marts_referential_integrity.found"),
    "duplicate_key": ("insert into marts.fct_project_funding select * from marts.fct_project_funding "
                      "where project_key = (select min(project_key) from marts.fct_project_funding)",
                      "marts_fct_project_funding.project_key"),
    "lost_rows": ("delete from marts.fct_indicator_target where source_file = 'dalian_gaoxin_ziranziyuan_2024.txt' "
                  "and indicator_seq = 1", "marts_row_counts.counts_match"),
}
# The document each corruption's failure is traced to, where one is.
CULPRIT = {"duplicate_key": "", "lost_rows": "dalian_gaoxin_ziranziyuan_2024.txt"}


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("case", CORRUPTIONS)
def test_validation_catches_a_corrupted_warehouse(built_warehouse, tmp_path, case):
    sql, failing = CORRUPTIONS[case]
    copy = tmp_path / "corrupt.duckdb"
    shutil.copyfile(built_warehouse, copy)
    with duckdb.connect(str(copy)) as con:
        con.execute(sql)
    with pytest.raises(ValidationFailed) as err:
        validate(copy, tmp_path / "docs")
    assert failing in str(err.value)
    if case in CULPRIT:
        assert f"file: {CULPRIT[case]}" in str(err.value)
    with duckdb.connect(str(copy), read_only=True) as con:   # the failed run is recorded too
        assert con.execute("select count(*) from raw.validation_runs where not success").fetchone()[0] >= 1


@pytest.fixture()
def corrupting_dbt(monkeypatch):
    """dbt that builds correctly and then leaves a bad row behind, as a faulty model would."""
    real = build_module.run_dbt

    def run(db_file, *args, **kwargs):
        warnings = real(db_file, *args, **kwargs)
        with duckdb.connect(str(db_file)) as con:
            for sql, _ in CORRUPTIONS.values():
                con.execute(sql)
        return warnings

    monkeypatch.setattr(build_module, "run_dbt", run)


def test_a_corrupted_build_is_not_published(built_warehouse, tmp_path, corrupting_dbt):
    published = tmp_path / "published.duckdb"
    shutil.copyfile(built_warehouse, published)
    before = _digest(published)
    with pytest.raises(ValidationFailed) as err:
        build([SAMPLE["000"]], published, reports_dir=tmp_path / "reports")
    for _, failing in CORRUPTIONS.values():
        assert failing in str(err.value)
    assert _digest(published) == before


def test_cli_build_exits_nonzero_and_names_the_failure(built_warehouse, tmp_path, corrupting_dbt):
    from warehouse.cli import app

    published = tmp_path / "published.duckdb"
    shutil.copyfile(built_warehouse, published)
    before = _digest(published)
    result = CliRunner().invoke(app, ["build", "--source", str(SAMPLE["000"]), "--warehouse",
                                      str(published), "--reports", str(tmp_path / "reports")])
    assert result.exit_code == 1
    assert "构建失败（校验" in result.output and "已发布的仓库未改动" in result.output
    assert "marts_referential_integrity" in result.output
    assert _digest(published) == before
