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


def reset() -> None:
    """Forget a model inherited from a parent process (its threads did not come along)."""
    global _engine, _threads
    _engine, _threads = None, None


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
        for k in range(len(batch)):
            out[batch[k]] = decode(preds[k], rec.postprocess_op.character)

    for i in order:
        if batch and (len(batch) >= 8 or ratios[i] > 1.5 * ratios[batch[0]] + 1):
            run(batch)
            batch = []
        batch.append(int(i))
    if batch:
        run(batch)
    return out


# Comparison signs that print, in the CJK fonts of the forms, with a slanted bar (⩾ ⩽) that
# the model reads half as ≥ and half as > (or drops): together they are one sign, and the
# form sign wins unless the model is sure of the plain one (a true > scores ≥ below 0.01).
_SIGN_PAIRS = (("≥", ">"), ("≤", "<"))
_PREFER_SIGN = 0.3


def decode(probs: np.ndarray, charset: list[str]) -> tuple[str, float]:
    """Greedy CTC decoding of one line's frame probabilities (frames × classes, class 0 the
    blank): the text and its confidence, the mean probability of the characters read."""
    p = probs
    pairs = _pair_index(charset)
    if pairs:
        p = probs.copy()
        for i, j in pairs:
            mass = p[:, i] + p[:, j]
            sign = p[:, i] >= _PREFER_SIGN * p[:, j]
            p[:, i] = np.where(sign, mass, 0.0)
            p[:, j] = np.where(sign, 0.0, mass)
    best = p.argmax(axis=1)
    conf = p.max(axis=1)
    keep = best != 0
    keep[1:] &= best[1:] != best[:-1]
    chars = [charset[c] for c in best[keep]]
    probs = list(conf[keep])
    # specks of noise at either end of a line come out as faint punctuation: drop those
    while chars and chars[-1] in _SPECKS and probs[-1] < 0.7:
        chars.pop(), probs.pop()
    while chars and chars[0] in _SPECKS and probs[0] < 0.7:
        chars.pop(0), probs.pop(0)
    return "".join(chars), float(np.mean(probs)) if probs else 0.0


_SPECKS = set("‘’'`·.,，、:：;；_-~^\"“”．。・•")


_pairs_cache: dict[int, list[tuple[int, int]]] = {}


def _pair_index(charset: list[str]) -> list[tuple[int, int]]:
    key = id(charset)
    if key not in _pairs_cache:
        where = {c: i for i, c in enumerate(charset)}
        _pairs_cache[key] = [(where[a], where[b]) for a, b in _SIGN_PAIRS if a in where and b in where]
    return _pairs_cache[key]


def default_threads() -> int:
    return os.cpu_count() or 1
