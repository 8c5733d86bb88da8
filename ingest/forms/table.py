"""The indicator table of a form: found by its header row, its columns mapped by name
(一级/二级/三级指标, 指标性质, 指标值, 度量单位, 依据, 权重 …), its rows read into indicators.

Rows are placed by content as much as by position, because renderings lose cells: a row may
have lost its leading empty cells, carry an extra one, or (copied text) have every empty cell
collapsed. Level names (产出指标, 数量指标) are recognised wherever they stand; the first other
cell is the level-3 name and the cells after it follow the header's columns from there. Merged
level-1/level-2 cells are carried down; a level-1 name printed in the middle of its block also
names the rows above it. A row continued on the next page is joined to the row it continues.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.forms.labels import book, fold, strip_level_decoration
from ingest.forms.rendering import Row, first_text
from ingest.records import Indicator, ParseIssue
from ingest.text import clean_cell, clean_value
from ingest.values import parse_value

_OPS = {"≥": ">=", ">=": ">=", "≧": ">=", "大于等于": ">=", "不低于": ">=", "不少于": ">=",
        "≤": "<=", "<=": "<=", "≦": "<=", "小于等于": "<=", "不高于": "<=", "不超过": "<=",
        "=": "=", "＝": "=", "等于": "=", ">": ">", "<": "<", "大于": ">", "小于": "<"}
_LEADING_OP = re.compile(r"^(≥|≤|≧|≦|>=|<=|=|＞|＜|>|<|大于等于|小于等于|不低于|不少于|不超过|不高于)")


@dataclass
class Columns:
    role_at: dict[int, str]        # column -> role (the year's set where a role repeats)
    width: int
    stream: bool = False           # header on one-cell lines: the rows must be cut by content
    header_rows: int = 1
    row_cells: int = 0             # cells in the header row, empty ones at its end included
    _index: dict[str, int] | None = field(default=None, repr=False)   # role -> column, built once
    _places: tuple | None = field(default=None, repr=False)   # what assign asks of every row, once

    def col(self, role: str) -> int | None:
        if self._index is None:
            self._index = {}
            for c, r in self.role_at.items():
                self._index.setdefault(r, c)
        return self._index.get(role)

    def changed(self) -> None:
        """role_at was changed: what was derived from it is made again."""
        self._index = self._places = None

    def places(self) -> tuple[int | None, int | None, int, int, int | None, bool]:
        """(level-1, level-2, level-3, anchor, value) columns and whether the table has a
        mid-term set of columns beside the year's, as assign places a row by them. A table with
        no level-3 column names its indicators in 二级指标; rows placed by content anchor on the
        mid-term set when it comes first (二级/三级/指标值 twice)."""
        if self._places is None:
            l1, l2, l3 = self.col("level1"), self.col("level2"), self.col("level3")
            if l3 is None:
                l3, l2 = l2, None
            anchor = self.col("level3_other")
            anchor = anchor if anchor is not None and anchor < l3 else l3
            paired = any(r.endswith("_other") for r in self.role_at.values())
            self._places = (l1, l2, l3, anchor, self.col("value"), paired)
        return self._places

    @property
    def roles(self) -> set[str]:
        return set(self.role_at.values())


def _roles(texts: list[str]) -> tuple[dict[int, str], int]:
    """Roles of header cells by name. A role named twice (mid-term then annual columns side by
    side: 二级指标(长期) … 二级指标(年度)) keeps the year's, or else the right-hand, column."""
    b = book()
    role_at: dict[int, str] = {}
    known = 0
    for col, text in enumerate(texts):
        if not text:
            continue
        hit = b.column(text)
        if hit is None:
            continue
        known += 1
        role = hit.target
        previous = next((c for c, r in role_at.items() if r == role), None)
        if previous is not None:
            if hit.key.scope == "long":
                continue
            role_at[previous] = f"{role}_other"
        role_at[col] = role
    return role_at, known


def _is_header(role_at: dict[int, str], known: int) -> bool:
    roles = set(role_at.values())
    return known >= 3 and "value" in roles and ("level3" in roles or "level2" in roles)


def header_at(rows: list[Row], i: int) -> Columns | None:
    """The columns of the indicator table whose header starts at rows[i], or None."""
    texts = rows[i].texts
    b = book()
    if not any(map(b.names_level, texts)):
        return None   # every header names a level column (三级指标, 二级指标, 指标名称 …): a quick way out
    if len([t for t in texts if t]) > 1:
        role_at, known = _roles(texts)
        if not _is_header(role_at, known):
            return None
        width = max(i for i, t in enumerate(texts) if t) + 1   # trailing empty cells are no columns
        cols = Columns(role_at, width, row_cells=len(texts))
        _sub_header(cols, rows, i)
        return cols
    # one column name per line (a table copied from a web page): gather the run of names
    names: list[str] = []
    for row in rows[i:i + 16]:
        filled = [t for t in row.texts if t]
        if len(filled) != 1 or book().column(filled[0]) is None:
            break
        names.append(filled[0])
    role_at, known = _roles(names)
    if not _is_header(role_at, known) or book().level(names[0]):
        return None
    return Columns(role_at, len(names), stream=True, header_rows=len(names))


def _sub_header(cols: Columns, rows: list[Row], i: int) -> None:
    """A second header row under 指标值 (2021年实际实现值 | 预期2022年实现值): the value column
    splits into a history column and the year's value column."""
    if i + 1 >= len(rows):
        return
    texts = rows[i + 1].texts
    filled = [t for t in texts if t]
    hits = [book().column(t) for t in filled]
    if not filled or any(h is None for h in hits) or not {h.target for h in hits} & {"value", "history"}:
        return
    value_col = cols.col("value")
    if value_col is None:
        return
    subs = [h.target for h in hits]
    aligned = [c for c, t in enumerate(texts) if t]
    if aligned and aligned[0] >= value_col and all(c not in cols.role_at or c == value_col for c in aligned):
        for c, role in zip(aligned, subs):
            cols.role_at[c] = role
        cols.changed()
    else:  # the sub-columns collapsed into the row's first cells: open them up at 指标值
        shift = len(subs) - 1
        moved = {(c + shift if c > value_col else c): r for c, r in cols.role_at.items() if c != value_col}
        for k, role in enumerate(subs):
            moved[value_col + k] = role
        cols.role_at = moved
        cols.changed()
        cols.width += shift
    cols.header_rows = 2


@dataclass
class _Cells:
    """One table row's texts by role."""
    by_role: dict[str, str] = field(default_factory=dict)
    extra: list[str] = field(default_factory=list)     # texts in columns with no role
    where: str = ""
    page: int | None = None
    origin: str | None = None
    confidence: float | None = None


def assign(texts: list[str], cols: Columns, by_content: bool = False) -> dict[str, str]:
    """Roles of one row's cells (texts already cleaned): in place when the row lines up with
    the header, else by content. A row cut from a stream of cells is placed by content only."""
    b = book()
    l1, l2, l3, anchor, value_col, paired = cols.places()
    out: dict[str, str] = {}
    filled = [i for i, t in enumerate(texts) if t]
    if not filled:
        return out
    tail_width = cols.width - anchor
    used = filled[-1] + 1
    shift = 0
    if not by_content and used == cols.width - 1 and _fits_better_shifted(texts[:used], cols, l3, value_col):
        texts = [""] + texts      # one cell short at the front, not at the end
        filled = [i + 1 for i in filled]
        shift = 1
    # in place: a full row whose level-3 cell is filled, or whose cells before it are all
    # empty (a row continued from the page before)
    aligned = (not by_content and len(texts) >= cols.width - 1 and l3 < len(texts)
               and (bool(texts[l3]) or (not any(texts[:l3]) and used <= cols.width))
               # a level name at or after the level-3 column: the row is shifted right, unless
               # it only repeats the row's level-2 name as the indicator's (卢龙 满意度 rows)
               and not any(b.level(texts[i]) and (used > cols.width or l2 is None or texts[i] != texts[l2])
                           for i in filled if i >= l3)
               # a value standing in the level-3 column, its own column empty: shifted left
               and not (value_col is not None and not (texts[value_col] if value_col < len(texts) else "")
                        and _value_like(texts[l3]))
               # a level-2 name in the level-1 column beside a name that is none: shifted left
               and not (l1 is not None and l2 is not None and l1 < len(texts) and b.level(texts[l1]) == 2
                        and texts[l2] and not b.level(texts[l2])))
    if aligned:
        if used < cols.width and any(i > l3 for i in filled):
            # a short row: the cells after the name may have lost empty ones between them
            after = [i for i in filled if i > l3]
            slots = list(range(l3 + 1, cols.width))
            fitted = _fit([texts[i] for i in after], [cols.role_at.get(c) for c in slots],
                          [i - l3 - 1 for i in after])
            placed = dict(zip(after, (slots[k] for k in fitted)))
        else:
            placed = {}
        for i in filled:
            role = cols.role_at.get(placed.get(i, i))
            if role == "level1" and b.level(texts[i]) == 2 and l2 is not None and not texts[l2]:
                role = "level2"   # a level-2 name in the level-1 column, the level-2 column empty
            if role is None:
                out.setdefault("_extra", "")
                out["_extra"] += ("\n" if out["_extra"] else "") + texts[i]
            elif role not in out:
                out[role] = texts[i]
                if role in ("value", "value_other"):
                    out[f"_{role}_at"] = str(i - shift)
        if l2 is None and cols.col("level2") is not None and "level2" in out:
            out["level3"] = out.pop("level2")
        return _prefer_year(out) if paired else out
    # by content: level names first, then the level-3 name, then the columns after it
    pos = 0
    rest = [i for i in filled]
    while pos < len(rest):
        i = rest[pos]
        level = b.level(texts[i])
        if level == 12:   # 成本指标: a level 1 when a level-2 name follows it, else a level 2
            nxt = rest[pos + 1] if pos + 1 < len(rest) else None
            level = 2 if "level1" in out and l2 is not None else \
                1 if (nxt is not None and b.level(texts[nxt]) in (2, 12)) or l2 is None else 2
        if level == 1 and l1 is not None:
            nxt = rest[pos + 1] if pos + 1 < len(rest) else None
            if l2 is not None and i == l2 and "level1" not in out and nxt is not None \
                    and b.level(texts[nxt]) is None and len(texts) >= cols.width - 1:
                out["level2"] = texts[i]   # an L1-like name standing in the L2 column (西岗 满意度指标)
            else:
                out["level1"] = texts[i]
            pos += 1
            continue
        if level in (2, 12) and out.get("level2") == texts[i] and cols.col("level2_other") is None:
            break             # the level-2 name repeated as the indicator's name
        if level == 2 and l2 is not None:
            slot = "level2_other" if cols.col("level2_other") is not None and "level2_other" not in out \
                and "level2" not in out else "level2"
            out[slot] = texts[i]
            pos += 1
            continue
        remaining = len(rest) - pos
        if remaining > tail_width and (l2 is not None or l1 is not None):
            # more cells than the columns from 三级指标 on: the first is a level name the seed
            # does not know (资产管理, 基础能力), placed by its column where it can be
            slot = "level2" if l2 is not None and "level2" not in out and (i == l2 or "level1" in out or l1 is None) \
                else "level1" if "level1" not in out and l1 is not None else "level2"
            out[slot] = texts[i]
            pos += 1
            continue
        break
    if pos >= len(rest):
        return out
    start = rest[pos]
    out["level3" if anchor == l3 else cols.role_at.get(anchor, "level3")] = texts[start]
    after = rest[pos + 1:]
    slots = list(range(anchor + 1, cols.width))
    if len(after) < len(slots):
        # fewer cells than columns (empty cells lost): place each where its text fits best
        placed = _fit([texts[i] for i in after], [cols.role_at.get(c) for c in slots])
        columns = [slots[k] for k in placed]
    else:
        columns = [i - start + anchor for i in after]
    for i, col in zip(after, columns):
        role = cols.role_at.get(col)
        if role is None or role in out:
            out["_extra"] = (out.get("_extra", "") + "\n" + texts[i]).strip()
        else:
            out[role] = texts[i]
            if role in ("value", "value_other"):
                out[f"_{role}_at"] = str(i)
    return _prefer_year(out) if paired else out


_OPERATOR = re.compile(r"^(≥|≤|≧|≦|>=|<=|=|＝|>|<|大于等于|小于等于|大于|小于|等于|定性|定量)$")
# what a 度量单位 cell holds: measure words and units (个, %, 万元, 人次, 元/亩, 平方米, 公里 …),
# not a short word such as 及时 or 明显
_MEASURE = "个人次项件套台座处条本家份部宗块批户所间张册卷栋辆艘架株棵头只元角万亿千百米里方亩顷吨斤克升年月日天周时分秒%‰"
_UNIT = re.compile(rf"^(平方米|立方米|公里|公顷|千米|百分比|[{_MEASURE}]{{1,3}})(/[{_MEASURE}]{{1,3}}|·[{_MEASURE}]{{1,2}})?$")
_NUMBER_ONLY = re.compile(r"^\d{1,3}(\.\d+)?(%|分)?$")


def _fits(role: str | None, text: str) -> float:
    """How well a text fits a column of the role."""
    value_like = _value_like(text)
    if role in ("value", "value_other"):
        return 4 if value_like else 2 if len(text) <= 25 else -1
    if role == "op":
        return 4 if _OPERATOR.match(fold(text)) else -4
    if role == "polarity":
        return 3 if re.search("正向|反向", text) else -3
    if role == "unit":
        return 3 if _UNIT.match(fold(text)) else -3
    if role == "weight":
        return 2 if _NUMBER_ONLY.match(fold(text)) else -2
    if role in ("history", "history_other"):
        return 1 if value_like else -1
    return -1 if value_like or len(text) <= 1 else 1


def _fit(texts: list[str], roles: list[str | None], at: list[int] | None = None) -> list[int]:
    """The slots (increasing) for texts fewer than the slots: the placement that fits best,
    a text's own position (`at`, where it stood in the row) first, else the leftmost."""
    n, m = len(texts), len(roles)
    best = [[float("-inf")] * (m + 1) for _ in range(n + 1)]
    choice: dict[tuple[int, int], bool] = {}
    for j in range(m + 1):
        best[0][j] = 0.0
    for i in range(1, n + 1):
        for j in range(i, m + 1):
            take = best[i - 1][j - 1] + _fits(roles[j - 1], texts[i - 1]) \
                + (0.5 if at is not None and at[i - 1] == j - 1 else 0)
            skip = best[i][j - 1] - 0.01
            best[i][j], choice[(i, j)] = (take, True) if take >= skip else (skip, False)
    out, i, j = [], n, m
    while i > 0:
        if choice[(i, j)]:
            out.append(j - 1)
            i -= 1
        j -= 1
    return out[::-1]


def _prefer_year(out: dict[str, str]) -> dict[str, str]:
    """The year's columns where both sets are filled, the mid-term ones where only they are."""
    for role, other_role, at, other_at_role in _PAIRED:
        other = out.pop(other_role, None)
        other_at = out.pop(other_at_role, None)
        if other and not out.get(role):
            out[role] = other
            if other_at is not None:
                out[at] = other_at
    return out


_PAIRED = [(role, f"{role}_other", f"_{role}_at", f"_{role}_other_at") for role in ("level2", "level3", "value")]


def _plausible(texts: list[str], cols: Columns, l3: int, value_col: int | None) -> int:
    """How much a row placed this way looks like an indicator: level names in their columns,
    a name that is neither a level name nor a value, a value that is one (or at least short)."""
    b = book()
    at = lambda i: texts[i] if i is not None and 0 <= i < len(texts) else ""
    name, value = at(l3), at(value_col)
    score = 0
    for role, level in (("level1", 1), ("level2", 2)):
        text = at(cols.col(role))
        found = b.level(text) if text else None
        if found in (level, 12):
            score += 3 - level
        elif found is not None:
            score -= 2        # a level name in the other level's column
    if value:
        score += 3 if _value_like(value) else 1 if len(value) <= 25 else -2
    if not name or _value_like(name) or b.level(name):
        score -= 3        # a row without its name, or a value or level name in its place
    return score


def _fits_better_shifted(texts: list[str], cols: Columns, l3: int, value_col: int | None) -> bool:
    """A row one cell short: lost at its front (a merged cell the extraction dropped) rather
    than its end (an empty last cell a spreadsheet reader trims), when it reads better so."""
    return _plausible([""] + texts, cols, l3, value_col) > _plausible(texts, cols, l3, value_col)


def _value_like(text: str) -> bool:
    kind = parse_value(text).value_kind
    return kind in ("numeric", "deadline", "redacted") or bool(_LEADING_OP.match(fold(text)))


def _repair(by_role: dict[str, str]) -> None:
    """A value that stands in a column without a name, or in the prior-year column while the
    year's is empty, is the value (辽宁: the last row's value one column to the left)."""
    if by_role.get("value"):
        return
    for role in ("_extra", "history", "history_other", "value_other", "description"):
        text = by_role.get(role, "")
        if text and "\n" not in text and _value_like(text):
            by_role["value"] = by_role.pop(role)
            return


def cut_stream(cells: list[tuple[str, Row]], cols: Columns) -> list[tuple[list[str], Row]]:
    """Rows of a table whose cells come one per line with nothing marking the rows (and no
    empty cells): a level name starts a row; so does a name (a text that is no value) followed
    by a value once the row has one; and no row takes more cells after its name than the
    header has columns after 三级指标."""
    b = book()
    l3 = cols.col("level3")
    after = cols.width - 1 - (l3 if l3 is not None else cols.width - 2)
    rows: list[tuple[list[str], Row]] = []
    cur: list[str] = []
    anchor: Row | None = None
    seen_l3, taken, has_value = False, 0, False

    def close() -> None:
        nonlocal cur, seen_l3, taken, has_value
        if cur:
            rows.append((cur, anchor))
        cur, seen_l3, taken, has_value = [], False, 0, False

    repeats_name = cols.col("level2_other") is None   # else a repeated level-2 name is the year's
    for k, (text, row) in enumerate(cells):
        # a level name, unless it repeats the one before as the indicator's name (卢龙, 承德)
        # (or repeats the name again as its description)
        if b.level(text) and not (repeats_name and cur and cur[-1] == text):
            if seen_l3:
                close()
            if not cur:
                anchor = row
            cur.append(text)
            continue
        if seen_l3:
            nxt = cells[k + 1][0] if k + 1 < len(cells) else ""
            starts_row = has_value and not _value_like(text) and not _UNIT.match(fold(text)) \
                and nxt and _value_like(nxt)
            if taken < after and not starts_row:
                cur.append(text)
                taken += 1
                has_value = has_value or _value_like(text)
                continue
            close()
        if not cur:
            anchor = row
        cur.append(text)
        seen_l3 = True
    close()
    return rows


def join_wrapped_levels(texts: list[str]) -> list[str]:
    """A level name wrapped over two cells (`经济效益` / `指标`) is one cell."""
    b = book()
    out: list[str] = []
    for t in texts:
        if out and not b.level(out[-1]) and not b.level(t) and b.level(out[-1] + t):
            out[-1] += t
        else:
            out.append(t)
    return out


def read_rows(rows: list[Row], cols: Columns, cells_mode: bool,
              issues: list[ParseIssue] | None = None) -> list[_Cells]:
    """The table's rows as role → text, whatever the rendering."""
    out: list[_Cells] = []
    if cols.stream:
        raw = [(c, row) for row in rows for c in row.cells if c.strip()]
        texts = join_wrapped_levels([clean_cell(c) for c, _ in raw])
        stream = list(zip(texts, [r for _, r in raw]))   # a text's row stays its place
        printed = {clean_cell(c): clean_value(c) for c, _ in raw}
        for cells, anchor in cut_stream(stream, cols):
            by_role = assign(cells, cols, by_content=True)
            by_role.pop("_value_at", None)
            if by_role.get("value"):   # the value keeps its spaces as printed
                by_role["value"] = printed.get(by_role["value"], by_role["value"])
            out.append(_Cells(by_role, where=anchor.where, page=anchor.page, origin=anchor.origin))
        return out
    if cells_mode:
        # one cell per line, rows cut by blank lines that a cell may itself contain: cut the
        # table's cells by the header's width instead
        width = max(cols.width, cols.row_cells)
        flat = [(c, row) for row in rows for c in row.cells]
        rows = [Row([c for c, _ in flat[j:j + width]], flat[j][1].where, flat[j][1].no,
                    flat[j][1].page, flat[j][1].origin)
                for j in range(0, len(flat), width)]
        if rows and len(rows[-1].cells) < width:
            last = rows.pop()
            if issues is not None and any(c.strip() for c in last.cells):
                issues.append(ParseIssue(last.where, "error", "TABLE_CELLS_LEFT_OVER",
                                         f"indicator table ends with {len(last.cells)} cells that do "
                                         f"not fill a row of {width}: {last.cells!r}"))
    for row in rows:
        texts = row.texts
        by_role = assign(list(texts), cols)
        at = by_role.pop("_value_at", None)
        if by_role.get("value") and at is not None:   # the value keeps its spaces as printed
            by_role["value"] = clean_value(row.cells[int(at)]) or by_role["value"]
        conf = None
        if row.confidences:
            known = [c for c in row.confidences if c is not None]
            conf = min(known) if known else None
        out.append(_Cells(by_role, where=row.where, page=row.page, origin=row.origin, confidence=conf))
    return out


def _continues(prev: _Cells, cur: _Cells) -> bool:
    """A row that only continues the one before it: no level names, no name, no value, but
    text in a column such as the description or basis; or the first row of a page continuing
    a row the previous page left without its value."""
    r, p = cur.by_role, prev.by_role
    if not r:
        return False
    if not (r.get("level1") or r.get("level2") or r.get("level3") or r.get("value")):
        return any(r.get(k) for k in ("description", "basis", "formula", "_extra", "note"))
    if cur.page is not None and prev.page is not None and cur.page == prev.page + 1 \
            and not (r.get("level1") or r.get("level2")):
        # the first row of a page, with no level names: the rest of the row the page cut, when
        # it has no name of its own or the cut row has no value yet
        return not r.get("level3") or not p.get("value")
    return False


def _join(prev: _Cells, cur: _Cells) -> None:
    for role, text in cur.by_role.items():
        if role in ("level1", "level2"):
            continue
        old = prev.by_role.get(role, "")
        # a wrapped CJK word needs no space where the page broke it
        prev.by_role[role] = old + text if old else text


def to_indicators(table: list[_Cells], cols: Columns, *, budget_year: int | None,
                  issues: list[ParseIssue]) -> list[Indicator]:
    joined: list[_Cells] = []
    for cells in table:
        if joined and _continues(joined[-1], cells):
            _join(joined[-1], cells)
            issues.append(ParseIssue(cells.where, "info", "ROW_CONTINUED",
                                     f"row continues the indicator row at {joined[-1].where}; joined"))
            continue
        joined.append(cells)
    indicators: list[Indicator] = []
    level1 = level2 = None
    for cells in joined:
        r = cells.by_role
        _repair(r)
        for level in ("level1", "level2"):
            if r.get(level):
                r[level] = strip_level_decoration(r[level])
        if r.get("level1"):
            new = r["level1"]
            if level1 is not None and new != level1 and not r.get("level2"):
                level2 = None
            level1 = new
        if r.get("level2"):
            level2 = r["level2"]
        if not r.get("level3") and not r.get("value"):
            continue   # an empty template row, or one with levels only
        value, op_text, unit = r.get("value") or "", r.get("op") or "", r.get("unit") or ""
        if not value:
            issues.append(ParseIssue(cells.where, "warning", "INDICATOR_WITHOUT_VALUE",
                                     f"indicator {r.get('level3')!r} has no target value"))
        target = parse_value(value or None, unit_hint=unit or None, op_hint=_op_hint(op_text),
                             budget_year=budget_year)
        indicators.append(Indicator(
            level1=level1, level2=level2, level3=r.get("level3") or None,
            description=r.get("description") or None, raw_value=value or None, target=target,
            unit_column=unit or None, basis=r.get("basis") or None,
            formula=r.get("formula") or None, where=cells.where,
            op_column=op_text or None, weight=r.get("weight") or None,
            value_source=cells.origin, value_confidence=cells.confidence))
    first = next((i.level1 for i in indicators if i.level1), None)
    for ind in indicators:   # a level-1 name printed mid-block names the rows above it too
        if ind.level1 is not None:
            break
        ind.level1 = first
    return indicators


def _op_hint(op_text: str) -> str | None:
    """The comparison a 指标性质 column states: ≥ ≤ ＝ > <, or `qualitative` for 定性; 正向/反向
    (a direction, not a comparison) states none."""
    key = fold(op_text)
    if not key:
        return None
    if "定性" in key:
        return "qualitative"
    return _OPS.get(key)


def table_end(rows: list[Row], i: int) -> bool:
    """True when rows[i] ends the table: a footnote or sign-off line."""
    first = first_text(rows[i].texts)
    return bool(first) and book().is_footer(first)
