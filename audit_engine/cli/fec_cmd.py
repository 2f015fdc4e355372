"""``poste-clients import-fec``: a FEC -> a copy of the template filled with Factures, Règlements, Clients.

The accountant reviews and completes the workbook in Excel (client terms in Clients, disputes,
reminders), then runs the audit from its buttons or with ``poste-clients audit``. The as-of date
found in the FEC goes to Paramètres.

    poste-clients import-fec 123456789FEC20251231.txt
    poste-clients import-fec 123456789FEC20251231.txt -o poste_clients_2025.xlsm --force --lang en

The click command object is :data:`import_fec` (registered in the ``poste-clients`` group).
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path

import click

from ..errors import AuditError, FileNotFoundInputError, NotWritableError
from ..fec import Money
from ..i18n import t


def _fail(message: str, lang: str, code: int = 2) -> None:
    click.echo(t("cli.error", lang, message=message), err=True)
    sys.exit(code)


def default_output(fec_path: Path) -> Path:
    """``<FEC name without extension>.xlsm`` in the current folder."""
    return Path.cwd() / (fec_path.stem + ".xlsm")


def write_workbook(fec_path: Path, out: Path, lang: str = "fr", unlettered: str = "auto") -> dict[str, object]:
    """Read the FEC, fill the template at ``out`` (written whole or not at all); returns the FEC's meta
    plus the row counts ("invoices", "payments", "clients")."""
    from ..io.fec import read_fec
    from ..io.files import check_writable
    from ..io.template import build_template

    raw = read_fec(fec_path, unlettered=unlettered)
    tables = {key: rt.frame for key, rt in raw.tables.items()}
    settings = {"as_of": raw.meta["as_of"]} if raw.meta.get("as_of") else {}
    check_writable(out)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out.stem}.", suffix=".xlsm", dir=str(out.parent))
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        build_template(tmp, tables, settings, lang=lang)
        umask = os.umask(0)
        os.umask(umask)
        try:
            os.chmod(tmp, 0o666 & ~umask)  # mkstemp made it private; the workbook is an ordinary file
            os.replace(tmp, out)
        except OSError as exc:
            raise NotWritableError(file=str(out), detail=exc.strerror or str(exc)) from exc
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    return {**raw.meta, **{k: len(v) for k, v in tables.items()}}


@click.command("import-fec")
@click.argument("fec_path", metavar="FICHIER_FEC", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Classeur à écrire (.xlsm). Défaut : <nom du FEC>.xlsm dans le dossier courant.")
@click.option("--lang", type=click.Choice(["fr", "en"]), default="fr", show_default=True,
              help="Langue des messages et du classeur.")
@click.option("--force", is_flag=True, help="Remplace le classeur s'il existe déjà.")
@click.option("--unlettered", type=click.Choice(["auto", "unapplied", "fifo"]), default="auto", show_default=True,
              help="Règlements non lettrés : auto = crédit non affecté, sauf fichier sans lettrage ou compte "
                   "soldé (imputés sur les factures les plus anciennes).")
@click.option("--debug", is_flag=True, hidden=True)
def import_fec(fec_path: Path, output: Path | None, lang: str, force: bool, unlettered: str, debug: bool) -> None:
    """Remplit une copie du modèle avec les factures, règlements et clients reconstruits d'un FEC.

    Fills a copy of the template with the invoices, payments and clients rebuilt from a FEC
    (customer accounts 411*, lettrage), to review and complete in Excel.

    \b
    Exemples :
      poste-clients import-fec 123456789FEC20251231.txt
      poste-clients import-fec 123456789FEC20251231.txt -o poste_clients.xlsm --force
    """
    from ..io.fec import looks_like_fec

    out = output if output is not None else default_output(fec_path)
    try:
        if not fec_path.is_file():
            raise FileNotFoundInputError(file=str(fec_path))
        if not looks_like_fec(fec_path):
            _fail(t("fec.cli.not_fec", lang, path=str(fec_path)), lang)
        if out.suffix.lower() != ".xlsm":
            out = out.with_suffix(".xlsm")
        if out.exists() and not force:
            _fail(t("fec.cli.exists", lang, path=str(out)), lang)
        info = write_workbook(fec_path, out, lang=lang, unlettered=unlettered)
    except AuditError as exc:
        _fail(exc.message(lang), lang)
    except Exception as exc:  # noqa: BLE001 - one line for the user, --debug for the traceback
        if debug:
            raise
        click.echo(t("cli.unexpected", lang, error=f"{type(exc).__name__}: {exc}"), err=True)
        sys.exit(1)
    click.echo(t("fec.cli.written", lang, path=str(out), invoices=info["invoices"], payments=info["payments"],
                 clients=info["clients"], as_of=info["as_of"]))
    figures = info.get("reconciliation") or {}
    if figures:
        click.echo(t("fec.cli.reconciliation", lang, **{k: Money(v) for k, v in figures.items()}))
    findings = info.get("findings") or []
    click.echo(t("fec.cli.findings", lang, errors=sum(f.severity == "error" for f in findings),
                 warnings=sum(f.severity == "warning" for f in findings)))
