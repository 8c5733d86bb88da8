"""The `jixiao` command line."""
from __future__ import annotations

import signal
import sys
from datetime import datetime
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.text import Text

from warehouse.display import visible
from warehouse.paths import SAMPLES_DIR, published_warehouse

app = typer.Typer(help="jixiao: a warehouse of budget performance-target forms (预算绩效目标表).",
                  no_args_is_help=True, add_completion=False)
console = Console(emoji=False, highlight=False)

SOURCE_HELP = ("Document files or folders (default: the bundled samples). Repeatable. The warehouse "
               "will hold exactly the documents under them.")
WAREHOUSE_HELP = "The published warehouse file (default $JIXIAO_WAREHOUSE or warehouse/jixiao.duckdb)."
STAGE = {"ingest": "读取文档", "dbt": "dbt 构建", "validate": "校验", "publish": "发布"}


def _console(stderr: bool = False) -> Console:
    """80 columns at most (a summary that fits a terminal and a mail), no markup in data, no
    :emoji: codes, no highlighting of numbers in document text."""
    width = min(80, Console(stderr=stderr).width) if _tty(stderr) else 80
    return Console(width=width, stderr=stderr, emoji=False, highlight=False)


def _tty(stderr: bool) -> bool:
    return (sys.stderr if stderr else sys.stdout).isatty()


class _Progress:
    """Progress of a build on stderr: a bar with counts and time left for the documents and
    the dbt nodes on a terminal; one line per stage in a log (cron, CI)."""

    def __init__(self):
        self.err = _console(stderr=True)
        self.live = _tty(stderr=True)
        self.stage = None
        self.bar = None
        self.task = None

    def __enter__(self):
        if self.live:
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                                       TimeElapsedColumn, TimeRemainingColumn)

            self.bar = Progress(TextColumn("{task.description}"), BarColumn(bar_width=20),
                                MofNCompleteColumn(), TimeElapsedColumn(), TextColumn("剩余"),
                                TimeRemainingColumn(), console=self.err, transient=True)
            self.bar.__enter__()
        return self

    def __call__(self, stage: str, done: int, total: int, item: str) -> None:
        if stage != self.stage:
            self.stage = stage
            if self.bar is not None:
                if self.task is not None:
                    self.bar.remove_task(self.task)
                self.task = self.bar.add_task(STAGE.get(stage, stage), total=total or None)
            else:
                self.err.print(Text(f"{datetime.now():%H:%M:%S} {STAGE.get(stage, stage)}"))
        if self.bar is not None and self.task is not None:
            self.bar.update(self.task, completed=done, total=total or None)

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.__exit__(*exc)


def _interrupt(signum, frame) -> None:
    from warehouse.build import publish

    publish.stopped_by = signum      # DuckDB may turn the interrupt into "Query interrupted"
    raise KeyboardInterrupt(f"signal {signum}")


def _fail(console: Console, headline: str, detail: str, target: Path | None) -> None:
    console.print(Text.assemble((headline, "bold red"), visible(detail, keep_newlines=True)))
    if target is not None:
        console.print(Text(f"已发布的仓库未改动：{visible(target)}"))
    raise typer.Exit(1)


@app.command()
def build(source: Optional[list[Path]] = typer.Option(None, "--source", "-s", help=SOURCE_HELP),
          warehouse: Optional[Path] = typer.Option(None, "--warehouse", "-w", help=WAREHOUSE_HELP),
          reports: Optional[Path] = typer.Option(None, help="Where Data Docs go (default $JIXIAO_REPORTS or reports/)."),
          wait: bool = typer.Option(False, "--wait", help="If another build holds the warehouse, wait for it "
                                                          "instead of exiting 1 at once."),
          details: bool = typer.Option(False, "--details", help="Also list every document with its status.")) -> None:
    """Ingest the documents, build the warehouse with dbt, validate it, and publish it.

    The warehouse then holds exactly the documents under the sources (see README).

    Exit codes:

    0: every document loaded (or counted as a duplicate) and published.

    2: published, but some documents were skipped or unreadable (listed first).

    1: nothing published, the previous warehouse untouched (missing source, busy, dbt or check failed).
    """
    from ingest.sources import SourceMissing
    from warehouse.build import build as run_build
    from warehouse.build.dbt import DbtFailed
    from warehouse.build.lock import LockBusy, describe_holder
    from warehouse.build.validate import ValidationFailed
    from warehouse.summary import build_summary

    console = _console()
    target = published_warehouse(warehouse)
    # systemd stops a service with SIGTERM: end like Ctrl-C (logged, leftovers removed)
    signal.signal(signal.SIGTERM, _interrupt)

    def waiting(holder: dict) -> None:
        _console(stderr=True).print(Text(f"等待另一个构建结束：{visible(describe_holder(holder))}"))

    try:
        with _Progress() as progress:
            summary = run_build(source or [SAMPLES_DIR], target, reports_dir=reports,
                                progress=progress, wait=wait, on_wait=waiting)
    except SourceMissing as exc:
        _fail(console, "来源不存在，未构建：", str(exc), target)
    except LockBusy as exc:
        _fail(console, "另一个构建正在使用这个仓库：", describe_holder(exc.holder)
              + f"（锁文件 {exc.lock_file}）。可加 --wait 等它结束。", target)
    except DbtFailed as exc:
        _fail(console, "构建失败（dbt）：", str(exc), target)
    except ValidationFailed as exc:
        _fail(console, "构建失败（校验，仓库不完整）：", str(exc), target)
    except KeyboardInterrupt:
        _fail(console, "构建已中断。", "", target)
    except Exception as exc:   # a bug or the machine (disk full …): say it, keep the warehouse
        from warehouse.build import publish

        if publish.stopped_by:
            _fail(console, "构建已中断。", "", target)
        _fail(console, "构建失败：", f"{type(exc).__name__}: {exc}", target)
    console.rule(Text(f"jixiao build → {visible(target)}"))
    for renderable in build_summary(summary, details=details):
        console.print(renderable)
    if summary.exit_code:
        raise typer.Exit(summary.exit_code)


YEAR_HELP = "Budget year to cover (repeatable; default every year)."
COUNTY_HELP = "County to cover, as printed in dim_region.county (repeatable; default every county)."


@app.command()
def report(out: Optional[Path] = typer.Option(None, help="Output folder (default $JIXIAO_REPORTS or reports/)."),
           warehouse: Optional[Path] = typer.Option(None, "--warehouse", "-w", help=WAREHOUSE_HELP),
           year: Optional[list[int]] = typer.Option(None, "--year", "-y", help=YEAR_HELP),
           county: Optional[list[str]] = typer.Option(None, "--county", "-c", help=COUNTY_HELP)) -> None:
    """Write the audit working paper (A4 Word and HTML), every chart (PNG at 300 ppi and SVG)
    and every finding (Excel)."""
    from warehouse.analysis.fonts import MissingCJKFont
    from warehouse.analysis.report import export
    from warehouse.paths import reports_dir

    try:
        made = export(reports_dir(out), warehouse, years=year, counties=county)
    except (MissingCJKFont, FileNotFoundError) as exc:
        console.print(Text.assemble(("report not exported", "red"), ": ", visible(exc)))
        raise typer.Exit(1)
    if not made.years:
        console.print(Text.assemble(("nothing in scope", "yellow"), visible(
            f": no forms for years {year or 'any'} and counties {county or 'any'}; the report is empty")))
    counts = made.finding_counts
    console.print(Text(visible(
        f"{len(made.images)} chart files in {made.out / 'charts'}; report {made.docx} and {made.html}; "
        f"findings {made.xlsx}\n"
        f"{len(made.counties)} counties, years {', '.join(map(str, made.years))}; findings: "
        f"{counts['error']} errors, {counts['warning']} warnings, {counts['info']} notes", keep_newlines=True)))


@app.command()
def notebooks(out: Optional[Path] = typer.Option(None, help="Output folder (default $JIXIAO_REPORTS/notebooks or reports/notebooks)."),
              warehouse: Optional[Path] = typer.Option(None, "--warehouse", "-w", help=WAREHOUSE_HELP),
              year: Optional[list[int]] = typer.Option(None, "--year", "-y", help=YEAR_HELP),
              county: Optional[list[str]] = typer.Option(None, "--county", "-c", help=COUNTY_HELP),
              notebook: Optional[list[str]] = typer.Option(None, "--notebook", "-n",
                                                           help="Notebook file name or prefix (01, 04_drilldown; default all).")) -> None:
    """Run the notebooks on a warehouse, years and counties (papermill parameters) and export
    each as one HTML page that works offline (charts and their JavaScript embedded)."""
    from warehouse.analysis.notebook_html import export_notebooks
    from warehouse.paths import reports_dir

    target = out or reports_dir() / "notebooks"
    try:
        pages = export_notebooks(target, published_warehouse(warehouse), year or [], county or [], notebook or [])
    except FileNotFoundError as exc:
        console.print(Text.assemble(("notebooks not exported", "red"), ": ", visible(exc)))
        raise typer.Exit(1)
    for page in pages:
        console.print(Text(visible(str(page))))


@app.command()
def docs(warehouse: Optional[Path] = typer.Option(None, "--warehouse", "-w", help=WAREHOUSE_HELP),
         out: Optional[Path] = typer.Option(None, help="Where to write the docs (default $JIXIAO_REPORTS/dbt_docs or reports/dbt_docs).")) -> None:
    """Generate the dbt documentation of the warehouse (one self-contained HTML page)."""
    from warehouse.build import generate_docs
    from warehouse.paths import reports_dir

    # absolute, since dbt runs inside dbt_project/ and would put a relative path there
    target = (out or reports_dir() / "dbt_docs").resolve()
    try:
        page = generate_docs(published_warehouse(warehouse), target)
    except FileNotFoundError as exc:
        console.print(Text.assemble(("docs not generated", "red"), ": ", visible(exc)))
        raise typer.Exit(1)
    console.print(Text(visible(f"dbt docs: {page}")))


@app.command()
def ingest(source: Optional[list[Path]] = typer.Option(None, "--source", "-s", help=SOURCE_HELP),
           show_issues: bool = typer.Option(True, help="List each parse issue."),
           details: bool = typer.Option(False, "--details", help="Also list every document with its status."),
           forms: bool = typer.Option(False, "--forms", help="Per document the template recognised, per form "
                                                             "the header fields found.")) -> None:
    """Read the documents and report what a build would take in, without touching any
    warehouse. Exit codes as for build: 0 all readable, 2 some skipped or unreadable, 1 a
    source is missing."""
    from ingest.sources import SourceMissing
    from warehouse.build import survey
    from warehouse.summary import count_line, documents_table, problem_lines

    console = _console()
    try:
        files, issues = survey(source or [SAMPLES_DIR])
    except SourceMissing as exc:
        _fail(console, "来源不存在：", str(exc), None)
    if forms:
        _print_forms(console, source or [SAMPLES_DIR])
    if show_issues:
        for name, where, severity, code, reason in issues:
            console.print(Text(visible(f"{name}:{where}: {severity} {code}: {reason}")))
    if details:
        console.print(documents_table(files, "jixiao ingest（试读，不写入仓库）"))
    for line in problem_lines(files):
        console.print(line)
    console.print(count_line(files))
    if any(f.is_problem for f in files):
        raise typer.Exit(2)


def _print_forms(console: Console, sources: list[Path]) -> None:
    """What the form reader recognised: the template of each document, and for each form its
    template and the header fields it found (and the key ones it did not)."""
    from ingest.pipeline import find_documents, parse_file

    for path in find_documents(sources):
        doc = parse_file(path)
        console.print(Text(visible(f"{path}: {doc.format or '?'}, template {doc.layout}, rendering {doc.rendering}, "
                                   f"area {doc.county or doc.city or '?'} ({doc.region_basis})")))
        for form in doc.forms:
            key = ("department_name" if form.form_kind == "department" else "project_name", "budget_total")
            missing = [f for f in key if f not in form.fields_found]
            console.print(Text(visible(
                f"  {form.where}: {form.form_kind} [{form.template}] "
                f"{form.project_name or form.department_name or form.title}: "
                f"{len(form.indicators)} indicators; fields {' '.join(form.fields_found)}"
                + (f"; missing {' '.join(missing)}" if missing else ""))))


@app.command("parse-value")
def parse_value(text: str, budget_year: Optional[int] = typer.Option(None, help="For dates without a year."),
                unit: Optional[str] = typer.Option(None, help="The form's 度量单位 column.")) -> None:
    """Show how one target value is read, e.g. jixiao parse-value '≥7万亩'."""
    from ingest.values import parse_value as parse

    console.print(parse(text, unit_hint=unit, budget_year=budget_year))


if __name__ == "__main__":
    app()
