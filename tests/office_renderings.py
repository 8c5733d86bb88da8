"""Renderings of a text sample in the office and web formats counties publish: the sample's rows and
paragraphs laid out as Word tables with merged cells (.docx), as a worksheet with merged
ranges (.xlsx), as a web page with rowspan/colspan (.html), and through LibreOffice as .doc,
.xls and the rest. Used by tests/test_formats.py and benchmarks/bench_formats.py (tests/renderings.py holds the
plain-text renderings: pipes, spaces, one cell per line).

A sample becomes a list of blocks: paragraphs (str) and tables (Table). Lines with tabs are
table rows; consecutive rows make one table. In a Word extraction with one cell per line
(lines starting with a tab, blank lines between rows, continuation lines without a tab), the
cells are put back into their rows first. A table's grid is as wide as its longest row:
  - a row with fewer cells has its last cell span the remaining columns, except the spending
    plan (资金支出计划 and the row of percentages under it), whose first and last values
    each span one column more when the row is two short (so that "3月底" covers two grid
    columns, as Word forms print it);
  - in an indicator table (a header row with 一级指标), an empty level-1 or level-2 cell under
    a filled one (or under one it continues) is merged vertically with it.
The text a reader gives back for such a table is the sample's row with empty strings where
merged cells cover the grid, which is what the reader contract asks.
"""
from __future__ import annotations

import html
import io
import os
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Table:
    rows: list[list[str]]                       # on the grid: covered positions are ""
    spans: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)  # (r, c) -> (rowspan, colspan)

    @property
    def width(self) -> int:
        return len(self.rows[0]) if self.rows else 0

    def covered(self) -> set[tuple[int, int]]:
        out = set()
        for (r, c), (rs, cs) in self.spans.items():
            out |= {(r + dr, c + dc) for dr in range(rs) for dc in range(cs)} - {(r, c)}
        return out


Block = str | Table


def blocks(text: str) -> list[Block]:
    lines = text.replace("\r\n", "\n").split("\n")
    one_cell_per_line = any(l.startswith("\t") and l.strip() == "项目编码" for l in lines)
    raw = _word_blocks(lines) if one_cell_per_line else _row_blocks(lines)
    out: list[Block] = []
    for block in raw:
        if isinstance(block, str):
            out.append(block)
        elif out and isinstance(out[-1], list):
            out[-1].append(block)
        else:
            out.append([block])
    return [b if isinstance(b, str) else _grid(b) for b in out]


def _row_blocks(lines: list[str]) -> list:
    return [line.split("\t") if "\t" in line else line for line in lines]


def _word_blocks(lines: list[str]) -> list:
    """One cell per line back into rows: a line starting with a tab opens a cell, a line
    without one continues the open cell, a blank line ends the row."""
    out: list = []
    row: list[str] | None = None
    for line in lines:
        if line.startswith("\t"):
            row = row if row is not None else []
            row.append(line[1:].strip("\t"))
        elif not line.strip():
            if row is not None:
                out.append(row)
                row = None
            else:
                out.append(line)
        elif row is not None:
            row[-1] += "\n" + line.strip("\t")
        else:
            out.append(line)
    if row is not None:
        out.append(row)
    return _recut_indicator_tables(out)


def _recut_indicator_tables(items: list) -> list:
    """In the extraction a cell may itself hold blank lines, which cut its row in two; an
    indicator table has six cells a row, so its cells are put back in rows of six (blank
    lines between them dropped), up to the next text outside the table."""
    out: list = []
    i = 0
    while i < len(items):
        item = items[i]
        out.append(item)
        i += 1
        if not (isinstance(item, list) and item[:1] == ["一级指标"]):
            continue
        width = len(item)
        flat: list[str] = []
        while i < len(items) and (isinstance(items[i], list) or not items[i].strip()):
            if isinstance(items[i], list):
                flat.extend(items[i])
            i += 1
        out.extend(flat[j:j + width] for j in range(0, len(flat), width))
        out.append("")
    return out


def _grid(rows: list[list[str]]) -> Table:
    width = max(len(r) for r in rows)
    table = Table([])
    spend_rows: set[int] = set()
    for r, cells in enumerate(rows):
        if cells and cells[0].strip().startswith("资金支出计划"):
            spend_rows |= {r, r + 1}
    for r, cells in enumerate(rows):
        short = width - len(cells)
        if short == 0:
            table.rows.append(list(cells))
            continue
        if r in spend_rows and short == 2 and len(cells) >= 3:
            grid = [cells[0], cells[1], ""] + cells[2:-1] + [cells[-1], ""]
            table.spans[(r, 1)] = (1, 2)
            table.spans[(r, len(grid) - 2)] = (1, 2)
        else:
            grid = list(cells) + [""] * short
            table.spans[(r, len(cells) - 1)] = (1, short + 1)
        table.rows.append(grid)
    _merge_levels(table)
    return table


def _merge_levels(table: Table) -> None:
    header = next((r for r, row in enumerate(table.rows)
                   if "一级指标" in [c.strip() for c in row]), None)
    if header is None:
        return
    first = [c.strip() for c in table.rows[header]].index("一级指标")
    full = [r for r in range(header + 1, len(table.rows))
            if not any((r, c) in table.spans for c in range(table.width))]
    for col in (first, first + 1):
        top = None   # the row of the cell being continued
        for r in range(header + 1, len(table.rows)):
            row = table.rows[r]
            mergeable = r in full and row[col].strip() == "" and \
                (col == first or row[first].strip() == "") and any(c.strip() for c in row[col + 1:])
            if top is not None and mergeable and r == last + 1:
                table.spans[(top, col)] = (r - top + 1, 1)
                row[col] = ""
                last = r
            elif r in full and row[col].strip():
                top, last = r, r
            else:
                top = None


def text_lines(blocks_: list[Block]) -> list[str]:
    """What a reader should give back for the blocks (tabs between cells)."""
    out = []
    for b in blocks_:
        if isinstance(b, str):
            out.append(b)
        else:
            out.extend("\t".join(c.replace("\n", " ") for c in row) for row in b.rows)
    return out


# ---- .docx ---------------------------------------------------------------------------------

def to_docx(blocks_: list[Block]) -> bytes:
    from docx import Document

    document = Document()
    for b in blocks_:
        if isinstance(b, str):
            document.add_paragraph(b)
            continue
        table = document.add_table(rows=len(b.rows), cols=b.width, style="Table Grid")
        covered = b.covered()
        for r, row in enumerate(b.rows):
            for c, text in enumerate(row):
                if (r, c) not in covered and text:
                    table.cell(r, c).text = text
        for (r, c), (rs, cs) in b.spans.items():
            if rs > 1 or cs > 1:
                table.cell(r, c).merge(table.cell(r + rs - 1, c + cs - 1))
    if blocks_ and isinstance(blocks_[-1], Table):
        document.add_paragraph("")   # Word ends every document with a paragraph (and .doc needs it)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


# ---- .xlsx ---------------------------------------------------------------------------------

def to_xlsx(blocks_: list[Block]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    r0 = 1
    for b in blocks_:
        rows = [[b]] if isinstance(b, str) else b.rows
        for dr, row in enumerate(rows):
            for c, text in enumerate(row):
                if text:
                    cell = ws.cell(row=r0 + dr, column=c + 1, value=text)
                    cell.data_type = "s"   # "=100%" is text, not a formula
        if isinstance(b, Table):
            for (r, c), (rs, cs) in b.spans.items():
                if rs > 1 or cs > 1:
                    ws.merge_cells(start_row=r0 + r, start_column=c + 1,
                                   end_row=r0 + r + rs - 1, end_column=c + cs)
        r0 += len(rows)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ---- .html ---------------------------------------------------------------------------------

def to_html(blocks_: list[Block], charset: str = "utf-8") -> bytes:
    """A 政府信息公开-style page: title and paragraphs in <p>, each table with rowspan and
    colspan, line breaks in cells as <br>. Encoded in `charset` (GB2312 pages are written
    as GB18030, so that characters outside GB2312 survive, as real pages do)."""
    parts = [f'<!DOCTYPE html>\n<html><head><meta charset="{charset}"><title>预算绩效目标</title>'
             '<style>td{border:1px solid}</style></head>\n<body>\n<div class="content">']
    for b in blocks_:
        if isinstance(b, str):
            parts.append(f"<p>{html.escape(b)}</p>")
            continue
        covered = b.covered()
        parts.append('<table border="1" cellspacing="0">')
        for r, row in enumerate(b.rows):
            tds = []
            for c, text in enumerate(row):
                if (r, c) in covered:
                    continue
                rs, cs = b.spans.get((r, c), (1, 1))
                attrs = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
                body = "<br>".join(html.escape(t) for t in text.split("\n"))
                tds.append(f"<td{attrs}>{body}</td>")
            parts.append("<tr>" + "".join(tds) + "</tr>")
        parts.append("</table>")
    parts.append("</div>\n</body></html>\n")
    codec = "gb18030" if charset.lower() in ("gb2312", "gbk", "gb18030") else charset
    return "\n".join(parts).encode(codec)


# ---- LibreOffice ---------------------------------------------------------------------------

TEXT_AS_TABLE = "Text - txt - csv (StarCalc):9,34,76,1"   # tab-separated, UTF-8, from row 1


def soffice_convert(files: list[Path], target: str, out_dir: Path, timeout: float = 600,
                    infilter: str | None = None) -> list[Path]:
    """Convert files with LibreOffice in one run (the way a person would save them as .doc or
    .xls), into out_dir; returns the converted files in the order given. `infilter` names the
    import filter (TEXT_AS_TABLE opens a text file in Calc, its tabs as columns)."""
    from ingest.readers.libreoffice import soffice

    program = soffice()
    if program is None:
        raise RuntimeError("LibreOffice is not installed: run `make setup`")
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="jixiao-render-profile-") as profile:
        subprocess.run([program, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
                        "--norestore", *([f"--infilter={infilter}"] if infilter else []),
                        "--convert-to", target, "--outdir", str(out_dir),
                        *map(str, files)], check=True, capture_output=True, timeout=timeout,
                       env={**os.environ})
    ext = target.split(":")[0]
    made = [out_dir / f"{f.stem}.{ext}" for f in files]
    missing = [m for m in made if not m.exists()]
    if missing:
        raise RuntimeError(f"LibreOffice did not write {missing}")
    return made


# ---- what is compared ----------------------------------------------------------------------

def _t(text) -> str | None:
    """Text compared without white space: a table cell's line breaks are spaces in the reader
    contract, a web page folds runs of spaces, and a .doc keeps no trailing space."""
    return None if text is None else "".join(str(text).split())


def records(doc) -> dict:
    """A ParsedDocument as comparable tuples: everything a form says (header fields, amounts,
    spending plan, goals, indicator rows with levels, parsed values, units and bases, key
    tasks), the narrative, and the document's year and region. Places (`where`) and the
    layout name are left out: they say how the document was laid out, not what it says."""
    forms = []
    for f in doc.forms:
        indicators = tuple(
            (_t(i.level1), _t(i.level2), _t(i.level3), _t(i.description), _t(i.raw_value),
             i.target.value_kind, i.target.op, i.target.value, i.target.unit, i.target.value_base,
             i.target.base_unit, i.target.deadline, _t(i.unit_column), _t(i.basis), _t(i.formula),
             _t(i.op_column), _t(i.weight))
            for i in f.indicators)
        funding = tuple((x.source_name, _t(x.source_label), x.amount_wan, x.category)
                        for x in f.funding)
        forms.append((
            f.form_kind, f.template, f.money_unit, funding,
            _t(f.title), _t(f.project_name), f.project_code, f.budget_unit_code,
            _t(f.budget_unit_name), _t(f.department_name), _t(f.implementing_unit), _t(f.period_text),
            f.budget_year, f.budget_total_wan, f.fiscal_wan, f.other_wan, f.period_total_wan,
            f.basic_expenditure_wan, f.project_expenditure_wan, f.staff_at_year_end,
            (f.spend_q1_pct, f.spend_q2_pct, f.spend_q3_pct, f.spend_q4_pct),
            _t(f.purpose), _t(f.goal_period), _t(f.goal_annual), f.goal_cut_short, _t(f.duties),
            f.redacted, indicators, tuple((_t(k.name), _t(k.content)) for k in f.key_tasks)))
    return {
        "document": (_t(doc.title), doc.province, doc.city, doc.county, doc.admin_code,
                     doc.region_type, _t(doc.department_name), doc.budget_year),
        "forms": forms,
        "narratives": [(n.section, _t(n.heading), _t(n.text)) for n in doc.narratives],
        "issues": sorted((i.severity, i.code) for i in doc.issues if i.code not in _READER_NOTES),
    }


# Issues that say how a document was read, not what it says.
_READER_NOTES = {"BAD_BYTES", "CONTENT_NOT_SUFFIX", "UNKNOWN_CHARSET"}


def to_odp(paragraphs: list[str]) -> bytes:
    """A one-slide presentation (.odp) whose text box holds the paragraphs."""
    import zipfile

    body = "".join(f"<text:p>{html.escape(p)}</text:p>" for p in paragraphs)
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" office:version="1.2">'
        '<office:body><office:presentation><draw:page draw:name="p1"><draw:frame svg:x="1cm" '
        f'svg:y="1cm" svg:width="24cm" svg:height="15cm"><draw:text-box>{body}</draw:text-box>'
        '</draw:frame></draw:page></office:presentation></office:body></office:document-content>')
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.presentation"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        '</manifest:manifest>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.presentation")
        zf.writestr("content.xml", content)
        zf.writestr("META-INF/manifest.xml", manifest)
    return buf.getvalue()
