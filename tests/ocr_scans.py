"""Scanned renderings of the bundled samples, made by the tests themselves (and by
benchmarks/bench_ocr.py): the sample's rows are laid out as a Word document with ruled tables
(merged cells where a label spans the rows or columns beside it), printed to PDF by
LibreOffice, then "scanned": rasterised at 200 dpi, turned by a small angle, stamped with a
red seal over the table, given sensor noise and JPEG artefacts, and put back into an
image-only PDF with img2pdf.

What a scan cannot carry, and the comparison therefore leaves aside: spaces inside a cell
(`≥2304.9 立方米` prints like `≥2304.9立方米`), and extraction debris of the text samples
(`<p>` tags), which are not printed.
"""
from __future__ import annotations

import io
import math
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tests.conftest import SAMPLE

FONT = "Noto Serif CJK SC"


# --- which part of a sample -------------------------------------------------------------

_LIAONING_TITLE = "本级预算项目绩效目标表"
_HEBEI_TITLE = re.compile(r"^\d+\.\S.*绩效目标表$")


def sample_subset(key: str, forms: int) -> str:
    """The sample's text cut to its document header and its first `forms` forms, as a text
    document the layout parsers read like the whole sample."""
    lines = SAMPLE[key].read_text(encoding="utf-8").split("\n")
    if key in ("000", "003"):
        starts = [i for i, l in enumerate(lines) if l.strip() == _LIAONING_TITLE]
        head: list[str] = []
    elif key == "002":
        starts = [i for i, l in enumerate(lines) if "\t" not in l and _HEBEI_TITLE.match(l.replace(" ", ""))]
        toc = next(i for i, l in enumerate(lines) if l.replace(" ", "") == "目录")
        head = lines[:toc]
    else:
        raise ValueError(f"no subset rule for sample {key}")
    end = starts[forms] if forms < len(starts) else len(lines)
    return "\n".join(head + lines[starts[0]:end]) + "\n"


# --- a Word document of the rows ----------------------------------------------------------

def _blocks(text: str) -> list[tuple[str, object]]:
    """Paragraphs ('p', text) and tables ('t', rows of cells) in order; a form title starts
    a new page ('break', None)."""
    out: list[tuple[str, object]] = []
    rows: list[list[str]] = []
    for line in text.split("\n"):
        if "\t" in line:
            rows.append([_printable(c) for c in line.split("\t")])
            continue
        if rows:
            out.append(("t", rows))
            rows = []
        line = _printable(line)
        if not line:
            continue
        if out and (line == _LIAONING_TITLE or _HEBEI_TITLE.match(line.replace(" ", ""))):
            out.append(("break", None))
        out.append(("p", line))
    if rows:
        out.append(("t", rows))
    return out


def _printable(text: str) -> str:
    return re.sub(r"</?p>", "", text).strip()


def merges(rows: list[list[str]]) -> tuple[list[list[str]], list[tuple[int, int, int, int]]]:
    """The rows padded to one column count, and the merged cells a printed form would have
    (row, col, rows spanned, cols spanned): an empty cell in the first two columns under a
    filled one continues it downwards (一级/二级指标, 资金投入), and a filled cell with empty
    cells after it spans them. Read back, a merged cell gives its text at its first position
    and empty strings at the others: exactly the padded rows."""
    ncols = max(len(r) for r in rows)
    grid = [r + [""] * (ncols - len(r)) for r in rows]
    owner: dict[tuple[int, int], tuple[int, int]] = {}
    spans: dict[tuple[int, int], list[int]] = {}
    for c in (0, 1):
        for r in range(1, len(grid)):
            above = owner.get((r - 1, c), (r - 1, c))
            if grid[r][c] or not grid[above[0]][c] or not any(grid[r][c + 1:]):
                continue
            if c == 1 and (r, 0) not in owner:
                continue  # a new level-1 group starts: the level-2 cell does not run on
            owner[(r, c)] = above
            spans.setdefault(above, [1, 1])[0] += 1
    for r, row in enumerate(grid):
        c = 0
        while c < ncols:
            if not row[c] or (r, c) in owner or (r, c) in spans:
                c += 1
                continue
            end = c + 1
            while end < ncols and not row[end] and (r, end) not in owner and (r, end) not in spans:
                end += 1
            if end - c > 1:
                spans[(r, c)] = [1, end - c]
                for k in range(c + 1, end):
                    owner[(r, k)] = (r, c)
            c = end
    return grid, [(r, c, h, w) for (r, c), (h, w) in sorted(spans.items()) if h > 1 or w > 1]


def to_docx(text: str) -> bytes:
    from docx import Document
    from docx.enum.text import WD_BREAK
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(1.8)
    section.top_margin = section.bottom_margin = Cm(2)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(10.5)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    normal.paragraph_format.space_after = Pt(2)
    usable = 21 - 3.6
    for kind, value in _blocks(text):
        if kind == "break":
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        elif kind == "p":
            p = doc.add_paragraph(value)
            if "绩效目标表" in value or "申报表" in value:
                p.alignment = 1  # a title on one line, as the forms print it
                size = min(15.0, usable / 2.54 * 72 / (len(value) + 1))
                p.runs[0].font.size, p.runs[0].bold = Pt(size), True
        else:
            grid, spans = merges(value)
            ncols = len(grid[0])
            weight = [max(2.0, min(14.0, max(len(r[c]) for r in grid) ** 0.7)) for c in range(ncols)]
            widths = [usable * w / sum(weight) for w in weight]
            table = doc.add_table(rows=len(grid), cols=ncols)
            table.style = "Table Grid"
            table.autofit = False
            for r, row in enumerate(grid):
                tr = table.rows[r]._tr
                props = tr.get_or_add_trPr()
                props.append(OxmlElement("w:cantSplit"))
                for c, cell_text in enumerate(row):
                    cell = table.cell(r, c)
                    cell.width = Cm(widths[c])
                    cell.text = cell_text
                    for p in cell.paragraphs:
                        p.paragraph_format.space_after = Pt(0)
                        for run in p.runs:
                            run.font.size = Pt(10)
            for r, c, h, w in spans:
                merged = table.cell(r, c).merge(table.cell(r + h - 1, c + w - 1))
                merged.text = grid[r][c]
                for p in merged.paragraphs:
                    p.paragraph_format.space_after = Pt(0)
                    for run in p.runs:
                        run.font.size = Pt(10)
            doc.add_paragraph()
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def have_libreoffice() -> bool:
    return shutil.which("soffice") is not None


def docx_to_pdf(documents: dict[str, bytes]) -> dict[str, bytes]:
    """Print Word documents to PDF with LibreOffice (one run for all; a private profile so
    that parallel runs do not share one)."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name, data in documents.items():
            (root / f"{name}.docx").write_bytes(data)
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{root}/profile", "--headless",
             "--convert-to", "pdf", "--outdir", str(root), *[str(root / f"{n}.docx") for n in documents]],
            check=True, capture_output=True, timeout=300)
        return {name: (root / f"{name}.pdf").read_bytes() for name in documents}


# --- the scan --------------------------------------------------------------------------

@dataclass(frozen=True)
class Noise:
    dpi: int = 200
    angle: float | None = None     # degrees; None: 0.5–1.5 either way, drawn from the seed
    stamp: bool = True
    seal_blend: str = "multiply"   # how seal ink lies on the print: "multiply" (ink absorbs:
                                   # print under it stays dark) or "alpha" (laid over it)
    seal_alpha: float = 0.75       # opacity of an "alpha" seal
    sigma: float = 8.0             # gaussian sensor noise, grey levels
    jpeg_quality: int = 70
    seed: int = 0


def _stamp(size: int, rng: np.random.Generator):
    """A round red seal: ring, star and an arc of characters, with uneven ink."""
    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("L", (size, size), 0)
    d = ImageDraw.Draw(img)
    w = max(4, size // 45)
    d.ellipse((w, w, size - w, size - w), outline=255, width=w)
    cx = cy = size / 2
    r = size * 0.14
    star = [(cx + (r if k % 2 == 0 else r * 0.4) * math.sin(k * math.pi / 5),
             cy - (r if k % 2 == 0 else r * 0.4) * math.cos(k * math.pi / 5)) for k in range(10)]
    d.polygon(star, fill=255)
    font = ImageFont.truetype(_font_file(), int(size * 0.11))
    text = "某某县财政局预算绩效专用章"
    for k, ch in enumerate(text):
        a = math.radians(-120 + 240 * k / (len(text) - 1))
        glyph = Image.new("L", (int(size * 0.14),) * 2, 0)
        ImageDraw.Draw(glyph).text((0, 0), ch, fill=255, font=font)
        glyph = glyph.rotate(-math.degrees(a), expand=True)
        x = cx + size * 0.34 * math.sin(a) - glyph.width / 2
        y = cy - size * 0.34 * math.cos(a) - glyph.height / 2
        img.paste(255, (int(x), int(y)), glyph)
    ink = np.asarray(img, dtype=np.float32) / 255
    ink *= rng.uniform(0.65, 1.0, ink.shape).astype(np.float32)
    return ink


def _font_file() -> str:
    out = subprocess.run(["fc-match", "-f", "%{file}", f"{FONT}:bold"], capture_output=True, text=True)
    return out.stdout.strip()


def _table_box(gray: np.ndarray) -> tuple[int, int, int, int] | None:
    """Rough bounding box of the ruled table on a page (rows and columns of long dark runs)."""
    dark = gray < 128
    rows = np.where(dark.mean(axis=1) > 0.5)[0]
    if len(rows) < 2:
        return None
    cols = np.where(dark[rows[0]:rows[-1]].mean(axis=0) > 0.5)[0]
    if len(cols) < 2:
        return None
    return int(cols[0]), int(rows[0]), int(cols[-1]), int(rows[-1])


def scan_page(rgb: np.ndarray, noise: Noise, page: int) -> bytes:
    """One page image as a scanner gives it, as JPEG bytes."""
    from PIL import Image

    rng = np.random.default_rng(noise.seed * 1000 + page)
    img = rgb.astype(np.float32)
    if noise.stamp:
        box = _table_box(img.mean(axis=2))
        size = int(noise.dpi * 1.6)  # a seal of about 4 cm
        h, w = img.shape[:2]
        if box:
            x0, y0, x1, y1 = box
            cx = int(rng.uniform(x0 + 0.55 * (x1 - x0), x1 - size * 0.2))
            cy = int(rng.uniform(y0 + size * 0.3, max(y0 + size * 0.3 + 1, min(y1, y0 + (y1 - y0) * 0.6))))
        else:
            cx, cy = int(w * 0.7), int(h * 0.3)
        ink = _stamp(size, rng)
        x, y = max(0, cx - size // 2), max(0, cy - size // 2)
        ink = ink[: h - y, : w - x]
        region = img[y:y + ink.shape[0], x:x + ink.shape[1]]
        if noise.seal_blend == "alpha":
            a = (ink * noise.seal_alpha)[..., None]
            region[:] = region * (1 - a) + np.array([230.0, 30.0, 30.0], dtype=np.float32) * a
        else:
            # ink multiplies: black text under the seal stays black, white paper turns red
            red = np.array([205.0, 35.0, 45.0], dtype=np.float32) / 255
            region *= 1 - ink[..., None] * (1 - red)
    paper = rng.uniform(235, 250)
    img = img * (paper / 255)
    angle = noise.angle if noise.angle is not None else rng.choice([-1, 1]) * rng.uniform(0.5, 1.5)
    pil = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8))
    pil = pil.rotate(angle, resample=Image.BICUBIC, fillcolor=(int(paper),) * 3)
    arr = np.asarray(pil).astype(np.float32)
    arr += rng.normal(0, noise.sigma, arr.shape).astype(np.float32)
    pil = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    buf = io.BytesIO()
    pil.save(buf, "JPEG", quality=noise.jpeg_quality, dpi=(noise.dpi, noise.dpi))
    return buf.getvalue()


def scan_pdf(pdf: bytes, noise: Noise = Noise()) -> bytes:
    """An image-only PDF of the document as printed and scanned."""
    import img2pdf
    import pypdfium2 as pdfium

    pages = []
    doc = pdfium.PdfDocument(pdf)
    for i in range(len(doc)):
        bitmap = doc[i].render(scale=noise.dpi / 72)
        pages.append(scan_page(np.asarray(bitmap.to_pil().convert("RGB")), noise, i))
    doc.close()
    return img2pdf.convert(pages)


# --- how close a scan's records come to the text's ----------------------------------------

@dataclass
class Score:
    amounts_ok: int = 0
    amounts: int = 0
    values_ok: int = 0
    values: int = 0
    wrong: list = None

    def __post_init__(self):
        self.wrong = self.wrong or []

    def add(self, other: "Score") -> "Score":
        return Score(self.amounts_ok + other.amounts_ok, self.amounts + other.amounts,
                     self.values_ok + other.values_ok, self.values + other.values, self.wrong + other.wrong)

    def __str__(self) -> str:
        return (f"amounts {self.amounts_ok}/{self.amounts} ({self.amounts_ok / max(1, self.amounts):.1%}), "
                f"indicator values {self.values_ok}/{self.values} ({self.values_ok / max(1, self.values):.1%})")


def score(expected, got) -> Score:
    """Amounts (budget_total_wan, fiscal_wan of each form) and indicator raw values (spaces
    removed: a scan does not carry them) exactly right, form by form and row by row."""
    from ingest.text import compact

    out = Score()
    for i, form in enumerate(expected.forms):
        other = got.forms[i] if i < len(got.forms) else None
        for attr in ("budget_total_wan", "fiscal_wan"):
            e, g = getattr(form, attr), getattr(other, attr, None) if other else None
            out.amounts += 1
            out.amounts_ok += e == g
            if e != g:
                out.wrong.append(f"form {i + 1} {attr} {e} read {g}")
        got_values = [compact(x.raw_value) for x in other.indicators] if other else []
        for k, ind in enumerate(form.indicators):
            e = compact(ind.raw_value)
            g = got_values[k] if k < len(got_values) else None
            out.values += 1
            out.values_ok += e == g
            if e != g:
                out.wrong.append(f"form {i + 1} value {e!r} read {g!r}")
    return out
