"""LibreOffice for tests: convert a file headless, or run a UNO script against a private soffice.

Every call gets its own user profile (``-env:UserInstallation``) in a fresh temporary folder, so
tests can run in parallel and a stale profile or lock never hangs them; every call has a timeout.

    pdf = convert(Path("report.xlsx"), "pdf", tmp_path)
    result = run_uno_script(LO_DIR / "check_template.py", str(workbook), str(copy))

A UNO script is a Python file defining ``main(desktop, *args)`` that returns something JSON-able;
it runs under Debian's ``/usr/bin/python3`` (``python3-uno`` does not import in the venv) through
``tests/lo/uno_driver.py``. When LibreOffice is missing, :func:`require_soffice` skips locally and
fails in CI (``CI`` set), as ``.ci/run`` must install it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest

LO_DIR = Path(__file__).resolve().parent / "lo"
UNO_PYTHON = os.environ.get("UNO_PYTHON", "/usr/bin/python3")


class LibreOfficeError(RuntimeError):
    """soffice failed, timed out, or the UNO script raised."""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def uno_available() -> bool:
    if not Path(UNO_PYTHON).exists():
        return False
    done = subprocess.run([UNO_PYTHON, "-c", "import uno"], capture_output=True, timeout=60)
    return done.returncode == 0


def require_soffice(uno: bool = False) -> None:
    """Skip the calling test when LibreOffice (and, with ``uno``, python3-uno) is absent; fail in CI."""
    missing = "LibreOffice (soffice)" if soffice() is None else (
        "python3-uno for /usr/bin/python3" if uno and not uno_available() else None)
    if missing is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{missing} is required in CI: .ci/run must install libreoffice-calc-nogui and python3-uno")
    pytest.skip(f"{missing} not installed")


def _profile_arg(profile: Path) -> str:
    return f"-env:UserInstallation={profile.resolve().as_uri()}"


def convert(path: Path, fmt: str, outdir: Path, timeout: float = 180) -> Path:
    """Convert ``path`` with ``soffice --convert-to fmt`` into ``outdir``; return the new file."""
    exe = soffice()
    if exe is None:
        raise LibreOfficeError("soffice not found")
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo_profile_") as profile:
        cmd = [exe, _profile_arg(Path(profile)), "--headless", "--norestore", "--nolockcheck",
               "--convert-to", fmt, "--outdir", str(outdir), str(path)]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            raise LibreOfficeError(f"soffice --convert-to {fmt} timed out after {timeout}s") from exc
    out = outdir / f"{path.stem}.{fmt.split(':')[0]}"
    if done.returncode != 0 or not out.exists():
        raise LibreOfficeError(f"soffice --convert-to {fmt} failed ({done.returncode}): {done.stderr or done.stdout}")
    return out


def run_uno_script(script: Path | str, *args: str, timeout: float = 300) -> Any:
    """Run ``main(desktop, *args)`` of ``script`` against a private headless soffice; return its result."""
    with tempfile.TemporaryDirectory(prefix="lo_profile_") as profile:
        cmd = [UNO_PYTHON, str(LO_DIR / "uno_driver.py"), str(script), profile, *args]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            raise LibreOfficeError(f"UNO script {script} timed out after {timeout}s") from exc
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        raise LibreOfficeError(f"UNO driver failed ({done.returncode}): {done.stderr}\n{done.stdout}")
    payload = json.loads(lines[-1])
    if "error" in payload:
        raise LibreOfficeError(f"UNO script {script} raised:\n{payload['error']}")
    return payload["result"]
