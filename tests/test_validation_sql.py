"""Expectations evaluated as SQL aggregates in DuckDB give what Great Expectations itself gives
on the same rows, and their memory does not grow with the table."""
from __future__ import annotations

import os
import tracemalloc

import duckdb
import pandas as pd
import pytest

from warehouse.build.expectations_sql import evaluate_suite, unexpected_predicate
from warehouse.build.validate import load_suites

FRAME = pd.DataFrame({
    "n": [1.0, 2.0, 20.0, 20.0, None, -1.0, 5.0, 5.0],
    "s": ["x", "y", None, "zz", "x", "q'uote", "x", "y"],
    "flag": [True, True, False, True, True, True, True, None],
})
EXPECTATIONS = [
    {"type": "expect_table_row_count_to_be_between", "kwargs": {"min_value": 1, "max_value": 5}},
    {"type": "expect_table_row_count_to_be_between", "kwargs": {"min_value": 8}},
    {"type": "expect_column_values_to_be_unique", "kwargs": {"column": "n"}},
    {"type": "expect_column_values_to_be_unique", "kwargs": {"column": "flag", "mostly": 0.1}},
    {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "s"}},
    {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "s", "mostly": 0.8}},
    {"type": "expect_column_values_to_be_in_set", "kwargs": {"column": "s", "value_set": ["x", "y", "q'uote"]}},
    {"type": "expect_column_values_to_be_in_set", "kwargs": {"column": "flag", "value_set": [True]}},
    {"type": "expect_column_values_to_not_be_in_set", "kwargs": {"column": "s", "value_set": ["zz"]}},
    {"type": "expect_column_values_to_be_between", "kwargs": {"column": "n", "min_value": 0, "max_value": 10}},
    {"type": "expect_column_values_to_be_between", "kwargs": {"column": "n", "min_value": 1, "strict_min": True}},
    {"type": "expect_column_values_to_be_between", "kwargs": {"column": "n", "max_value": 20, "mostly": 0.5}},
    {"type": "expect_column_values_to_match_regex", "kwargs": {"column": "s", "regex": "^[xy]$"}},
    {"type": "expect_column_values_to_not_match_regex", "kwargs": {"column": "s", "regex": "uo"}},
]
COMPARED = ("element_count", "unexpected_count", "missing_count", "observed_value")


@pytest.fixture(scope="module")
def by_gx():
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx
    from great_expectations.data_context.types.base import (DataContextConfig,
                                                            InMemoryStoreBackendDefaults)

    context = gx.get_context(mode="ephemeral", project_config=DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults()))
    suite = context.suites.add(gx.ExpectationSuite(name="cross_check", expectations=EXPECTATIONS))
    batch = context.data_sources.add_pandas("frame").add_dataframe_asset("frame") \
        .add_batch_definition_whole_dataframe("all")
    result = context.validation_definitions.add(
        gx.ValidationDefinition(name="cross_check", data=batch, suite=suite)
    ).run(batch_parameters={"dataframe": FRAME}, result_format="COMPLETE")
    # GX orders results its own way: put them in the order of EXPECTATIONS
    by_id = {r.expectation_config.id: r for r in result.results}
    return [by_id[e.id] for e in suite.expectations]


def test_sql_results_are_the_results_gx_computes(by_gx):
    con = duckdb.connect()
    con.register("frame", FRAME)
    n, outcomes = evaluate_suite(con, "select * from frame", EXPECTATIONS)
    assert n == len(FRAME)
    for spec, ours, theirs in zip(EXPECTATIONS, outcomes, by_gx):
        assert ours.success == theirs.success, spec
        for key in COMPARED:
            if key in theirs.result:
                assert ours.result[key] == theirs.result[key], (spec, key)
        if "unexpected_percent" in theirs.result:
            assert ours.result["unexpected_percent"] == pytest.approx(theirs.result["unexpected_percent"]), spec
        if theirs.result.get("unexpected_count"):
            assert sorted(map(_shown, ours.result["partial_unexpected_list"])) == \
                sorted(map(_shown, theirs.result["partial_unexpected_list"])), spec


def _shown(value) -> str:
    """pandas says NaN where SQL says NULL."""
    return "None" if value is None or value != value else str(value)


def test_every_suite_expectation_is_evaluated_in_sql():
    for spec in load_suites():
        for e in spec["expectations"]:
            unexpected_predicate(e["type"], e.get("kwargs", {}))   # raises on an unknown type


def test_memory_does_not_grow_with_the_table(tmp_path):
    """Two million rows with failures in every expectation: only counts and a few examples
    come back to Python."""
    con = duckdb.connect(str(tmp_path / "big.duckdb"))
    con.execute("""create table big as select i as key, i % 1000 as n,
                   case when i % 7 = 0 then null else 'v' || (i % 13) end as s,
                   'file_' || (i % 50) || '.txt' as source_file from range(2000000) t(i)""")
    expectations = [
        {"type": "expect_column_values_to_be_unique", "kwargs": {"column": "n"}},
        {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "s"}},
        {"type": "expect_column_values_to_be_in_set", "kwargs": {"column": "s", "value_set": ["v1", "v2"]}},
        {"type": "expect_column_values_to_be_between", "kwargs": {"column": "n", "max_value": 10}},
        {"type": "expect_column_values_to_match_regex", "kwargs": {"column": "s", "regex": "^v[0-5]$"}},
        {"type": "expect_column_values_to_be_unique", "kwargs": {"column": "key"}},
    ]
    tracemalloc.start()
    n, outcomes = evaluate_suite(con, "select * from big", expectations)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert n == 2_000_000
    assert [o.success for o in outcomes] == [False, False, False, False, False, True]
    assert outcomes[0].result["unexpected_count"] == 2_000_000
    assert outcomes[1].result["unexpected_count"] == len(range(0, 2_000_000, 7))
    assert len(outcomes[2].files) == 20 and len(outcomes[2].result["partial_unexpected_list"]) == 20
    assert peak < 5 * 1024 * 1024, f"{peak / 1e6:.1f} MB of Python memory for 2M rows"
