"""The loader: every value a parser can produce is stored as it is or left empty with a parse
issue saying why (never rounded, overflowed or turned into inf in silence), and many documents
go in per transaction."""
from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

import duckdb
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.pipeline import parse_bytes
from tests.documents import text
from warehouse.build import load
from warehouse.build.load import COLUMNS, RawWriter, columns_for, ensure_schema, prune, tables_for


def _doc():
    return parse_bytes(text("000").encode(), "a.txt")


def test_values_duckdb_cannot_hold_are_left_empty_and_reported():
    doc = _doc()
    form = doc.forms[0]
    form.budget_total_wan = Decimal("9" * 300)
    form.fiscal_wan = Decimal("1.1234567")
    form.spend_q1_pct = float("inf")
    form.staff_at_year_end = 2 ** 40
    form.project_name = "bad \ud800 text"
    form.indicators[0].target = type(form.indicators[0].target)("numeric", ">=", float("nan"), "人")
    rows = tables_for(doc, datetime.now(timezone.utc))
    f = rows["forms"][0]
    assert f["budget_total_wan"] is None and f["spend_q1_pct"] is None and f["staff_at_year_end"] is None
    assert f["fiscal_wan"] == Decimal("1.123457")            # kept, rounded, and said so
    assert f["project_name"] == "bad \\ud800 text"
    assert rows["indicators"][0]["value"] is None
    issues = [(r["source_line"], r["reason"]) for r in rows["parse_issues"] if r["code"] == "VALUE_NOT_STORABLE"]
    assert [w for w, _ in issues] == [form.where] * 5 + [form.indicators[0].where]
    reasons = " ".join(r for _, r in issues)
    assert "integer digits" in reasons and "rounded" in reasons and "not a finite number" in reasons
    for table, records in rows.items():   # every row fits its table's types exactly
        frame = pl.DataFrame(records, schema=COLUMNS[table], strict=True)
        assert frame.height == len(records)
    assert rows["documents"][0]["n_warnings"] >= 6


def test_columns_come_in_each_tables_order_and_rows_line_up():
    """columns_for builds each column directly (no dict per row): every table it gives has the
    columns of COLUMNS in their order, all of one length, and a row's values are one record's."""
    doc = parse_bytes(text("004").encode(), "e.txt")
    columns = columns_for(doc, datetime.now(timezone.utc))
    assert list(columns) == ["forms", "indicators", "key_tasks", "narratives", "parse_issues",
                             "documents"]
    for table, values in columns.items():
        assert list(values) == list(COLUMNS[table])
        assert len({len(column) for column in values.values()}) == 1, table
    form_of = dict(zip(columns["forms"]["form_id"], doc.forms))
    ind = columns["indicators"]
    for fid, seq, level3, where in zip(ind["form_id"], ind["indicator_seq"], ind["level3"],
                                       ind["source_line"]):
        indicator = form_of[fid].indicators[seq - 1]
        assert (indicator.level3, indicator.where) == (level3, where)
    tasks = columns["key_tasks"]
    for fid, seq, name in zip(tasks["form_id"], tasks["task_seq"], tasks["task_name"]):
        assert form_of[fid].key_tasks[seq - 1].name == name


def test_many_documents_per_transaction_and_stale_versions_pruned():
    con = duckdb.connect()
    ensure_schema(con)
    writer = RawWriter(con, max_rows=10_000)
    docs = [parse_bytes(text(k).encode(), f"{k}.txt") for k in ("000", "001", "002", "003", "004")]
    for doc in docs:
        writer.add_columns(columns_for(doc, datetime.now(timezone.utc)))
    assert con.execute("select count(*) from raw.documents").fetchall() == [(0,)]   # not yet: one batch
    writer.flush()
    assert con.execute("select count(*), sum(n_forms) from raw.documents").fetchall() == [(5, 51)]
    writer.add_columns(columns_for(docs[0], datetime.now(timezone.utc)))   # the same version again: replaced
    writer.flush()
    assert con.execute("select count(*) from raw.forms").fetchall() == [(51,)]
    assert prune(con, {docs[0].sha256}) == 4
    assert con.execute("select count(*) from raw.forms").fetchall() == [(6,)]
    assert con.execute("select count(*) from raw.indicators").fetchall() == [(60,)]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["Utf8", "Float64", "Int32", "Int64"]), st.data())
def test_a_column_passed_whole_holds_only_storable_values(kind, data):
    """The whole-column check (C-speed) never lets through a value the per-value check would
    stop: a column that passes holds only storable values."""
    dtype = getattr(pl, kind)
    values = data.draw(st.lists(st.one_of(
        st.none(), st.text(max_size=4), st.floats(allow_nan=True, allow_infinity=True),
        st.integers(min_value=-(2 ** 70), max_value=2 ** 70), st.booleans(),
        st.sampled_from([1e308, -1e308, 0.0, float("inf"), float("-inf"), "\ud800"])), max_size=8))
    whole, plain = load._column_check(dtype), load._plain_check(dtype)
    if whole(values):
        assert all(v is None or plain(v) for v in values)


def test_columns_that_fail_whole_are_checked_value_by_value():
    cases = [(pl.Float64, [1e308, 1e308]), (pl.Float64, [float("inf"), float("-inf")]),
             (pl.Float64, [1.0, float("nan")]), (pl.Int32, [1, 2 ** 31]), (pl.Int64, [True]),
             (pl.Utf8, ["a", "b\ud800"]), (pl.Utf8, ["a", 3])]
    for dtype, values in cases:
        assert not load._column_check(dtype)(values), (dtype, values)
    assert load._column_check(pl.Float64)([1.0, None, 0.0]) and load._column_check(pl.Utf8)([None, "中"])
