"""Text outside the forms: a document's part-1 narrative (部门整体绩效目标 with its sections
and sub-headings), and its title line (`2024年部门预算绩效文本`) with the department above it."""
from __future__ import annotations

import re

from ingest.forms.labels import book
from ingest.records import Line, Narrative
from ingest.text import clean_cell, compact

TOC_LINE = re.compile(r"(\.{3,}|…+)?\t\s*\d+\s*$")
_SECTION = re.compile(r"^[一二三四五六七八九十]+、(.+)$")
_NEW_ITEM = re.compile(r"^(绩效目标|绩效指标)[:：]|^\d+[、.]|^[一二三四五六七八九十]是")
_SUBHEADING = re.compile(r"^(\d+、|[（(][一二三四五六七八九十]+[）)])(.{2,40})$")
_DOC_TITLE = re.compile(r"((?:19|20)\d{2})年(度)?.{0,12}(预算|绩效).{0,12}(文本|目标|公开|说明)")


def document_title(lines: list[Line]) -> tuple[str | None, int | None, str | None]:
    """(title, year, department) from a heading such as `2024年部门预算绩效文本` and the
    department name printed on the line above it."""
    previous: list[str] = []
    for line in lines[:80]:    # a heading stands at the top
        key = compact(clean_cell(line.text))
        if not key:
            continue
        if len(key) <= 40 and (m := _DOC_TITLE.search(key)) and book().title(key) is None:
            return key, int(m.group(1)), (previous[-1] if previous else None)
        previous.append(key)
    return None, None, None


def parse_narrative(lines: list[Line]) -> list[Narrative]:
    """Part 1 (部门整体绩效目标) as paragraphs under their section and sub-heading. The table of
    contents and repeated headings are left out; paragraphs wrapped across lines are joined."""
    out: list[Narrative] = []
    in_part1, section, heading = False, None, None
    for line in lines:
        text = clean_cell(line.text)
        key = compact(text)
        if not key or TOC_LINE.search(line.text) or key == "pagenumber":
            continue
        if key == "第一部分":
            in_part1 = True
            continue
        if key == "第二部分":
            break
        if not in_part1 or key in ("部门整体绩效目标", section):
            continue
        if m := _SECTION.match(key):
            section, heading = m.group(1), None
            continue
        if section is None:
            continue
        if (m := _SUBHEADING.match(key)) and not re.search(r"[。；;]$", key):
            heading = text
            continue
        last = out[-1] if out else None
        if last and last.section == section and last.heading == heading \
                and not re.search(r"[。；;：:！!？?]$", last.text) and not _NEW_ITEM.match(key):
            last.text += text  # a paragraph wrapped over a page or line break
        else:
            out.append(Narrative(section, heading, text, line.where))
    return out
