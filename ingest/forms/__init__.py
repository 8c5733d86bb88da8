"""One reader for the forms of every province, driven by their labels (seed
ingest/data/form_labels.csv): a form is found by its title, its header fields by their labels,
its indicator table by its header row. Pure: a document's lines in, its forms out.

    rows      ← rendering.to_rows(lines)           tab rows, Word cells, spaced or piped text
    segments  ← titles (项目支出绩效目标表, 部门整体支出绩效目标表, 购买服务…); a page header
                repeated over a form's pages continues it
    each form ← header.read_header (labels) + table (header row, columns by name)
    a flat export (one row per indicator, project columns repeated) is cut into its projects.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from importlib import resources

from ingest.forms import header as hdr
from ingest.forms import table as tbl
from ingest.forms.amounts import parse_money, parse_percent
from ingest.forms.labels import book, fold, recognise
from ingest.forms.narrative import TOC_LINE, document_title, parse_narrative
from ingest.forms.rendering import CELLS, Row, first_text, to_rows
from ingest.records import Form, FundingLine, Line, Narrative, ParseIssue
from ingest.text import clean_cell, looks_cut_short

_NUMBERING = re.compile(r"^(\d{1,3}[.、．]|[一二三四五六七八九十]+、|附件\d*[:：]?)")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_CODED = re.compile(r"^(?:\[(\d{3,12})\]|(\d{3,12})\s*[-－—]\s*|(\d{6})(?=\D))(.+)$")
# Fields as reported per form: the labels of one field under one name.
_REPORTED = {"budget_total_generic": "budget_total", "period_total": "budget_total",
             "goal_overall": "goal_annual", "spend_q": "spend_plan", "task_content": "task_name",
             "budget_year_text": "budget_year"}
_FLAT_FIELDS = {"project_name", "project_code", "budget_unit_name", "department_name",
                "budget_total", "budget_total_generic", "fiscal", "other", "goal_annual",
                "implementing_unit", "period_text"}


@dataclass
class FormsRead:
    """What the form reader found in one document, before region and load."""
    title: str | None = None
    department_name: str | None = None
    budget_year: int | None = None
    rendering: str | None = None
    forms: list[Form] = field(default_factory=list)
    narratives: list[Narrative] = field(default_factory=list)
    issues: list[ParseIssue] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)   # header texts not read into fields (where a place may be named)
    context_year: int | None = None    # the year of the last form read, for a form that prints none


@dataclass
class _Segment:
    kind: str
    title: str | None
    where: str
    rows: list[Row]
    page_title: str | None = None    # a fuller title printed above the form's own


@cache
def funding_categories() -> dict[str, str]:
    with resources.files("ingest.data").joinpath("funding_source_names.csv").open(encoding="utf-8") as fh:
        return {r["source_name"]: r["category"] for r in csv.DictReader(fh)}


def read_forms(lines: list[Line]) -> FormsRead:
    result = FormsRead()
    rows, mode = to_rows(lines)
    result.rendering = mode
    result.title, result.budget_year, result.department_name = document_title(lines)
    preamble, segments = _segments(rows, result.issues)
    if segments:
        first_no = segments[0].rows[0].no if segments[0].rows else None
        result.narratives = parse_narrative([l for l in lines if first_no is None or l.no < first_no])
    for seg in segments:
        result.forms += _read_segment(seg, mode, result)
    _inherit(result)
    return result


def _title_of(row: Row) -> tuple[str, str] | None:
    first = first_text(row.texts)
    if "表" not in first:     # every row is asked: most leave here
        return None
    filled = [t for t in row.texts if t]
    if len(filled) > 2 or TOC_LINE.search("\t".join(row.cells)):
        return None
    text = filled[0].strip("《》<>")
    if len(fold(text)) > 80 or (len(filled) == 2 and not _YEAR.search(filled[1])):
        return None
    kind = book().title(text)
    return (kind, text) if kind else None


def _names_form(rows: list[Row]) -> bool:
    """Whether a segment names its own form (项目名称, 部门名称 …), as a continuation page
    with the title repeated as a page header does not."""
    b = book()
    for row in rows[:12]:
        for c in row.cells:
            hit = b.field(clean_cell(c)) if c.strip() else None
            if hit is None and (":" in c or "：" in c):
                hit = b.field(re.split(r"[:：]", c, maxsplit=1)[0])
            if hit is not None and hit.target in ("project_name", "department_name", "project_code"):
                return True
    return False


def _has_labels(rows: list[Row]) -> bool:
    b = book()
    return any(b.field(t) for row in rows for t in row.texts if t) or \
        any(tbl.header_at(rows, i) for i in range(len(rows)))


def _segments(rows: list[Row], issues: list[ParseIssue]) -> tuple[list[Row], list[_Segment]]:
    preamble: list[Row] = []
    segments: list[_Segment] = []
    for row in rows:
        title = _title_of(row)
        if title is not None:
            kind, text = title
            segments.append(_Segment(kind, text, row.where, []))
            continue
        (segments[-1].rows if segments else preamble).append(row)
    # a title repeated at the top of every page of one form (西岗's department form) continues
    # it; a page title with nothing under it before the form's own title names the same form
    merged: list[_Segment] = []
    for seg in segments:
        if merged and seg.title == merged[-1].title and not _names_form(seg.rows):
            merged[-1].rows += seg.rows
        elif merged and not _has_labels(merged[-1].rows):
            seg.page_title = merged[-1].title
            seg.rows = merged[-1].rows + seg.rows
            seg.where = merged[-1].where
            merged[-1] = seg
        else:
            merged.append(seg)
    out = []
    for seg in merged:
        if seg.kind == "reject":
            issues.append(ParseIssue(seg.where, "info", "NOT_A_TARGET_FORM",
                                     f"{seg.title}: a self-evaluation or evaluation form, not read"))
        else:
            out.append(seg)
    if not out and any(tbl.header_at(rows, i) for i in range(len(rows))):
        # no title at all (a form copied without it): the whole text is one form
        kind = "department" if any(book().field(clean_cell(c)) and book().field(clean_cell(c)).target
                                   in ("basic_expenditure", "duties") for r in rows for c in r.cells if c.strip()) \
            else "project"
        out.append(_Segment(kind, None, rows[0].where if rows else "file", rows))
        preamble = []
    return preamble, out


def _read_segment(seg: _Segment, mode: str, doc: FormsRead) -> list[Form]:
    rows = [r for r in seg.rows if not hdr.is_noise(r)]
    start, cols = next(((i, c) for i in range(len(rows)) if (c := tbl.header_at(rows, i))), (None, None))
    if cols is not None:
        flat = _flat_columns(rows[start])
        if "project_name" in flat.values():
            return _read_flat(seg, rows, start, cols, flat, mode, doc)
    header_rows = rows if start is None else rows[:start]
    h = hdr.read_header(header_rows)
    forms = []
    table_rows: list[Row] = []
    footer: list[Row] = []
    if cols is not None:
        body = rows[start + cols.header_rows:]
        first_name = first_text(rows[start].texts)
        for i, row in enumerate(body):
            if tbl.table_end(body, i):
                footer = body[i:]
                break
            if first_text(row.texts) == first_name and tbl.header_at(body, i) is not None:
                continue   # the header repeated on a new page
            table_rows.append(row)
    form = _build(seg, h, doc)
    if cols is not None:
        form.indicators = tbl.to_indicators(tbl.read_rows(table_rows, cols, mode == CELLS, doc.issues), cols,
                                            budget_year=form.budget_year, issues=doc.issues)
    _report(form, cols, doc.issues)
    for row in footer:
        text = " ".join(t for t in row.texts if t)
        if text:
            doc.narratives.append(Narrative("说明", form.title, text, row.where))
    forms.append(form)
    return forms


def _value(h: hdr.Header, name: str) -> str | None:
    v = h.first(name)
    return v.text if v else None


def _coded(text: str | None) -> tuple[str | None, str | None]:
    """A name printed with its code: `[015001]武汉市青山区教育局`, `820001-井研县…`."""
    if not text:
        return None, None
    m = _CODED.match(text.strip())
    if m and len(m.group(4).strip()) >= 2:
        return (m.group(1) or m.group(2) or m.group(3)), m.group(4).strip()
    return None, text.strip()


def _money(h: hdr.Header, v: hdr.Value, issues: list[ParseIssue]) -> Decimal | None:
    try:
        amount, _ = parse_money(v.text, v.unit or h.money_unit or "万元")
        return amount
    except ValueError as exc:
        issues.append(ParseIssue(v.where, "error", "BAD_AMOUNT", f"{v.label}: {exc}"))
        return None


def _build(seg: _Segment, h: hdr.Header, doc: FormsRead) -> Form:
    issues = doc.issues
    form = Form(form_kind=seg.kind, where=seg.where, title=seg.title)
    form.money_unit = h.money_unit or next((v.unit for v in h.values if v.unit), None) or "万元"
    form.project_name = _value(h, "project_name")
    form.project_code = _value(h, "project_code")
    form.department_code, form.department_name = _coded(_value(h, "department_name"))
    _, form.implementing_unit = _coded(_value(h, "implementing_unit"))
    unit_code, unit_name = _coded(_value(h, "budget_unit_name"))
    if unit_name and re.search(r"盖章|签章|印章", unit_name):
        unit_code = unit_name = None
    if h.unit_line:
        unit_code, unit_name = h.unit_line
    form.budget_unit_code, form.budget_unit_name = unit_code, unit_name
    form.period_text = _value(h, "period_text")
    # a year printed as the form's (预算年度, (2024年度)) or the document's before one in the
    # title, which may name the year of the funds (提前下达2023年…资金) rather than the budget's
    form.budget_year = (_year(_value(h, "budget_year_text")) or h.year or doc.budget_year
                        or _year(seg.title) or _year(seg.page_title) or _year(form.period_text)
                        or doc.context_year)   # else the year of the forms before it (西岗's 购买服务)
    doc.context_year = form.budget_year or doc.context_year
    form.purpose = _value(h, "purpose")
    form.duties = _value(h, "duties")
    form.goal_annual = _value(h, "goal_annual") or _value(h, "goal_overall")
    form.goal_period = _value(h, "goal_period")
    for name in ("period_total", "fiscal", "other", "basic_expenditure", "project_expenditure"):
        values = [v for v in h.get(name) if v.text]
        # the first row that prints it; in that row the rightmost value (the year's, beside 实施期)
        values = [v for v in values if v.where == values[0].where] if values else []
        amount = _money(h, values[-1], issues) if values else None
        setattr(form, {"fiscal": "fiscal_wan", "other": "other_wan"}.get(name, f"{name}_wan"), amount)
    annual = [v for v in h.get("budget_total") if v.text]
    generic = [v for v in h.get("budget_total_generic") if v.text]
    total = annual[-1] if annual else generic[0] if generic else None
    form.budget_total_wan = _money(h, total, issues) if total else form.period_total_wan
    staff = h.first("staff_at_year_end")
    if staff and (m := re.search(r"\d+", staff.text)):
        form.staff_at_year_end = int(m.group(0))
    categories = funding_categories()
    for v in h.values:
        if v.field.startswith("funding:"):
            name = v.field.split(":", 1)[1]
            form.funding.append(FundingLine(name, v.label, _money(h, v, issues) if v.text else None,
                                            categories.get(name, "other"), v.where))
    _fund_totals(form)
    _spend_plan(form, h, issues)
    form.key_tasks = h.tasks
    form.fields_found = sorted({_REPORTED.get(f, f) for f in h.fields()} - {"ignore", "money_unit"})
    if seg.kind != "department" and not form.project_name and (seg.page_title or seg.title):
        # 河北: the project is named in the title (3.国土空间规划绩效目标表)
        name = _NUMBERING.sub("", clean_cell(seg.page_title or seg.title))
        name = re.sub(r"(项目支出)?绩效目标(申报|批复|审批)?表$", "", name)
        form.project_name = name or None
    doc.texts += [v.text for v in h.values if v.field == "ignore"] + [text for _, text in h.unread]
    for where, text in h.unread:
        issues.append(ParseIssue(where, "info", "ROW_NOT_READ",
                                 f"row with no known label kept out of the record: {text[:80]!r}"))
    return form


def _fund_totals(form: Form) -> None:
    """Funding lines add up to the totals the form leaves out: the budget when it prints none,
    and, when the lines cover the whole budget, the fiscal part (current and carried-over
    appropriations) and the other part that it does not print."""
    lines = [f for f in form.funding if f.amount_wan is not None]
    if not lines:
        return
    total = sum((f.amount_wan for f in lines), Decimal(0))
    if form.budget_total_wan is None:
        form.budget_total_wan = total
    if total != form.budget_total_wan:
        return
    fiscal = [f.amount_wan for f in lines if f.category in ("fiscal", "carryover")]
    other = [f.amount_wan for f in lines if f.category == "other"]
    if form.fiscal_wan is None and fiscal:
        form.fiscal_wan = sum(fiscal, Decimal(0))
    if form.other_wan is None and other:
        form.other_wan = sum(other, Decimal(0))


def _spend_plan(form: Form, h: hdr.Header, issues: list[ParseIssue]) -> None:
    """Cumulative % by quarter, from month (3月底, 6月底, 9/10月底, 12月底) or quarter labels."""
    for v in h.get("spend_q"):
        q = _quarter(v.groups)
        if q is None or not v.text:
            continue
        try:
            setattr(form, f"spend_q{q}_pct", parse_percent(v.text))
        except ValueError as exc:
            issues.append(ParseIssue(v.where, "error", "BAD_PERCENT", str(exc)))


def _quarter(groups: tuple[str, ...]) -> int | None:
    if not groups or not groups[0]:
        return None
    g = groups[0].lstrip("第")
    if g in "一二三四":
        return "一二三四".index(g) + 1
    n = int(g)
    return 1 if n <= 3 else 2 if n <= 6 else 3 if n <= 10 else 4 if n <= 12 else None


def _year(text: str | None) -> int | None:
    m = _YEAR.search(fold(text or "")) or re.match(r"^((?:19|20)\d{2})(?:\D|$)", fold(text or ""))
    return int(m.group(1)) if m else None


def _report(form: Form, cols: tbl.Columns | None, issues: list[ParseIssue]) -> None:
    """The template recognised, and a warning for a form missing its budget or its table."""
    columns = set(cols.roles) if cols else set()
    fields = set(form.fields_found)
    form.template = recognise(form.form_kind, form.title, fields, columns)
    label = form.project_name or form.department_name or form.title or "form"
    if form.budget_total_wan is None and not form.redacted:
        issues.append(ParseIssue(form.where, "warning", "BUDGET_MISSING",
                                 f"{label}: no budget amount found (labels such as 预算数, 年度资金总额, "
                                 "年度金额); kept null"))
    if cols is None:
        issues.append(ParseIssue(form.where, "warning", "NO_INDICATOR_TABLE",
                                 f"{label}: no indicator table (no row naming 三级指标 and 指标值)"))
    values = [i.target.value_kind for i in form.indicators]
    form.redacted = fold(form.purpose or "") == "密" or (bool(values) and values.count("redacted") * 2 > len(values))
    if form.redacted:
        issues.append(ParseIssue(form.where, "info", "FORM_REDACTED",
                                 f"{label}: the form is redacted (密); its values stay null"))
    for goal in (form.goal_period, form.goal_annual):
        if goal and len(goal) >= 30 and looks_cut_short(goal):
            form.goal_cut_short = True
    if form.goal_cut_short:
        issues.append(ParseIssue(form.where, "info", "GOAL_CUT_SHORT",
                                 f"{label}: goal text stops mid-sentence in the source; kept as read"))


def _flat_columns(header_row: Row) -> dict[int, str]:
    out = {}
    b = book()
    for col, c in enumerate(header_row.cells):
        text = clean_cell(c)
        if text and b.column(text) is None and (hit := b.field(text)) and hit.target in _FLAT_FIELDS:
            out[col] = hit.target
    return out


def _read_flat(seg: _Segment, rows: list[Row], start: int, cols: tbl.Columns, flat: dict[int, str],
               mode: str, doc: FormsRead) -> list[Form]:
    """A flat export: one row per indicator with the project's columns on the left, repeated
    or left blank (merged) under the project's first row; a row with a unit but no project
    and an amount is the department's subtotal, naming the department of the rows below."""
    pre = hdr.read_header(rows[:start])
    header_cells = rows[start].texts
    unit = pre.money_unit or next((book().field(header_cells[c]).key.unit for c in flat
                                   if book().field(header_cells[c]).key.unit), None) or "万元"
    forms: list[Form] = []
    groups: list[tuple[dict[str, str], Row, list[Row]]] = []
    context: dict[str, str] = {}
    department: str | None = None
    for i in range(start + cols.header_rows, len(rows)):
        row, texts = rows[i], rows[i].texts
        if tbl.table_end(rows, i):
            break
        own = {name: texts[c] for c, name in flat.items() if c < len(texts) and texts[c]}
        indicator_cells = [t for c, t in enumerate(texts) if c not in flat and t]
        if own and "project_name" not in own and not indicator_cells:
            department = own.get("budget_unit_name") or own.get("department_name") or department
            continue
        key = own.get("project_code") or own.get("project_name")
        if key and (not groups or (groups[-1][0].get("project_code") or groups[-1][0].get("project_name")) != key):
            context = {**{k: v for k, v in context.items() if k in ("budget_unit_name", "department_name")}, **own}
            if department and "department_name" not in own:
                context["department_name"] = department
            groups.append((dict(context), row, []))
        elif own:
            context.update(own)
        if groups:
            groups[-1][2].append(row)
    for fields, first, group_rows in groups:
        h = hdr.Header(money_unit=unit)
        for name, text in fields.items():
            h.values.append(hdr.Value(name, text, name, unit, first.where))
        seg2 = _Segment(seg.kind, seg.title, first.where, group_rows)
        form = _build(seg2, h, doc)
        form.budget_year = form.budget_year or pre.year or _year(seg.title)
        blank = {c: "" for c in flat}
        stripped = [Row([("" if c in blank else x) for c, x in enumerate(r.cells)], r.where, r.no,
                        r.page, r.origin, r.confidences) for r in group_rows]
        form.indicators = tbl.to_indicators(tbl.read_rows(stripped, cols, mode == CELLS, doc.issues), cols,
                                            budget_year=form.budget_year, issues=doc.issues)
        _report(form, cols, doc.issues)
        form.template = "flat_export"
        forms.append(form)
    return forms


def _inherit(result: FormsRead) -> None:
    """What a form leaves out and its document says: the publishing department and the year;
    the purchased-service forms of a department form take its department and year."""
    department_form = next((f for f in result.forms if f.form_kind == "department"), None)
    department = result.department_name or (department_form.department_name if department_form else None)
    year = result.budget_year or (department_form.budget_year if department_form else None)
    for form in result.forms:
        if result.department_name and form.form_kind == "project" and result.title:
            form.department_name = result.department_name   # 河北: the publisher supervises
        form.department_name = form.department_name or department
        form.budget_year = form.budget_year or year
    if result.budget_year is None:
        years = [f.budget_year for f in result.forms if f.budget_year]
        result.budget_year = min(years) if years else None
    if result.department_name is None:
        names = [f.budget_unit_name for f in result.forms if f.budget_unit_name] + \
                [f.department_name for f in result.forms if f.department_name]
        result.department_name = names[0] if names else None
