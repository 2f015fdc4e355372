"""Run a Python script against a private, headless LibreOffice through UNO; print its result as JSON.

Started by ``tests/lo_helpers.run_uno_script`` with Debian's ``/usr/bin/python3`` (the only Python
where ``import uno`` works), never imported by pytest:

    /usr/bin/python3 tests/lo/uno_driver.py SCRIPT.py PROFILE_DIR [ARG ...]

It starts ``soffice --headless`` with its own user profile (``-env:UserInstallation``) and its own
pipe, connects, calls ``main(desktop, *args)`` of SCRIPT.py, prints ``{"result": ...}`` (or
``{"error": traceback}``) on the last line of stdout, then terminates that soffice and only that one.
"""

from __future__ import annotations

import json
import os
import runpy
import shutil
import signal
import subprocess
import sys
import time
import traceback
import uuid
from pathlib import Path

import uno  # noqa: F401  (Debian python3-uno)
from com.sun.star.connection import NoConnectException


def _soffice() -> str:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise SystemExit("soffice not found: install libreoffice-calc-nogui")


def _connect(pipe: str, proc: subprocess.Popen, deadline: float):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    while True:
        try:
            ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            return ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        except NoConnectException:
            if proc.poll() is not None:
                raise RuntimeError(f"soffice exited early with code {proc.returncode}") from None
            if time.monotonic() > deadline:
                raise TimeoutError("soffice did not accept a UNO connection in time") from None
            time.sleep(0.25)


def main(argv: list[str]) -> int:
    script, profile, *args = argv
    pipe = f"lo_{uuid.uuid4().hex}"
    cmd = [_soffice(), "--headless", "--invisible", "--nologo", "--norestore", "--nodefault",
           "--nolockcheck", f"-env:UserInstallation={Path(profile).resolve().as_uri()}",
           f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"]
    # own process group: on a hang, the group (oosplash + soffice.bin, ours only) is killed
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    payload: dict[str, object]
    try:
        desktop = _connect(pipe, proc, time.monotonic() + float(os.environ.get("LO_START_TIMEOUT", "90")))
        result = runpy.run_path(script)["main"](desktop, *args)
        payload = {"result": result}
        try:
            desktop.terminate()
        except Exception:  # noqa: BLE001 - the bridge drops when soffice exits
            pass
    except Exception:  # noqa: BLE001 - reported to the caller as JSON
        payload = {"error": traceback.format_exc()}
    finally:
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
    print(json.dumps(payload, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
