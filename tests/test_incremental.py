"""A build after documents were corrected, added, removed or renamed updates the models that are
incremental by form (dbt_project/macros/incremental_by_form.sql) to exactly what a build from
scratch of the same documents makes; a change to the dbt project rebuilds them in full."""
from __future__ import annotations

import json
import shutil

import duckdb
import pytest

from benchmarks.generate import documents
from warehouse.build import build, dbt
from warehouse.paths import dbt_dir

# every model materialized incremental: (schema, table)
INCREMENTAL = {
    ("intermediate", "int_indicators__typed"), ("intermediate", "int_indicators__measures"),
    ("marts", "fct_indicator_target"), ("intermediate", "int_findings__targets"),
    ("intermediate", "int_findings__forms"), ("marts", "fct_target_findings"),
    ("marts", "dim_project"), ("marts", "fct_project_funding"),
}


def _rows(db, schema: str, table: str) -> set[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(f"select * from {schema}.{table}").fetchall()
    assert len(rows) == len(set(rows)), f"{schema}.{table} holds a row twice"
    return set(rows)


@pytest.fixture
def docs(tmp_path):
    root = tmp_path / "docs"
    for doc in documents(forms=120, seed=11):
        path = root / doc.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(doc.data)
    return root


def test_models_incremental_by_form_are_marked_so():
    """The list above is the project's: a model made incremental is tested here."""
    import re

    from warehouse.paths import DBT_PROJECT_DIR

    marked = {p.stem for p in (DBT_PROJECT_DIR / "models").rglob("*.sql")
              if re.search(r"materialized\s*=\s*'incremental'", p.read_text(encoding="utf-8"))}
    assert marked == {table for _, table in INCREMENTAL}


def test_incremental_build_equals_a_build_from_scratch(docs, tmp_path):
    files = sorted(p for p in docs.rglob("*") if p.is_file() and p.suffix == ".txt")
    assert len(files) >= 4
    published = tmp_path / "inc.duckdb"
    first = build([docs], published, validate=False)
    assert first.full_refresh and first.exit_code == 0

    # one document corrected (a project renamed), one removed, one renamed, one added (a copy
    # of another with a project renamed: new content, not a duplicate)
    corrected, removed, renamed, copied = files[0], files[1], files[2], files[3]
    name, other = _first_project(published, corrected, docs), _first_project(published, copied, docs)
    text, copied_text = corrected.read_text(encoding="utf-8"), copied.read_text(encoding="utf-8")
    assert name in text and other in copied_text
    corrected.write_text(text.replace(name, name + "（更正）"), encoding="utf-8")
    removed.unlink()
    renamed.rename(renamed.with_name("renamed_" + renamed.name))
    added = copied.with_name("added_" + copied.name)
    added.write_text(copied_text.replace(other, other + "（新增）"), encoding="utf-8")

    second = build([docs], published, validate=False)
    assert not second.full_refresh and second.exit_code == 0
    _covers_every_model_and_its_tests(published)
    assert second.changes("changed") == [corrected.relative_to(docs).as_posix()]
    assert second.count("loaded") == len(files)   # the added copy is a document, no duplicate

    scratch = tmp_path / "scratch.duckdb"
    full = build([docs], scratch, validate=False)
    assert full.full_refresh
    for schema, table in sorted(INCREMENTAL):
        inc, ref = _rows(published, schema, table), _rows(scratch, schema, table)
        assert inc == ref, f"{schema}.{table}: {len(inc - ref)} rows only in the incremental build, " \
                           f"{len(ref - inc)} only in the one from scratch"
    with duckdb.connect(str(published), read_only=True) as con:
        assert con.execute("select count(*) from marts.dim_project where project_name = ?",
                           [name + "（更正）"]).fetchone()[0] == 1
        assert con.execute("select count(*) from marts.dim_project where project_name = ? "
                           "and source_file = ?", [name, corrected.relative_to(docs).as_posix()]
                           ).fetchone()[0] == 0
        files_now = {f for (f,) in con.execute(
            "select distinct source_file from marts.fct_indicator_target").fetchall()}
        assert removed.relative_to(docs).as_posix() not in files_now
        assert renamed.relative_to(docs).as_posix() not in files_now
        assert renamed.with_name("renamed_" + renamed.name).relative_to(docs).as_posix() in files_now
        assert added.relative_to(docs).as_posix() in files_now


def _covers_every_model_and_its_tests(published):
    """The incremental build's dbt run: every model, and every test that reads a model or the
    raw tables (also one that checks a model against a seed); no seed, test of seeds alone, or
    unit test (they depend on the project only, and ran in the full build before)."""
    target = dbt_dir(published) / "target"
    ran = {r["unique_id"] for r in json.loads((target / "run_results.json").read_text("utf-8"))["results"]}
    nodes = json.loads((target / "manifest.json").read_text("utf-8"))["nodes"]
    models = {u for u, n in nodes.items() if n["resource_type"] == "model"}
    tests = {u: n["depends_on"]["nodes"] for u, n in nodes.items() if n["resource_type"] == "test"}
    on_seeds = {u for u, parents in tests.items() if parents and all(p.startswith("seed.") for p in parents)}
    assert models <= ran and set(tests) - on_seeds <= ran
    assert any(p.startswith("source.") for u in ran for p in tests.get(u, []))    # raw tables
    assert any(p.startswith("seed.") and u not in on_seeds for u in ran for p in tests.get(u, []))
    assert on_seeds and not on_seeds & ran
    assert not {u for u in ran if u.split(".")[0] in ("seed", "unit_test")}


def test_a_changed_project_rebuilds_every_model(docs, tmp_path, monkeypatch):
    published = tmp_path / "w.duckdb"
    build([docs], published, validate=False)
    # a row of an unchanged form made stale, as a model changed since would leave it:
    # an incremental build keeps it, a full one makes it again
    with duckdb.connect(str(published)) as con:
        key = con.execute("select min(project_key) from marts.fct_project_funding").fetchone()[0]
        con.execute("update marts.fct_project_funding set budget_total_wan = -1 where project_key = ?", [key])
    assert not build([docs], published, validate=False).full_refresh
    assert _budget(published, key) == -1

    monkeypatch.setattr("warehouse.build.publish.project_digest", lambda: "another")
    summary = build([docs], published, validate=False)
    assert summary.full_refresh
    assert any("every dbt model rebuilt" in n for n in summary.notes)
    assert _budget(published, key) != -1


def _budget(db, project_key):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("select budget_total_wan from marts.fct_project_funding "
                           "where project_key = ?", [project_key]).fetchone()[0]


def _first_project(db, path, docs) -> str:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("select project_name from marts.dim_project where source_file = ? "
                           "and project_name is not null order by project_key limit 1",
                           [path.relative_to(docs).as_posix()]).fetchone()[0]


def test_project_digest_follows_the_project(tmp_path, monkeypatch):
    """A model's file changed is a new digest (so the next build is a full refresh)."""
    copy = tmp_path / "dbt_project"
    shutil.copytree(dbt.DBT_PROJECT_DIR, copy, ignore=shutil.ignore_patterns("target", "logs"))
    monkeypatch.setattr(dbt, "DBT_PROJECT_DIR", copy)
    one = dbt.project_digest()
    for output in ("target", "logs", ".warehouse.duckdb.dbt"):   # what dbt writes is not the project
        (copy / output).mkdir(exist_ok=True)
        (copy / output / "run_results.json").write_text("{}")
    assert dbt.project_digest() == one
    model = copy / "models" / "marts" / "dim_project.sql"
    model.write_text(model.read_text(encoding="utf-8") + "\n-- changed\n", encoding="utf-8")
    assert dbt.project_digest() != one
