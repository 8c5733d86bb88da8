"""The `jixiao` command line."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn
from rich.table import Table

from warehouse.paths import SAMPLES_DIR, published_warehouse

app = typer.Typer(help="jixiao: a warehouse of budget performance-target forms (预算绩效目标表).",
                  no_args_is_help=True, add_completion=False)
# Wide enough for the summary table when the output is a file or a CI log.
console = Console(width=None if sys.stdout.isatty() else 160)

SOURCE_HELP = "Document files or folders (default: the bundled samples). Repeatable."
WAREHOUSE_HELP = "The published warehouse file (default $JIXIAO_WAREHOUSE or warehouse/jixiao.duckdb)."


def _summary_table(rows, title: str) -> Table:
    table = Table(title=title)
    for col in ("document", "format", "layout", "county", "year", "forms", "indicators",
                "errors", "warnings", "info", "status"):
        table.add_column(col, justify="right" if col in ("year", "forms", "indicators", "errors",
                                                          "warnings", "info") else "left")
    for d in rows:
        table.add_row(d.source_file, d.format or "?", d.layout, d.county or "?", str(d.budget_year or "?"),
                      str(d.forms), str(d.indicators), str(d.errors), str(d.warnings),
                      str(d.infos), d.status)
    return table


@app.command()
def build(source: Optional[list[Path]] = typer.Option(None, "--source", "-s", help=SOURCE_HELP),
          warehouse: Optional[Path] = typer.Option(None, "--warehouse", "-w", help=WAREHOUSE_HELP),
          reports: Optional[Path] = typer.Option(None, help="Where Data Docs go (default $JIXIAO_REPORTS or reports/).")) -> None:
    """Ingest documents, build the warehouse with dbt, validate it with Great Expectations, and
    publish it."""
    from rich.markup import escape

    from warehouse.build import build as run_build
    from warehouse.build.dbt import DbtFailed
    from warehouse.build.validate import ValidationFailed

    target = published_warehouse(warehouse)
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), console=console,
                  transient=True) as progress:
        task = progress.add_task("starting")
        try:
            summary = run_build(source or [SAMPLES_DIR], target, reports_dir=reports,
                                progress=lambda name: progress.update(task, description=name))
        except (DbtFailed, ValidationFailed) as exc:
            stage = "dbt" if isinstance(exc, DbtFailed) else "validation"
            console.print(f"[red]build failed in {stage}[/red]: {exc}\n"
                          f"The published warehouse {target} is unchanged.")
            raise typer.Exit(1)
    console.print(_summary_table(summary.documents, f"jixiao build → {target}"))
    failed = [d for d in summary.documents if d.status == "failed"]
    forms = sum(d.forms for d in summary.documents)
    indicators = sum(d.indicators for d in summary.documents)
    console.print(f"{len(summary.documents)} documents, {forms} forms, {indicators} indicator rows; "
                  f"{len(failed)} could not be read. Published {target}.")
    if failed:
        for d in failed:
            console.print("[yellow]not read[/yellow]: " + escape(f"{d.source_file}: {d.reason or 'see raw.parse_issues'}"))
    if not summary.documents:
        console.print("[yellow]no documents found[/yellow] in " + ", ".join(map(str, source or [SAMPLES_DIR])))
    if summary.validation is not None:
        suites = summary.validation.suites
        console.print(f"Great Expectations: {len(suites)} suites, "
                      f"{sum(s.n_expectations for s in suites)} expectations, all critical ones met; "
                      f"Data Docs {summary.validation.docs_index}")
    for warning in summary.warnings:
        console.print(f"[yellow]warning[/yellow]: {warning}")
    if failed or not summary.documents:
        raise typer.Exit(2)   # published, but not every document could be read


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
        console.print(f"[red]report not exported[/red]: {exc}")
        raise typer.Exit(1)
    if not made.years:
        console.print(f"[yellow]nothing in scope[/yellow]: no forms for years {year or 'any'} "
                      f"and counties {county or 'any'}; the report is empty")
    counts = made.finding_counts
    console.print(f"{len(made.images)} chart files in {made.out / 'charts'}; report {made.docx} and {made.html}; "
                  f"findings {made.xlsx}\n"
                  f"{len(made.counties)} counties, years {', '.join(map(str, made.years))}; findings: "
                  f"{counts['error']} errors, {counts['warning']} warnings, {counts['info']} notes")


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
        console.print(f"[red]notebooks not exported[/red]: {exc}")
        raise typer.Exit(1)
    for page in pages:
        console.print(f"{page}")


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
        console.print(f"[red]docs not generated[/red]: {exc}")
        raise typer.Exit(1)
    console.print(f"dbt docs: {page}")


@app.command()
def ingest(source: Optional[list[Path]] = typer.Option(None, "--source", "-s", help=SOURCE_HELP),
           show_issues: bool = typer.Option(True, help="List each parse issue."),
           forms: bool = typer.Option(True, help="Per document its template, per form the fields found.")) -> None:
    """Parse documents and report what was read, without touching the warehouse."""
    from ingest.pipeline import find_documents, parse_file
    from warehouse.build import summarise

    from rich.markup import escape

    rows = []
    for path in find_documents(source or [SAMPLES_DIR]):
        doc = parse_file(path)
        rows.append(summarise(doc, "parsed" if doc.forms else "failed"))
        if forms:
            console.print(escape(f"{doc.source_file}: {doc.format or '?'}, template {doc.layout}, rendering {doc.rendering}, "
                                 f"area {doc.county or doc.city or '?'} ({doc.region_basis})"))
            for form in doc.forms:
                missing = [f for f in ("project_name" if form.form_kind != "department" else "department_name",
                                       "budget_total") if f not in form.fields_found]
                console.print(escape(
                    f"  {form.where}: {form.form_kind} [{form.template}] "
                    f"{form.project_name or form.department_name or form.title} — "
                    f"{len(form.indicators)} indicators; fields: {' '.join(form.fields_found)}"
                    + (f"; missing: {' '.join(missing)}" if missing else "")))
        if show_issues:
            for issue in doc.issues:
                console.print(escape(f"{doc.source_file}:{issue.where}: {issue.severity} {issue.code}: {issue.reason}"))
    console.print(_summary_table(rows, "jixiao ingest (dry run)"))
    if any(r.status == "failed" for r in rows):
        raise typer.Exit(1)


@app.command("parse-value")
def parse_value(text: str, budget_year: Optional[int] = typer.Option(None, help="For dates without a year."),
                unit: Optional[str] = typer.Option(None, help="The form's 度量单位 column.")) -> None:
    """Show how one target value is read, e.g. jixiao parse-value '≥7万亩'."""
    from ingest.values import parse_value as parse

    console.print(parse(text, unit_hint=unit, budget_year=budget_year))


if __name__ == "__main__":
    app()
