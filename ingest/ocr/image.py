"""A scanned page made ready for reading: the red seal taken out by its colour, the page
turned straight by the angle of its ruling (or of its text lines), and ink separated from
paper. Pure functions on numpy arrays (OpenCV)."""
from __future__ import annotations

import cv2
import numpy as np


def remove_seal(rgb: np.ndarray) -> np.ndarray:
    """Grey page without its red seal, print under the seal kept.

    A pixel of the seal lies between paper (W) and seal ink on paper (E, the reddest colour
    found on the page), nearer E the denser the ink; print under the seal is darker than
    that line, whether the seal ink absorbs (print stays black) or covers it half (print
    shows through as dark red). So each pixel's redness tells how much seal ink it has, and
    its green/blue level against what that much ink on paper would give is the grey of the
    print beneath: paper and seal come out white, print dark. Without a seal the page is its
    brightest channel (a blue signature turns light too)."""
    img = cv2.GaussianBlur(rgb, (3, 3), 0).astype(np.float32)
    r, gb = img[..., 0], (img[..., 1] + img[..., 2]) / 2
    redness = r - gb
    candidates = redness > 60
    if np.count_nonzero(candidates) < 300:
        return rgb.max(axis=2)
    paper = np.percentile(img.reshape(-1, 3), 95, axis=0)
    reds = redness[candidates]
    densest = candidates & (redness >= np.percentile(reds, 80))
    seal = np.median(img[densest], axis=0)
    seal_gb = (seal[1] + seal[2]) / 2
    full = max(1.0, (seal[0] - seal_gb) - (paper[0] - (paper[1] + paper[2]) / 2))
    ink_share = np.clip(redness / full, 0, 1)
    expected = (paper[1] + paper[2]) / 2 * (1 - ink_share) + seal_gb * ink_share
    gray = 255 * gb / np.maximum(expected, 1)
    plain = rgb.max(axis=2).astype(np.float32)   # where there is no seal ink at all
    gray = np.where(ink_share > 0.05, gray, plain)
    return np.clip(gray, 0, 255).astype(np.uint8)


def ink(gray: np.ndarray) -> np.ndarray:
    """Binary ink mask (uint8 0/255): Otsu's threshold on the lightly smoothed page, capped so
    that faint scanner noise on a nearly empty page does not count as ink."""
    blur = cv2.GaussianBlur(gray, (3, 3), 0)
    t, _ = cv2.threshold(blur, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    t = min(t, 170.0)
    _, mask = cv2.threshold(blur, t, 255, cv2.THRESH_BINARY_INV)
    return mask


def skew_angle(mask: np.ndarray) -> float:
    """Angle (degrees, counter-clockwise positive as cv2 rotates) by which the page is
    turned: from the long horizontal rules of its tables (Hough transform over ±5°, in
    steps of 0.05°), else from its text lines."""
    h, w = mask.shape
    horiz = cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(20, w // 40), 1)))
    if cv2.countNonZero(horiz) > w // 2:
        span = np.radians(5)
        found = cv2.HoughLines(horiz, 1, np.pi / 3600, threshold=max(50, w // 5),
                               min_theta=np.pi / 2 - span, max_theta=np.pi / 2 + span)
        if found is not None and len(found):
            thetas = found.reshape(len(found), -1)[:5, 1]   # strongest first
            return float(np.degrees(np.median(thetas) - np.pi / 2))
    return _profile_angle(mask)


def _profile_angle(mask: np.ndarray) -> float:
    """The angle at which the rows of ink are sharpest (projection profile), for pages
    without ruling: coarse search, then fine."""
    small = cv2.resize(mask, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    h, w = small.shape
    centre = (w / 2, h / 2)

    def score(a: float) -> float:
        m = cv2.getRotationMatrix2D(centre, a, 1.0)
        rot = cv2.warpAffine(small, m, (w, h), flags=cv2.INTER_NEAREST)
        prof = rot.sum(axis=1, dtype=np.float64)
        return float(np.sum(np.diff(prof) ** 2))

    best = max(np.arange(-3, 3.01, 0.5), key=score)
    return float(max(np.arange(best - 0.5, best + 0.51, 0.1), key=score))


def rotate(img: np.ndarray, angle: float, fill: int = 255) -> np.ndarray:
    """The image turned by `angle` degrees about its centre, the corners filled with paper."""
    if abs(angle) < 0.05:
        return img
    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    border = (fill,) * img.shape[2] if img.ndim == 3 else fill
    return cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=border)


def prepare(rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """(straightened grey page, its ink mask, the angle it was turned by)."""
    gray = remove_seal(rgb)
    angle = skew_angle(ink(gray))
    gray = rotate(gray, angle)
    return gray, ink(gray), angle
