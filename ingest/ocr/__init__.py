"""OCR of scanned PDF pages: pages are rasterised with pypdfium2 at their scan resolution,
read by `page.read_page` (seal removal, deskew, ruled-table grid, line recognition with
RapidOCR) and handed back as table rows and text lines.

Pages are read in parallel by a pool of worker processes (one per core unless told
otherwise), each loading the models once; a single page is read in this process.
"""
from __future__ import annotations

import atexit
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

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
    engine.configure(1)


def _work(args: tuple[np.ndarray, int]) -> list[PageItem]:
    rgb, dpi = args
    return read_page(rgb, dpi, threads=1)


def _get_pool(size: int) -> ProcessPoolExecutor:
    global _pool, _pool_size
    if _pool is None or _pool_size != size:
        if _pool is not None:
            _pool.shutdown(wait=False, cancel_futures=True)
        _pool = ProcessPoolExecutor(max_workers=size, mp_context=multiprocessing.get_context("spawn"),
                                    initializer=_init_worker)
        _pool_size = size
    return _pool


@atexit.register
def _close_pool() -> None:
    if _pool is not None:
        _pool.shutdown(wait=True, cancel_futures=True)


def read_pages(pdf, indexes: list[int], workers: int | None = None) -> dict[int, list[PageItem]]:
    """OCR the pages `indexes` (0-based) of an open pypdfium2 document."""
    workers = min(workers or workers_wanted(), len(indexes))
    if workers <= 1:
        return {i: read_page(*render(pdf, i)) for i in indexes}
    pool = _get_pool(workers)
    futures = {i: pool.submit(_work, render(pdf, i)) for i in indexes}
    return {i: f.result() for i, f in futures.items()}
