"""The report as an A4 Word document in the house style of a Chinese audit working paper: a
cover (title, scope, date), 宋体/黑体 text, numbered captions (图 n below a figure, 表 n above
a table, as Word SEQ fields), page numbers 第 X 页 共 Y 页 from the second page, table
header rows repeated on every page, charts at least 12 cm wide, and document properties."""
from __future__ import annotations

import re
from datetime import datetime, time
from pathlib import Path
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor

from warehouse.analysis.report import AUTHOR, Content, Figure, Heading, Paragraph, Table

PAGE_WIDTH, PAGE_HEIGHT = Cm(21.0), Cm(29.7)          # A4
MARGINS = {"top": Cm(2.54), "bottom": Cm(2.54), "left": Cm(2.8), "right": Cm(2.6)}
TEXT_WIDTH_CM = 21.0 - 2.8 - 2.6                      # 15.6 cm between the margins
IMAGE_WIDTH_CM = 15.5                                 # charts are drawn to stay legible at this
MIN_IMAGE_WIDTH_CM = 12.0
BLACK = RGBColor(0, 0, 0)
# (style, East Asian font, size in pt, bold): 三号黑体, 四号楷体, 小四仿宋, 小四宋体, 五号宋体 …
STYLES = [("Normal", "宋体", 12, False), ("Title", "黑体", 22, False), ("Heading 1", "黑体", 16, False),
          ("Heading 2", "楷体", 14, True), ("Heading 3", "仿宋", 12, True), ("Caption", "黑体", 10.5, False)]
TABLE_FONT_PT = 9


def _fonts(style, east_asian: str, size: float, bold: bool) -> None:
    style.font.name = "Times New Roman"
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = BLACK
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi"):
        fonts.set(qn(attr), "Times New Roman")
    fonts.set(qn("w:eastAsia"), east_asian)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)             # a theme font would override ours
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def _house_style(doc) -> None:
    for name, east_asian, size, bold in STYLES:
        style = doc.styles[name]
        _fonts(style, east_asian, size, bold)
        fmt = style.paragraph_format
        if name == "Normal":
            fmt.line_spacing = 1.5
            fmt.first_line_indent = Pt(24)            # 首行缩进两字
            fmt.space_after = Pt(0)
        else:
            fmt.first_line_indent = Pt(0)
            fmt.space_before, fmt.space_after = Pt(12 if name.startswith("Heading") else 6), Pt(6)
        if name in ("Title", "Caption"):
            fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    # Title's default bottom border and Heading colours come from the template's theme
    border = doc.styles["Title"].element.find(qn("w:pPr") + "/" + qn("w:pBdr"))
    if border is not None:
        border.getparent().remove(border)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    for side, value in MARGINS.items():
        setattr(section, f"{side}_margin", value)


def _field(paragraph, instruction: str, shown: str) -> None:
    """A Word field (PAGE, NUMPAGES, SEQ 图) with its current result, so the text is right
    before Word updates it."""
    def run_with(element):
        run = paragraph.add_run()
        run._r.append(element)
        return run

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run_with(instr)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    paragraph.add_run(shown)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def _page_numbers(doc, title: str) -> None:
    section = doc.sections[0]
    section.different_first_page_header_footer = True     # the cover has none
    header = section.header.paragraphs[0]
    header.text = title
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    header.paragraph_format.first_line_indent = Pt(0)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.paragraph_format.first_line_indent = Pt(0)
    footer.add_run("第 ")
    _field(footer, "PAGE", "1")
    footer.add_run(" 页 共 ")
    _field(footer, "NUMPAGES", "1")
    footer.add_run(" 页")
    for paragraph in (header, footer):
        for run in paragraph.runs:
            run.font.size = Pt(9)


def _cover(doc, content: Content) -> None:
    for _ in range(6):
        doc.add_paragraph()
    title = doc.add_paragraph(content.title, style="Title")
    title.paragraph_format.space_after = Pt(36)
    table = doc.add_table(rows=0, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for label, value in content.cover:
        cells = table.add_row().cells
        for cell, text, bold in ((cells[0], label + "：", True), (cells[1], value, False)):
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.first_line_indent = Pt(0)
            run = paragraph.add_run(text)
            run.bold = bold
            run.font.size = Pt(14)
    _fix_widths(table, [3.4, 11.6])
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _caption(doc, kind: str, number: int, title: str):
    paragraph = doc.add_paragraph(style="Caption")
    paragraph.add_run(f"{kind} ")
    _field(paragraph, f"SEQ {kind} \\* ARABIC", str(number))
    paragraph.add_run(f"  {title}")
    return paragraph


def _figure(doc, figure: Figure, number: int) -> None:
    natural_cm = figure.width_px / 72 * 2.54
    width = max(MIN_IMAGE_WIDTH_CM, min(IMAGE_WIDTH_CM, natural_cm))
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.first_line_indent = Pt(0)
    paragraph.paragraph_format.keep_with_next = True      # the caption stays with its picture
    paragraph.add_run().add_picture(str(figure.png), width=Cm(width))
    _caption(doc, "图", number, figure.title + (f"（{figure.note}）" if figure.note else ""))


_INVALID_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _row_xml(values, widths_cm: list[float], right: list[bool], header: bool) -> str:
    """One table row as WordprocessingML: python-docx's cell API takes about a millisecond a
    cell, too slow for a working paper listing thousands of findings, so rows are written as
    XML. The header row repeats on every page (tblHeader); no row breaks across pages."""
    flags = '<w:cantSplit w:val="true"/>' + ('<w:tblHeader w:val="true"/>' if header else "")
    bold = "<w:b/>" if header else ""
    cells = []
    for value, width, r in zip(values, widths_cm, right):
        text = escape(_INVALID_XML.sub("", value).replace("\n", " "))
        cells.append(f'<w:tc><w:tcPr><w:tcW w:w="{round(width * 567)}" w:type="dxa"/></w:tcPr>'
                     f'<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
                     f'<w:ind w:firstLine="0"/><w:jc w:val="{"right" if r else "left"}"/></w:pPr>'
                     f'<w:r><w:rPr>{bold}<w:sz w:val="{TABLE_FONT_PT * 2}"/><w:szCs w:val="{TABLE_FONT_PT * 2}"/></w:rPr>'
                     f'<w:t xml:space="preserve">{text}</w:t></w:r></w:p></w:tc>')
    return f"<w:tr><w:trPr>{flags}</w:trPr>{''.join(cells)}</w:tr>"


def _units(text: str) -> int:
    """Width of text in half-width units: a Chinese character takes two."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _fix_widths(table, widths_cm: list[float]) -> None:
    """Fixed layout with these column widths, which Word and LibreOffice then keep."""
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    for column, width in zip(table.columns, widths_cm):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm):
            cell.width = Cm(width)


def _column_widths(frame, numeric: set[str]) -> list[float]:
    """Widths from what each column holds: numbers and short codes never wrap, a header may
    wrap to two lines, long text shares what is left of the text width."""
    unit_cm, padding_cm = TABLE_FONT_PT / 72 * 2.54 / 2, 0.6
    needs = []
    for name in frame.columns:
        values = sorted(_units(v) for v in frame[name].head(500).to_list()) or [0]
        typical = values[int(len(values) * 0.9)] if len(values) > 1 else values[0]
        header = (_units(name) + 1) // 2
        units = max(values[-1] if name in numeric else typical, header, 4)
        needs.append(min(units, 70) * unit_cm + padding_cm)
    total = sum(needs)
    if total <= TEXT_WIDTH_CM:
        return needs
    # shrink only the wide columns, down to what is left after the narrow ones
    narrow = [n if n <= 2.6 else 0 for n in needs]
    room = TEXT_WIDTH_CM - sum(narrow)
    wide = sum(n for n in needs if n > 2.6)
    return [n if n <= 2.6 else n * room / wide for n in needs]


def _table(doc, table_block: Table, number: int) -> None:
    frame = table_block.frame
    caption = _caption(doc, "表", number, table_block.title)
    caption.paragraph_format.keep_with_next = True
    numeric = set(table_block.numeric)
    widths = _column_widths(frame, numeric)
    table = doc.add_table(rows=0, cols=len(frame.columns), style="Table Grid")
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _fix_widths(table, widths)
    right = [name in numeric for name in frame.columns]
    rows = [_row_xml(frame.columns, widths, [False] * len(widths), header=True)]
    rows += [_row_xml(values, widths, right, header=False) for values in frame.iter_rows()]
    for row in parse_xml(f"<w:tbl {nsdecls('w')}>{''.join(rows)}</w:tbl>"):
        table._tbl.append(row)
    if table_block.note:
        note = doc.add_paragraph(f"注：{table_block.note}")
        note.paragraph_format.first_line_indent = Pt(0)
        for run in note.runs:
            run.font.size = Pt(TABLE_FONT_PT)


def _properties(doc, content: Content) -> None:
    props = doc.core_properties
    props.title = content.title
    props.subject = "预算绩效目标审核"
    props.author = AUTHOR
    props.last_modified_by = AUTHOR
    props.category = "审计工作底稿"
    props.keywords = "预算绩效目标; 审核; " + "; ".join(f"{y}年" for y in content.scope_summary.get("years", []))
    props.comments = "；".join(f"{label}：{value}" for label, value in content.cover)
    props.language = "zh-CN"
    stamp = datetime.combine(content.report_date, time(0, 0))     # the report's date, so runs agree
    props.created = props.modified = stamp
    props.revision = 1


def write_docx(path: Path, content: Content) -> Path:
    doc = Document()
    _house_style(doc)
    _page_numbers(doc, content.title)
    _cover(doc, content)
    figures = tables = 0
    for block in content.blocks:
        if isinstance(block, Heading):
            doc.add_heading(block.text, level=block.level)
        elif isinstance(block, Paragraph):
            doc.add_paragraph(block.text)
        elif isinstance(block, Figure):
            figures += 1
            _figure(doc, block, figures)
        elif isinstance(block, Table):
            tables += 1
            _table(doc, block, tables)
    _properties(doc, content)
    doc.save(str(path))
    return path

