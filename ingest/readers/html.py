"""Web pages (.html, .htm, .shtml, pages saved from 政府信息公开 sites; also Word's "single
file web page" .mht) read with lxml: tables by their cells, the text around them as paragraphs.

Each table is laid on its grid: a cell with colspan/rowspan gives its text once, at its first
grid position, and empty strings for the other positions it covers, so that every row has the
table's column count and the columns line up with the header row. Inside a cell, <br>,
paragraphs and runs of white space become single spaces. Text outside tables is read as a
browser shows it: one line per paragraph, heading, list item or <br>-separated line, white
space folded (<pre> keeps its lines, tabs and blank lines). A cell that holds a table (pages laid out with tables)
is read as page content of its own, after the row that holds it: its paragraphs as lines, its
tables as tables with their own numbers; that row leaves the cell empty and is not written
when nothing else is in it. Scripts, styles and comments are not read.

The encoding comes from a byte-order mark, else <meta charset> or <meta http-equiv
content="…charset=…">, else UTF-8 when the bytes are valid UTF-8, else GB18030. GB2312 and
GBK pages are decoded as GB18030, their superset (pages labelled gb2312 often hold GBK-only
characters).
"""
from __future__ import annotations

import codecs
import email
import email.policy
import re

import lxml.html
from lxml import etree

from ingest.records import Line, ParseIssue

_SKIP = {"script", "style", "head", "title", "noscript", "template", "iframe", "object",
         "select", "textarea", "button", "svg", "math"}
_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd",
          "section", "article", "header", "footer", "nav", "aside", "main", "blockquote",
          "form", "fieldset", "address", "center", "hr", "figure", "figcaption", "caption",
          "body", "html", "tr", "td", "th", "tbody", "thead", "tfoot", "legend", "details",
          "summary"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([-\w.:]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "gb_2312-80": "gb18030", "x-gbk": "gb18030",
            "cp936": "gb18030", "euc-cn": "gb18030", "hz-gb-2312": "hz", "unicode": "utf-16",
            "big5": "big5hkscs", "x-user-defined": "windows-1252"}


def read(data: bytes) -> "Reading":
    from ingest.readers import Reading

    from ingest.readers import UnreadableDocument

    if b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise UnreadableDocument("binary content (NUL bytes), not a web page")
    text, encoding, issues = decode_html(data)
    lines = html_lines(text)
    return Reading(lines, issues, f"html ({encoding})")


def read_mht(data: bytes) -> "Reading":
    """A MIME web archive (.mht, Word's "single file web page", often saved as .doc): its
    HTML part, decoded by the part's charset."""
    from ingest.readers import Reading, UnreadableDocument

    message = email.message_from_bytes(data, policy=email.policy.compat32)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True) or b""
            charset = part.get_content_charset()
            text, encoding, issues = decode_html(payload, charset)
            return Reading(html_lines(text), issues, f"mht ({encoding})")
    raise UnreadableDocument("a web archive (MIME) without an HTML part")


def decode_html(data: bytes, declared: str | None = None) -> tuple[str, str, list[ParseIssue]]:
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                          (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(encoding, errors="replace"), encoding, []
    issues: list[ParseIssue] = []
    if declared is None:
        m = _META_CHARSET.search(data[:4096])
        declared = m.group(1).decode("ascii", "replace") if m else None
    if declared:
        name = declared.strip().lower()
        codec = _ALIASES.get(name, name)
        try:
            codecs.lookup(codec)
        except LookupError:
            issues.append(ParseIssue("file", "warning", "UNKNOWN_CHARSET",
                                     f"the page declares charset {declared!r}, which is not known; "
                                     f"the encoding was guessed"))
        else:
            if codec in ("utf-8", "utf8"):
                try:
                    return data.decode("utf-8"), "utf-8", issues
                except UnicodeDecodeError:
                    pass   # labelled UTF-8 but saved in the local encoding: guess below
            else:
                text = data.decode(codec, errors="replace")
                return text, name, issues + _damaged(text, name)
    for guess in ("utf-8", "gb18030"):
        try:
            return data.decode(guess), guess, issues
        except UnicodeDecodeError:
            continue
    text = data.decode("gb18030", errors="replace")
    return text, "gb18030", issues + _damaged(text, "gb18030")


def _damaged(text: str, encoding: str) -> list[ParseIssue]:
    bad = text.count("\ufffd")
    if not bad:
        return []
    return [ParseIssue("file", "warning", "BAD_BYTES",
                       f"{bad} character(s) not valid {encoding.upper()} replaced by �")]


def html_lines(text: str) -> list[Line]:
    text = _XML_DECL.sub("", text, count=1)
    if not text.strip():
        return []
    root = lxml.html.document_fromstring(text, parser=lxml.html.HTMLParser(
        remove_comments=True, remove_pis=True, recover=True, huge_tree=True))
    body = root.find("body")
    walker = _Walker()
    walker.content(body if body is not None else root)
    walker.flush()
    return walker.lines


def _tag(el) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


def _hidden(el) -> bool:
    style = (el.get("style") or "").replace(" ", "").lower()
    return "display:none" in style or el.get("hidden") is not None


def _fold(text: str) -> str:
    """White space as a browser shows it: runs of spaces, tabs and newlines become one
    space; non-breaking and ideographic spaces count as spaces."""
    return " ".join(text.replace("\u3000", " ").split())


class _Walker:
    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.buffer: list[str] = []
        self.paragraphs = 0
        self.tables = 0

    def add(self, text: str, where: str) -> None:
        self.lines.append(Line(len(self.lines) + 1, text, where))

    def flush(self) -> None:
        text = _fold("".join(self.buffer))
        self.buffer.clear()
        if text:
            self.paragraphs += 1
            self.add(text, f"paragraph {self.paragraphs}")

    def content(self, el) -> None:
        """The element's own text and children as page content (not its tail)."""
        if el.text:
            self.buffer.append(el.text)
        for child in el:
            self.node(child)
            if child.tail:
                self.buffer.append(child.tail)

    def node(self, el) -> None:
        tag = _tag(el)
        if not tag or tag in _SKIP or _hidden(el):
            return
        if tag == "table":
            self.flush()
            self.table(el)
        elif tag == "br":
            self.flush()
        elif tag == "pre":
            self.flush()
            self.preformatted(el)
        elif tag in _BLOCK:
            self.flush()
            self.content(el)
            self.flush()
        else:
            self.content(el)

    def preformatted(self, pre) -> None:
        """<pre> is text as it was typed: a Line per line, tabs and blank lines kept (a text
        file saved as a web page comes back as the text file). Tables inside are tables."""
        self.paragraphs += 1
        where = f"preformatted {self.paragraphs}"
        parts: list[str] = []
        count = [0]

        def emit(text: str) -> None:
            for line in text.split("\n"):
                count[0] += 1
                self.add(line.rstrip("\r"), f"{where} line {count[0]}")

        def walk(el) -> None:
            if el.text:
                parts.append(el.text)
            for child in el:
                tag = _tag(child)
                if tag == "table":
                    emit("".join(parts))
                    parts.clear()
                    self.table(child)
                elif tag == "br":
                    parts.append("\n")
                elif tag and tag not in _SKIP and not _hidden(child):
                    walk(child)
                if child.tail:
                    parts.append(child.tail)

        walk(pre)
        text = "".join(parts)
        text = text[1:] if text.startswith("\n") else text   # HTML drops the newline after <pre>
        text = text[:-1] if text.endswith("\n") else text
        if text:
            emit(text)

    def table(self, table) -> None:
        self.tables += 1
        n = self.tables
        caption = table.find("caption")
        if caption is not None and _fold(caption.text_content()):
            self.paragraphs += 1
            self.add(_fold(caption.text_content()), f"paragraph {self.paragraphs}")
        for r, (cells, held) in enumerate(grid_rows(table), 1):
            if not held or any(cells):
                self.add("\t".join(cells), f"table {n} row {r}")
            for td in held:
                self.content(td)
                self.flush()
        self.add("", f"after table {n}")


def _rows(table):
    """The table's own rows (in thead, tbody, tfoot or directly under it), not nested ones."""
    for child in table:
        tag = _tag(child)
        if tag == "tr":
            yield child
        elif tag in ("thead", "tbody", "tfoot"):
            yield from (tr for tr in child if _tag(tr) == "tr")


def _span(cell, name: str, limit: int) -> int:
    try:
        value = int(re.match(r"\s*(\d+)", cell.get(name, "1")).group(1))
    except (AttributeError, ValueError):
        return 1
    return limit if value == 0 else max(1, min(value, limit))


def grid_rows(table) -> list[tuple[list[str], list]]:
    """Each row on the table's grid (rowspan and colspan expanded), with the cells that hold
    tables of their own."""
    trs = [tr for tr in _rows(table) if not _hidden(tr)]
    taken: set[tuple[int, int]] = set()
    placed: list[dict[int, str]] = []
    held_by_row: list[list] = []
    for r, tr in enumerate(trs):
        row: dict[int, str] = {}
        held = []
        c = 0
        for cell in tr:
            if _tag(cell) not in ("td", "th") or _hidden(cell):
                continue
            while (r, c) in taken:
                c += 1
            rowspan = _span(cell, "rowspan", len(trs) - r)
            colspan = _span(cell, "colspan", 1000)
            if cell.find(".//table") is not None:
                held.append(cell)
                row[c] = ""
            else:
                row[c] = cell_text(cell)
            for dr in range(rowspan):
                for dc in range(colspan):
                    taken.add((r + dr, c + dc))
            c += colspan
        placed.append(row)
        held_by_row.append(held)
    width = max([c + 1 for r, c in taken] + [0])
    return [([row.get(c, "") for c in range(width)], held) for row, held in zip(placed, held_by_row)]


def cell_text(cell) -> str:
    parts: list[str] = []

    def walk(el) -> None:
        if el.text:
            parts.append(el.text)
        for child in el:
            tag = _tag(child)
            if tag and tag not in _SKIP and not _hidden(child):
                if tag == "br" or tag in _BLOCK:
                    parts.append(" ")
                walk(child)
                if tag in _BLOCK:
                    parts.append(" ")
            if child.tail:
                parts.append(child.tail)

    walk(cell)
    return _fold("".join(parts))
