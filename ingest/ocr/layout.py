"""Text lines inside a region of a straightened page, found by where the ink is: rows of
ink separated by blank rows are lines, and within a line, a gap wider than a few characters
separates two pieces of text (text on the left and on the right of a page, say)."""
from __future__ import annotations

import numpy as np

Box = tuple[int, int, int, int]   # x0, y0, x1, y1


def _runs(profile: np.ndarray, min_value: int) -> list[tuple[int, int]]:
    on = profile >= min_value
    if not on.any():
        return []
    edges = np.flatnonzero(np.diff(np.concatenate(([0], on.view(np.int8), [0]))))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2])]


def text_lines(mask: np.ndarray, box: Box, split_gap: float | None = None) -> list[Box]:
    """Boxes of the text lines inside `box` of an ink mask (rules already removed).
    With `split_gap` (in line heights), a line is cut where its ink stops for longer."""
    x0, y0, x1, y1 = box
    region = mask[y0:y1, x0:x1] > 0
    if region.size == 0:
        return []
    rows = _runs(region.sum(axis=1), 2)
    if not rows:
        return []
    # blank rows inside a character (the gaps in 二, 三, 元) are short against the height of
    # a line: join runs closer than that, while the joined run stays about one line high
    tall = [b - a for a, b in rows if b - a >= 8]
    line_h = float(np.median(tall)) if tall else 20.0
    merged: list[list[int]] = []
    for a, b in rows:
        if merged and a - merged[-1][1] <= max(3, 0.35 * line_h) and b - merged[-1][0] <= 1.4 * line_h:
            merged[-1][1] = b
        else:
            merged.append([a, b])
    heights = [b - a for a, b in merged if b - a >= 6]
    line_h = float(np.median(heights)) if heights else line_h
    out: list[Box] = []
    for a, b in merged:
        if b - a < max(4, line_h * 0.25):
            # a speck of noise, or a lone stroke such as 一 or －: keep it only if it is
            # long enough to be a character
            cols = _runs(region[a:b].sum(axis=0), 1)
            if not cols or max(e - s for s, e in cols) < line_h * 0.6:
                continue
        cols = _runs(region[a:b].sum(axis=0), 1)
        if not cols:
            continue
        pieces = [[cols[0][0], cols[0][1]]]
        gap = (split_gap or 1e9) * max(line_h, b - a)
        for s, e in cols[1:]:
            if s - pieces[-1][1] > gap:
                pieces.append([s, e])
            else:
                pieces[-1][1] = e
        for s, e in pieces:
            if e - s < 3:
                continue
            out.append((x0 + s, y0 + a, x0 + e, y0 + b))
    return out


def crop(gray: np.ndarray, box: Box, pad: int = 6) -> np.ndarray:
    """The box cut from the grey page with a margin of paper around it, as the recogniser
    expects a line of text with some space about it."""
    x0, y0, x1, y1 = box
    h, w = gray.shape
    piece = gray[max(0, y0 - 2):min(h, y1 + 2), max(0, x0 - 2):min(w, x1 + 2)]
    return np.pad(piece, pad, constant_values=255)
