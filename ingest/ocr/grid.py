"""Ruled tables on a straightened page: their horizontal rules, the vertical rules between
each pair of them, the grid these make, and the merged cells where a rule is missing.

A table is found from its horizontal rules: long runs of ink, grouped into one table while
each band between two of them is closed by vertical rules at its left and right. Within a
band, a vertical rule is a column of ink that crosses the whole band, which text never does
(cells keep a margin above and below their text), so even a one-line row is found. The
grid's columns are all the vertical rules seen in any band; a cell with no rule on its right
or below is merged with its neighbour, and a merged cell is reported once with its span.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np


@dataclass
class Cell:
    row: int
    col: int
    rowspan: int
    colspan: int
    box: tuple[int, int, int, int]   # x0, y0, x1, y1 in page pixels, inside the rules


@dataclass
class Table:
    box: tuple[int, int, int, int]
    ys: list[int]                    # horizontal rules, top to bottom
    xs: list[int]                    # vertical rules, left to right
    cells: list[Cell] = field(default_factory=list)

    @property
    def nrows(self) -> int:
        return len(self.ys) - 1

    @property
    def ncols(self) -> int:
        return len(self.xs) - 1


@dataclass
class _Rule:
    y: int
    x0: int
    x1: int
    thick: int
    runs: list[tuple[int, int]]      # covered x ranges


def find_tables(mask: np.ndarray, dpi: int = 200) -> tuple[list[Table], np.ndarray]:
    """Tables on the page, and the mask of their rules (to keep rules out of the text)."""
    h, w = mask.shape
    min_len = max(30, int(dpi * 0.35))          # a rule is longer than any character
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (max(15, dpi // 6), 1))
    horiz = cv2.morphologyEx(mask, cv2.MORPH_OPEN, kernel)
    rules = _horizontal_rules(horiz, min_len)
    tables: list[Table] = []
    rule_mask = np.zeros_like(mask)
    i = 0
    while i < len(rules) - 1:
        group = [rules[i]]
        bands: list[list[int]] = []
        j = i + 1
        while j < len(rules):
            top, bottom = group[-1], rules[j]
            x0, x1 = max(min(r.x0 for r in group), bottom.x0), min(max(r.x1 for r in group), bottom.x1)
            if x1 - x0 < min_len:
                break
            verticals = _band_verticals(mask, top, bottom, min(r.x0 for r in group + [bottom]),
                                        max(r.x1 for r in group + [bottom]))
            if len(verticals) < 2:
                break
            group.append(bottom)
            bands.append(verticals)
            j += 1
        if len(group) >= 2:
            table = _build(group, bands, horiz)
            if table is not None:
                tables.append(table)
                _draw_rules(rule_mask, table, group, bands, mask)
            i = j
        else:
            i += 1
    return tables, rule_mask


def _horizontal_rules(horiz: np.ndarray, min_len: int) -> list[_Rule]:
    """Horizontal rules, one per y (rows of a thick rule merged), with their covered ranges."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(horiz, connectivity=8)
    segs = [(int(s[cv2.CC_STAT_TOP] + s[cv2.CC_STAT_HEIGHT] / 2), int(s[cv2.CC_STAT_LEFT]),
             int(s[cv2.CC_STAT_LEFT] + s[cv2.CC_STAT_WIDTH]), int(s[cv2.CC_STAT_HEIGHT]))
            for s in stats[1:] if s[cv2.CC_STAT_WIDTH] >= min_len and s[cv2.CC_STAT_HEIGHT] <= 12]
    segs.sort()
    rules: list[_Rule] = []
    for y, x0, x1, t in segs:
        # pieces of one rule (broken by a seal or a faint scan) and double rules are one
        near = [r for r in rules if abs(r.y - y) <= 6]
        if near:
            r = near[0]
            r.runs.append((x0, x1))
            r.x0, r.x1, r.thick = min(r.x0, x0), max(r.x1, x1), max(r.thick, t)
        else:
            rules.append(_Rule(y, x0, x1, t, [(x0, x1)]))
    # rules at the same height but far apart in x belong to different tables; keep order by y
    rules.sort(key=lambda r: (r.y, r.x0))
    return rules


def _band_verticals(mask: np.ndarray, top: _Rule, bottom: _Rule, x0: int, x1: int) -> list[int]:
    """x of the vertical rules that cross the band between two horizontal rules."""
    y0 = top.y + top.thick // 2 + 2
    y1 = bottom.y - bottom.thick // 2 - 2
    if y1 - y0 < 6:
        return []
    band = mask[y0:y1, max(0, x0 - 6):x1 + 7] > 0
    # a rule may lean by a pixel over the band: let each column borrow from its neighbours
    cover = band.mean(axis=0)
    cover = np.maximum.reduce([cover, np.roll(cover, 1), np.roll(cover, -1)])
    xs = np.where(cover >= 0.85)[0]
    if not len(xs):
        return []
    groups, start, prev = [], xs[0], xs[0]
    for x in xs[1:]:
        if x > prev + 2:
            groups.append((start + prev) // 2)
            start = x
        prev = x
    groups.append((start + prev) // 2)
    return [int(g + max(0, x0 - 6)) for g in groups]


def _cluster(values: list[int], gap: int) -> list[int]:
    values = sorted(values)
    out: list[list[int]] = []
    for v in values:
        if out and v - out[-1][-1] <= gap:
            out[-1].append(v)
        else:
            out.append([v])
    return [int(round(sum(c) / len(c))) for c in out]


def _build(group: list[_Rule], bands: list[list[int]], horiz: np.ndarray) -> Table | None:
    xs = _cluster([x for band in bands for x in band], 6)
    if len(xs) < 2:
        return None
    ys = [r.y for r in group]
    nrows, ncols = len(ys) - 1, len(xs) - 1

    def has_vertical(i: int, k: int) -> bool:         # rule at xs[k] in band i
        return any(abs(x - xs[k]) <= 6 for x in bands[i])

    def has_horizontal(k: int, j: int) -> bool:       # rule at ys[k] under column j
        a, b = xs[j], xs[j + 1]
        span = b - a
        if span <= 4:
            return True
        y = ys[k]
        t = max(2, group[k].thick)
        strip = horiz[max(0, y - t - 2):y + t + 3, a + 2:b - 1] > 0
        return strip.any(axis=0).mean() >= 0.6

    parent = list(range(nrows * ncols))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for i in range(nrows):
        for j in range(ncols):
            if j + 1 < ncols and not has_vertical(i, j + 1):
                parent[find(i * ncols + j + 1)] = find(i * ncols + j)
            if i + 1 < nrows and not has_horizontal(i + 1, j):
                parent[find((i + 1) * ncols + j)] = find(i * ncols + j)
    members: dict[int, list[tuple[int, int]]] = {}
    for i in range(nrows):
        for j in range(ncols):
            members.setdefault(find(i * ncols + j), []).append((i, j))
    cells = []
    for group_cells in members.values():
        r0 = min(i for i, _ in group_cells)
        r1 = max(i for i, _ in group_cells)
        c0 = min(j for _, j in group_cells)
        c1 = max(j for _, j in group_cells)
        cells.append(Cell(r0, c0, r1 - r0 + 1, c1 - c0 + 1, (xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1])))
    cells.sort(key=lambda c: (c.row, c.col))
    # cells of a non-rectangular group overlap; keep the first that claims a grid position
    seen: set[tuple[int, int]] = set()
    kept = []
    for c in cells:
        spots = {(i, j) for i in range(c.row, c.row + c.rowspan) for j in range(c.col, c.col + c.colspan)}
        if spots & seen:
            continue
        seen |= spots
        kept.append(c)
    return Table((xs[0], ys[0], xs[-1], ys[-1]), ys, xs, kept)


def _draw_rules(rule_mask: np.ndarray, table: Table, group: list[_Rule], bands: list[list[int]],
                mask: np.ndarray) -> None:
    """Mark the ink of the table's rules (and a pixel around it) so text reading skips it."""
    for r in group:
        t = r.thick // 2 + 3
        for a, b in r.runs:
            rule_mask[max(0, r.y - t):r.y + t + 1, a:b] = 255
    for i, band in enumerate(bands):
        y0, y1 = group[i].y, group[i + 1].y
        for x in band:
            rule_mask[y0:y1 + 1, max(0, x - 4):x + 5] = 255
