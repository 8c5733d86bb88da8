"""Numbers for people (thousands separators, at most two decimals, blanks for missing values),
scopes from notebook parameters, and Excel exports that keep numbers as numbers."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

from warehouse.analysis.formatting import money, number, readable
from warehouse.analysis.scope import Scope


@pytest.mark.parametrize("value, shown", [
    (Decimal("63040.000000"), "63,040"), (55239.95999999999, "55,239.96"), (70000.0, "70,000"),
    (0.5, "0.5"), (Decimal("1623.785"), "1,623.79"), (None, ""), (float("nan"), ""), (-0.001, "0"),
])
def test_numbers_have_separators_and_at_most_two_decimals(value, shown):
    assert number(value) == shown


def test_money_keeps_two_decimals_and_blanks():
    assert money(Decimal("63040")) == "63,040.00"
    assert money(Decimal("0.72")) == "0.72"
    assert money(None) == ""


def test_readable_frame():
    frame = pl.DataFrame({"budget_year": [2024, 2023], "county": ["卢龙县", None],
                          "budget_wan": [Decimal("1623.79"), None], "projects": [18, 1200],
                          "value_base": [119400.0, 84.75]},
                         schema_overrides={"budget_wan": pl.Decimal(18, 6)})
    shown = readable(frame, chinese=True)
    assert shown.columns == ["年度", "县区", "预算（万元）", "项目数", "目标量"]
    assert shown.rows() == [("2024", "卢龙县", "1,623.79", "18", "119,400"),
                            ("2023", "", "", "1,200", "84.75")]


@pytest.mark.parametrize("years, counties, expected", [
    (None, None, ((), ())), ([], [], ((), ())), (2024, "卢龙县", ((2024,), ("卢龙县",))),
    ("2024,2023", "卢龙县，承德县", ((2023, 2024), ("卢龙县", "承德县"))), (["2024"], ["西岗区"], ((2024,), ("西岗区",))),
])
def test_scope_from_parameters(years, counties, expected):
    scope = Scope.of(None, years, counties)
    assert (scope.years, scope.counties) == expected


def test_scope_in_words():
    assert Scope.of(None, [2024], ["卢龙县"]).describe() == "2024年 · 卢龙县"
    assert Scope().describe() == "全部年度 · 全部县区"


def test_excel_keeps_numbers_with_formats(tmp_path: Path):
    import openpyxl

    from warehouse.analysis.excel import to_excel

    frame = pl.DataFrame({"budget_year": [2024, 2024], "county": ["卢龙县", "承德县"],
                          "budget_wan": [Decimal("1623.79"), None], "projects": [18, 12]},
                         schema_overrides={"budget_wan": pl.Decimal(18, 6)})
    path = to_excel({"按县区/年度": frame, "again": frame}, tmp_path / "t.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["按县区_年度", "again"]
    sheet = book["按县区_年度"]
    assert [c.value for c in sheet[1]] == ["年度", "县区", "预算（万元）", "项目数"]
    year, _, budget, projects = sheet[2]
    assert (year.value, year.number_format) == (2024, "0")
    assert budget.value == pytest.approx(1623.79) and budget.number_format == "#,##0.00"
    assert projects.number_format == "#,##0"
    assert sheet.cell(3, 3).value is None                  # missing stays blank, not 0


def test_a_table_longer_than_a_sheet_continues_on_more_sheets(tmp_path: Path, monkeypatch):
    """Excel holds 1,048,576 rows a sheet; a national table must not fail or lose rows."""
    import openpyxl

    from warehouse.analysis import excel

    monkeypatch.setattr(excel, "SHEET_ROWS", 4)      # the same split, on a small table
    frame = pl.DataFrame({"county": [f"县{i}" for i in range(10)], "projects": list(range(10))})
    book = openpyxl.load_workbook(excel.to_excel({"审核发现": frame, "按规则": frame.head(2)}, tmp_path / "t.xlsx"))
    assert book.sheetnames == ["审核发现 (1)", "审核发现 (2)", "审核发现 (3)", "按规则"]
    rows = [r for name in book.sheetnames[:3] for r in book[name].iter_rows(min_row=2, values_only=True)]
    assert rows == list(frame.iter_rows())
    assert [c.value for c in book["审核发现 (3)"][1]] == ["县区", "项目数"]   # each sheet has the headers
