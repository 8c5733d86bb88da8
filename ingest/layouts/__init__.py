"""Recognise a document's layout from its content (never its file name) and parse it."""
from __future__ import annotations

import importlib
from collections.abc import Callable

from ingest.records import Line
from ingest.text import compact

UNKNOWN = "unknown"


def detect(lines: list[Line]) -> str:
    """Name the layout: the first rule whose markers the text carries."""
    keys = [compact(line.text) for line in lines]
    joined = "\n".join(keys)
    if "部门整体预算绩效目标申报表" in joined or "购买服务项目绩效目标表" in joined:
        return "liaoning_department"
    if "本级预算项目绩效目标表" in joined:
        return "liaoning_project"
    if "项目编码" in joined and "绩效目标表" in joined:
        # Word extraction: one cell per line, the label alone on its line after a tab.
        if any(line.text.startswith("\t") and compact(line.text) == "项目编码" for line in lines):
            return "hebei_word"
        if any(k.startswith("项目编码") and "\t" in line.text for k, line in zip(keys, lines)):
            return "hebei_rows"
    return UNKNOWN


_PARSERS = {
    "liaoning_project": ("liaoning_project", "parse"),
    "liaoning_department": ("liaoning_department", "parse"),
    "hebei_word": ("hebei", "parse_word"),
    "hebei_rows": ("hebei", "parse_rows"),
}


def parser_for(layout: str) -> Callable | None:
    if layout not in _PARSERS:
        return None
    module, name = _PARSERS[layout]
    return getattr(importlib.import_module(f"ingest.layouts.{module}"), name)
