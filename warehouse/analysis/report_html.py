"""The report as one self-contained HTML page beside the Word file: the same blocks, charts
as embedded PNG, captions 图 n / 表 n, table headers that repeat when printed, A4 print CSS."""
from __future__ import annotations

import base64
import html
from pathlib import Path

from warehouse.analysis.report import Content, Figure, Heading, Paragraph, Table

STYLE = """
body{font-family:'Noto Serif CJK SC','SimSun','Songti SC',serif;max-width:48em;margin:2em auto;line-height:1.6}
h1.title{text-align:center;font-family:'Noto Sans CJK SC','SimHei',sans-serif;margin-top:4em}
h2,h3,h4{font-family:'Noto Sans CJK SC','SimHei',sans-serif}
dl.cover{display:grid;grid-template-columns:7em 1fr;gap:.4em 1em;margin:3em auto 6em;max-width:36em}
dl.cover dt{font-weight:bold}dl.cover dd{margin:0}
figure{margin:1.5em 0;text-align:center}figure img{max-width:100%}
figcaption,caption{font-family:'Noto Sans CJK SC','SimHei',sans-serif;font-size:95%;padding:.3em}
table{border-collapse:collapse;margin:1em auto;font-size:85%}td,th{border:1px solid #888;padding:2px 6px;vertical-align:top}
td.n{text-align:right;white-space:nowrap}thead{display:table-header-group}p.note{font-size:85%}
@page{size:A4;margin:2.54cm 2.6cm 2.54cm 2.8cm}
@media print{.cover-page{page-break-after:always}tr{page-break-inside:avoid}}
"""


def _figure(figure: Figure, number: int) -> str:
    data = base64.b64encode(figure.png.read_bytes()).decode()
    title = html.escape(figure.title + (f"（{figure.note}）" if figure.note else ""))
    return (f"<figure><img alt='{title}' src='data:image/png;base64,{data}'>"
            f"<figcaption>图 {number}  {title}</figcaption></figure>")


def _table(table: Table, number: int) -> str:
    numeric = set(table.numeric)
    head = "".join(f"<th>{html.escape(c)}</th>" for c in table.frame.columns)
    classes = [" class='n'" if c in numeric else "" for c in table.frame.columns]
    rows = "".join("<tr>" + "".join(f"<td{k}>{html.escape(v)}</td>" for k, v in zip(classes, row)) + "</tr>"
                   for row in table.frame.iter_rows())
    note = f"<p class='note'>注：{html.escape(table.note)}</p>" if table.note else ""
    return (f"<table><caption>表 {number}  {html.escape(table.title)}</caption>"
            f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>{note}")


def write_html(path: Path, content: Content) -> Path:
    cover = "".join(f"<dt>{html.escape(k)}</dt><dd>{html.escape(v)}</dd>" for k, v in content.cover)
    parts = [f"<section class='cover-page'><h1 class='title'>{html.escape(content.title)}</h1>"
             f"<dl class='cover'>{cover}</dl></section>"]
    figures = tables = 0
    for block in content.blocks:
        if isinstance(block, Heading):
            parts.append(f"<h{block.level + 1}>{html.escape(block.text)}</h{block.level + 1}>")
        elif isinstance(block, Paragraph):
            parts.append(f"<p>{html.escape(block.text)}</p>")
        elif isinstance(block, Figure):
            figures += 1
            parts.append(_figure(block, figures))
        elif isinstance(block, Table):
            tables += 1
            parts.append(_table(block, tables))
    path.write_text(f"<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'>"
                    f"<meta name='author' content='jixiao'><title>{html.escape(content.title)}</title>"
                    f"<style>{STYLE}</style></head><body>{''.join(parts)}</body></html>", encoding="utf-8")
    return path
