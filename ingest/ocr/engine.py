"""The OCR engine: RapidOCR's PP-OCRv4 Chinese models (rapidocr-onnxruntime, the models ship
inside the wheel: nothing is downloaded), run on ONNX Runtime's CPU provider. Loaded once
per process; only its line recogniser is used, on lines the page layout has cut out."""
from __future__ import annotations

import logging
import os

import cv2
import numpy as np

NAME = "rapidocr"
_engine = None
_threads = None


def _load(threads: int | None):
    global _engine, _threads
    if _engine is None or threads != _threads:
        from rapidocr_onnxruntime import RapidOCR

        logging.getLogger("RapidOCR").setLevel(logging.WARNING)
        kwargs = {"intra_op_num_threads": threads, "inter_op_num_threads": 1} if threads else {}
        _engine, _threads = RapidOCR(**kwargs), threads
    return _engine


def configure(threads: int | None) -> None:
    """Load the models for this process, with `threads` ONNX Runtime threads (None: all)."""
    _load(threads)


def recognise(images: list[np.ndarray], threads: int | None = None) -> list[tuple[str, float]]:
    """Text and confidence (0..1) of each image of one line of text (grey, uint8).
    Lines of similar width go through the model together (less padding, less work)."""
    if not images:
        return []
    engine = _load(threads if _engine is None else _threads)
    rec = engine.text_rec
    out: list[tuple[str, float]] = [("", 0.0)] * len(images)
    height = 48
    ratios = [im.shape[1] / max(1, im.shape[0]) for im in images]
    order = np.argsort(ratios)
    batch: list[int] = []

    def run(batch: list[int]) -> None:
        width = int(np.ceil(height * max(ratios[i] for i in batch)))
        width = max(width, 64)
        tensor = np.zeros((len(batch), 3, height, width), dtype=np.float32)
        for k, i in enumerate(batch):
            im = images[i]
            w = min(width, int(np.ceil(height * ratios[i])))
            resized = cv2.resize(im, (w, height), interpolation=cv2.INTER_LINEAR)
            tensor[k, :, :, :w] = (resized.astype(np.float32) / 255 - 0.5) / 0.5
        preds = rec.session(tensor)[0]
        for k, (text, score) in enumerate(rec.postprocess_op(preds)):
            out[batch[k]] = (text, float(score))

    for i in order:
        if batch and (len(batch) >= 8 or ratios[i] > 1.5 * ratios[batch[0]] + 1):
            run(batch)
            batch = []
        batch.append(int(i))
    if batch:
        run(batch)
    return out


def default_threads() -> int:
    return os.cpu_count() or 1
