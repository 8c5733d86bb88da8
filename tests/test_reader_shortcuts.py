"""The reader's shortcuts (taken for speed, benchmarks/bench_parse.py) against the plain
definitions they stand for, on generated text: a shortcut that drifts from its definition fails
here, not in a county's document."""
from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.forms.header import Header, Value, is_noise
from ingest.forms.rendering import Row, first_text
from ingest.text import clean_cell

# Text as cells hold it: CJK, digits, operators, every kind of space, tabs, pipes, bookmarks, tags.
_PIECES = st.sampled_from([
    "项目", "指标", "表", "≥", "95", "%", "万元", "年", " ", "  ", "\u3000", "\u00a0", "\t", "\n",
    "|", "-", "—", ".", "…", "[bookmark: a]", "<p>", "</p>", "a", "Z", "·", "—-", "*", "",
])
_TEXT = st.lists(_PIECES, max_size=12).map("".join)

_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
_TAG = re.compile(r"</?p>", re.I)
_CJK = r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef“”]"


def _clean_cell_by_definition(text: str) -> str:
    """clean_cell without its shortcut for cells with nothing to clean."""
    if not text:
        return ""
    text = _TAG.sub(" ", _BOOKMARK.sub("", text))
    text = re.sub(r"[ \t\u00a0]+", " ", text).strip()
    return re.sub(rf"(?<={_CJK}|\d)\s+(?={_CJK})", "", text)


@given(_TEXT)
@settings(max_examples=500)
def test_clean_cell_is_its_definition(text):
    assert clean_cell(text) == _clean_cell_by_definition(text)


@given(st.lists(_TEXT, max_size=8))
@settings(max_examples=300)
def test_row_texts_are_the_cells_cleaned(cells):
    row = Row(cells, "line 1", 1)
    assert row.texts == [clean_cell(c) for c in cells]
    assert first_text(row.texts) == next((t for t in row.texts if t), "")


@given(_TEXT)
@settings(max_examples=500)
def test_a_tab_inside_the_stripped_line_is_two_filled_cells(text):
    """rendering.detect counts a line as a row of several cells by this test."""
    assert ("\t" in text.strip()) == (len([c for c in text.split("\t") if c.strip()]) > 1)


@given(_TEXT)
@settings(max_examples=500)
def test_blank_or_pipes_only(text):
    """rendering._line_rows drops such a line by this test."""
    stripped = text.strip()
    shortcut = not stripped or ("|" in stripped and not stripped.replace("|", ""))
    definition = not text.strip() or bool(re.fullmatch(r"\s*\|\s*", text)) or set(text.strip()) <= {"|"}
    assert shortcut == definition


@given(st.lists(_TEXT, max_size=6))
@settings(max_examples=300)
def test_is_noise_is_its_definition(cells):
    row = Row(cells, "line 1", 1)
    filled = [t for t in row.texts if t]
    definition = not any(t[0].isalnum() for t in filled) and \
        (not "".join(filled) or bool(re.match(r"^[-—_.·…=*]+$", "".join(filled))))
    assert is_noise(row) == definition


def test_header_lookups_follow_values_added_after_a_lookup():
    h = Header()
    assert h.get("fiscal") == [] and h.first("fiscal") is None
    h.values.append(Value("fiscal", "", "财政拨款", None, "line 3"))
    h.values.append(Value("fiscal", "12", "财政拨款", None, "line 4"))
    assert [v.where for v in h.get("fiscal")] == ["line 3", "line 4"]
    assert h.first("fiscal").text == "12"
    h.values.append(Value("other", "3", "其他资金", None, "line 5"))
    assert h.first("other").text == "3" and len(h.get("fiscal")) == 2
