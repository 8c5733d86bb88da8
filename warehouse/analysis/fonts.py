"""A CJK font for charts. Without one, vl-convert draws every Chinese character as the same
empty box, silently; so exports check first and stop with the fix when no font is found or
when Chinese still renders as boxes."""
from __future__ import annotations

import os
import shutil
import subprocess
from functools import cache
from pathlib import Path

FIX = ("Install one with `sudo apt-get install fonts-noto-cjk` (`make setup` does this when it "
       "can), or set JIXIAO_CJK_FONT_DIR to a folder holding a CJK .otf/.ttf/.ttc font.")
FONT_DIRS = [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".fonts",
             Path.home() / ".local/share/fonts"]
KNOWN = ("NotoSansCJK", "NotoSerifCJK", "SourceHanSans", "SourceHanSerif", "wqy-", "simhei",
         "simsun", "msyh", "DroidSansFallback")


class MissingCJKFont(RuntimeError):
    pass


def _family_of(path: Path) -> str:
    name = path.name
    if "NotoSerifCJK" in name:
        return "Noto Serif CJK SC"
    if "NotoSansCJK" in name or "NotoSansSC" in name:
        return "Noto Sans CJK SC"
    if "SourceHanSans" in name:
        return "Source Han Sans SC"
    if "wqy-zenhei" in name:
        return "WenQuanYi Zen Hei"
    if "wqy-microhei" in name:
        return "WenQuanYi Micro Hei"
    return path.stem


def find_cjk_font() -> tuple[str, Path] | None:
    """(family, file) of a font with Chinese glyphs: fontconfig's answer, else a file search."""
    extra = os.environ.get("JIXIAO_CJK_FONT_DIR")
    dirs = ([Path(extra)] if extra else []) + FONT_DIRS
    if not extra and shutil.which("fc-list"):
        out = subprocess.run(["fc-list", ":lang=zh", "family", "file"], capture_output=True,
                             text=True, check=False).stdout
        fonts = sorted(line.split(":")[0] for line in out.splitlines() if line.strip())
        sans = [f for f in fonts if "Sans" in f] or fonts
        if sans:
            return _family_of(Path(sans[0])), Path(sans[0])
    for base in dirs:
        if base.is_dir():
            for path in sorted(base.rglob("*")):
                if path.suffix.lower() in (".otf", ".ttf", ".ttc") and any(k in path.name for k in KNOWN):
                    return _family_of(path), path
    return None


def render_label(text: str, family: str) -> bytes:
    """A PNG of one text label, as vl-convert draws it."""
    import vl_convert as vlc

    spec = {"$schema": "https://vega.github.io/schema/vega-lite/v5.json",
            "data": {"values": [{"t": text}]}, "mark": {"type": "text", "fontSize": 32, "font": family},
            "encoding": {"text": {"field": "t"}}, "width": 200, "height": 50,
            "config": {"view": {"stroke": None}}}
    return vlc.vegalite_to_png(spec, scale=1)


def renders_distinctly(a: str, b: str, family: str) -> bool:
    """False when two different labels come out as the same picture: their characters are
    drawn as the font's empty 'missing glyph' box."""
    return render_label(a, family) != render_label(b, family)


@cache
def cjk_family() -> str:
    """The CJK font family for charts, registered with vl-convert and checked to draw Chinese;
    raises MissingCJKFont naming the fix."""
    import vl_convert as vlc

    found = find_cjk_font()
    if found is None:
        raise MissingCJKFont(f"No CJK font found on this machine: Chinese labels would be empty boxes. {FIX}")
    family, path = found
    vlc.register_font_directory(str(path.parent))
    if not renders_distinctly("卢龙县", "承德县", family):
        raise MissingCJKFont(f"The font {path} is found but Chinese still renders as empty boxes. {FIX}")
    return family
