"""OCR of scanned PDF pages: pages are rasterised with pypdfium2 at their scan resolution,
read by `page.read_page` (seal removal, deskew, ruled-table grid, line recognition with
RapidOCR) and handed back as table rows and text lines.

Pages are read in parallel by a pool of worker processes (one per core unless
$JIXIAO_OCR_WORKERS says otherwise), each loading the models once; with one worker, pages
are read in this process.
"""
from __future__ import annotations

import atexit
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

import numpy as np

from ingest.ocr import engine
from ingest.ocr.page import PageItem, read_page

ENGINE = engine.NAME
DEFAULT_DPI = 200
MAX_DPI = 300

_pool: ProcessPoolExecutor | None = None
_pool_size = 0


def workers_wanted() -> int:
    """Worker processes for OCR: $JIXIAO_OCR_WORKERS, else one per core."""
    try:
        return max(1, int(os.environ.get("JIXIAO_OCR_WORKERS", "")))
    except ValueError:
        return os.cpu_count() or 1


def page_dpi(page) -> int:
    """The resolution to render a page at: that of the largest image on it (a scan), held
    within 200..300 dpi; 200 dpi for a page without images."""
    import pypdfium2.raw as pdfium_c

    best = 0.0
    width_pt = page.get_width()
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        try:
            px_w, _ = obj.get_px_size()
            x0, _, x1, _ = obj.get_pos()
        except Exception:  # an image pdfium cannot measure: fall back to the default
            continue
        if x1 - x0 > width_pt * 0.5:
            best = max(best, px_w / ((x1 - x0) / 72))
    if not best:
        return DEFAULT_DPI
    return int(min(MAX_DPI, max(DEFAULT_DPI, round(best))))


def render(pdf, index: int) -> tuple[np.ndarray, int]:
    """Page `index` (0-based) of an open pypdfium2 document as an RGB array, and its dpi."""
    page = pdf[index]
    dpi = page_dpi(page)
    bitmap = page.render(scale=dpi / 72)
    rgb = np.asarray(bitmap.to_pil().convert("RGB"))
    page.close()
    return rgb, dpi


def _init_worker() -> None:
    import cv2

    cv2.setNumThreads(1)
    engine.reset()
    engine.configure(1)


def _work(args: tuple[np.ndarray, int]) -> list[PageItem] | PageFailure:
    rgb, dpi = args
    return _read_safely(rgb, dpi, threads=1)


class PageFailure(str):
    """Why a page could not be read (the other pages of the document still are)."""


def _read_safely(rgb: np.ndarray, dpi: int, threads: int | None = None) -> list[PageItem] | PageFailure:
    try:
        return read_page(rgb, dpi, threads=threads)
    except Exception as exc:  # an odd page must not cost the document its other pages
        return PageFailure(f"{type(exc).__name__}: {exc}")


def _get_pool(size: int) -> ProcessPoolExecutor:
    """The pool of OCR workers, kept for the next document. Workers are forked where the
    system allows it (nothing to re-import, and no `if __name__ == "__main__"` needed in
    the caller's script), spawned elsewhere."""
    global _pool, _pool_size
    if _pool is None or _pool_size != size:
        if _pool is not None:
            _pool.shutdown(wait=False, cancel_futures=True)
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        _pool = ProcessPoolExecutor(max_workers=size, mp_context=multiprocessing.get_context(method),
                                    initializer=_init_worker)
        _pool_size = size
    return _pool


@atexit.register
def _close_pool() -> None:
    global _pool
    if _pool is not None:
        _pool.shutdown(wait=True, cancel_futures=True)
        _pool = None


def read_pages(pdf, indexes: list[int], workers: int | None = None) -> dict[int, list[PageItem] | PageFailure]:
    """OCR the pages `indexes` (0-based) of an open pypdfium2 document: with one worker in
    this process, else in the pool (and in this process after all, should the pool fail).
    A page that cannot be read gives a PageFailure instead of its items."""
    workers = workers or workers_wanted()
    if workers <= 1:   # one worker, one core (ONNX Runtime's extra threads only spin)
        return {i: _read_safely(*render(pdf, i), threads=1) for i in indexes}
    try:
        pool = _get_pool(workers)
        futures = {i: pool.submit(_work, render(pdf, i)) for i in indexes}
        return {i: f.result() for i, f in futures.items()}
    except (BrokenProcessPool, OSError, RuntimeError):
        _close_pool()
        return {i: _read_safely(*render(pdf, i), threads=1) for i in indexes}
