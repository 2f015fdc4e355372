"""``poste-clients``: the command line, a thin click wrapper over :mod:`audit_engine.api`.

Errors the user can fix are printed as one clear sentence (French by default, ``--lang en``) with
exit code 2, never a traceback.

    poste-clients audit factures.csv --as-of 2026-11-30 --json resultat.json
    poste-clients demo
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..errors import AuditError
from ..i18n import normalize_lang, t

PROGRESS_MIN_BYTES = 3_000_000  # ~50,000 rows of a CSV/xlsx export


def _fail(exc: AuditError, lang: str) -> None:
    click.echo(t("cli.error", lang, message=exc.message(lang)), err=True)
    sys.exit(exc.exit_code)


def _unexpected(exc: Exception, lang: str, debug: bool) -> None:
    if debug:
        raise exc
    click.echo(t("cli.unexpected", lang, error=f"{type(exc).__name__}: {exc}"), err=True)
    sys.exit(1)


def write_json(data: dict, target: str) -> Path | None:
    # compact JSON goes through the C encoder; indented JSON (nicer to read) only when it stays small,
    # since Python's indenting encoder is pure Python (3 s for a 1M-invoice audit)
    text = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    if len(text) < 2_000_000:
        text = json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False)
    if target == "-":
        click.echo(text)
        return None
    path = Path(target)
    from ..io.files import atomic_write_text

    atomic_write_text(path, text + "\n")
    return path


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="audit-poste-clients", prog_name="poste-clients")
def main() -> None:
    """Audit du poste clients : encours, retards, DSO, plan d'action.

    Accounts-receivable audit for French SMEs: outstanding, aging, DSO, action plan.
    """


@main.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
@click.option("--as-of", "as_of", metavar="AAAA-MM-JJ", help="Date d'arrêté / as-of date (YYYY-MM-DD).")
@click.option("--json", "json_target", metavar="FICHIER|-", help="Écrit le résultat JSON (- = sortie standard).")
@click.option("--lang", type=click.Choice(["fr", "en"]), default=None,
              help="Langue des messages et des résultats (défaut : Paramètres, sinon fr).")
@click.option("--period-months", type=int, default=None, help="Durée de la période d'analyse en mois (12).")
@click.option("--section", "section", type=click.IntRange(1, 5), default=None,
              help="Ne rafraîchit que la feuille de cette étape (1 à 5) dans le classeur.")
@click.option("--output", "-o", "output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Écrit le classeur avec ses résultats dans ce fichier au lieu de modifier INPUT.")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Écrit les feuilles de résultats seules dans un nouveau classeur .xlsx.")
@click.option("--no-write", is_flag=True, help="N'écrit pas les résultats dans le classeur INPUT.")
@click.option("--quiet", is_flag=True, help="N'affiche pas la synthèse.")
@click.option("--debug", is_flag=True, hidden=True)
def audit(input_path: Path, as_of: str | None, json_target: str | None, lang: str | None,
          period_months: int | None, section: int | None, output: Path | None, report_path: Path | None,
          no_write: bool, quiet: bool, debug: bool) -> None:
    """Audite INPUT : classeur .xlsx/.xlsm, export CSV, dossier de CSV ou FEC.

    Pour un classeur .xlsx/.xlsm, les feuilles de résultats (Synthèse, 1 à 5, Qualité des données)
    sont écrites dans le classeur lui-même (ou dans une copie avec --output) ; vos feuilles ne sont
    jamais modifiées.

    \b
    Exemples :
      poste-clients audit factures.csv --as-of 2026-11-30
      poste-clients audit classeur.xlsm                    (résultats dans le classeur)
      poste-clients audit classeur.xlsm --section 2        (rafraîchit l'étape 2)
      poste-clients audit classeur.xlsm -o copie.xlsm --json resultat.json --lang en
      poste-clients audit 123456789FEC20251231.txt --report rapport.xlsx
    """
    from ..api import audit_path
    from ..render.terminal import progress_for, render_summary

    ui_lang = normalize_lang(lang)
    if as_of is not None:
        import datetime as dt

        try:
            dt.date.fromisoformat(as_of)
        except ValueError:
            click.echo(t("cli.error", ui_lang, message=t("cli.bad_as_of", ui_lang, value=as_of)), err=True)
            sys.exit(2)
    is_workbook = input_path.suffix.lower() in (".xlsx", ".xlsm")
    if output is not None and not is_workbook:
        click.echo(t("cli.error", ui_lang, message=t("cli.output_needs_workbook", ui_lang)), err=True)
        sys.exit(2)
    write_back = is_workbook and not no_write
    written: list[Path] = []
    try:
        size = input_path.stat().st_size if input_path.is_file() else 0
        with progress_for(size >= PROGRESS_MIN_BYTES and json_target != "-", ui_lang) as step:
            report = audit_path(input_path, progress=step, as_of=as_of, lang=lang, period_months=period_months)
            if write_back or report_path:
                from ..io.results import write_into_workbook, write_report_file

                if step:
                    step("write")
                if write_back:
                    write_into_workbook(input_path, report, output=output,
                                        sections={section} if section else None)
                    written.append(output or input_path)
                if report_path:
                    written.append(write_report_file(report, report_path))
        if json_target:
            target = write_json(report.to_dict(report.lang), json_target)
            if target is not None:
                written.append(target)
    except AuditError as exc:
        _fail(exc, ui_lang)
    except Exception as exc:  # noqa: BLE001 - the user gets one line, --debug shows the traceback
        _unexpected(exc, ui_lang, debug)
    if not quiet and json_target != "-":
        render_summary(report)
    if json_target != "-":
        for path in written:
            click.echo(t("cli.wrote", report.lang, path=str(path)), err=quiet)


@main.command()
@click.argument("workbook", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Écrit le classeur nettoyé dans ce fichier au lieu de modifier WORKBOOK.")
@click.option("--lang", type=click.Choice(["fr", "en"]), default=None)
def clear(workbook: Path, output: Path | None, lang: str | None) -> None:
    """Efface les feuilles de résultats écrites par l'audit ; vos feuilles restent intactes.

    \b
    Exemple :
      poste-clients clear classeur.xlsm
    """
    from ..io.results import clear_workbook

    ui_lang = normalize_lang(lang)
    try:
        result = clear_workbook(workbook, output=output)
    except AuditError as exc:
        _fail(exc, ui_lang)
    click.echo(t("cli.cleared", ui_lang, count=len(result.removed), path=str(output or workbook)))


@main.command()
@click.option("--output-dir", "-o", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              help="Dossier où écrire les fichiers de démonstration (défaut : dossier courant).")
@click.option("--lang", type=click.Choice(["fr", "en"]), default=None)
@click.option("--quiet", is_flag=True)
def demo(output_dir: Path, lang: str | None, quiet: bool) -> None:
    """Lance l'audit sur les données de démonstration et écrit les résultats.

    \b
    Écrit dans le dossier courant :
      demo_audit.xlsm   le modèle rempli des données de démonstration, avec les résultats
      demo_audit.json   le résultat au format JSON
      demo_donnees/     les exports CSV de démonstration
    Exemple :
      poste-clients demo
    """
    from ..api import audit_path
    from ..demo import DATA_DIR, demo_tables
    from ..io.results import write_into_workbook
    from ..io.template import build_template
    from ..render.terminal import render_summary

    ui_lang = normalize_lang(lang)
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
        data_dir = output_dir / "demo_donnees"
        data_dir.mkdir(exist_ok=True)
        written = []
        for src in sorted(DATA_DIR.glob("*.csv")):
            target = data_dir / src.name
            target.write_bytes(src.read_bytes())
            written.append(target)
        tables = demo_tables()
        settings = tables.pop("settings", None)
        workbook = output_dir / "demo_audit.xlsm"
        values = {"as_of": _demo_as_of(settings)}
        if lang:
            values["lang"] = lang
        build_template(workbook, tables=tables, settings=values, lang=ui_lang)
        report = audit_path(workbook, lang=lang)
        write_into_workbook(workbook, report)
        written.append(workbook)
        json_path = write_json(report.to_dict(report.lang), str(output_dir / "demo_audit.json"))
        written.append(json_path)
    except AuditError as exc:
        _fail(exc, ui_lang)
    if not quiet:
        render_summary(report)
    for path in written:
        click.echo(t("cli.wrote", report.lang, path=str(path)))


def _demo_as_of(settings: object):
    """The demo's as-of date, from its Paramètres table."""
    from ..settings import settings_from_pairs

    pairs = [] if settings is None else [tuple(r[:2]) for r in settings.itertuples(index=False)]  # type: ignore[attr-defined]
    return settings_from_pairs(pairs)[0].as_of


def _register_optional() -> None:
    try:
        from .fec_cmd import import_fec
    except ImportError:  # pragma: no cover - during development only
        return
    main.add_command(import_fec)


_register_optional()
