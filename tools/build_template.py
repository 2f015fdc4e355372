"""Rebuild ``workbook_template.xlsm`` at the repository root from the sources in the repository.

    python tools/build_template.py            # writes ./workbook_template.xlsm
    python tools/build_template.py out.xlsm   # elsewhere
    python tools/build_template.py --lang en out_en.xlsm

The layout lives in :mod:`audit_engine.io.template`, the VBA in ``addin/vba/*.bas``; the build is
deterministic, so rebuilding an unchanged tree gives the committed file byte for byte.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from audit_engine.io.template import build_template  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", nargs="?", default=str(ROOT / "workbook_template.xlsm"))
    parser.add_argument("--lang", choices=("fr", "en"), default="fr")
    args = parser.parse_args(argv)
    path = build_template(args.output, lang=args.lang)
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
