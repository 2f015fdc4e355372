"""Benchmark: the full audit of a 1,000,000-row ``Factures`` workbook, results written into a copy.

Generates (once, cached in ``benchmarks/out/``) an .xlsx whose ``Factures`` sheet holds 1,000,000
invoices x 10 columns (real dates, numbers, text; written with XlsxWriter in constant-memory mode), then
measures, side by side in one run, the whole-process wall time and peak memory (max RSS) of

1. the fastest bare read of that sheet: ``fastexcel`` into Arrow, and
2. ``poste-clients audit FILE --output COPY --quiet`` (read, checks, five sections, result sheets
   rendered and grafted into the copy).

Usage: ``python benchmarks/bench_workbook_audit.py [--rows 1000000] [--repeat 2]``. Reports figures,
asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_csv_audit import OUT, measure  # noqa: E402


def generate(path: Path, rows: int, seed: int = 11) -> None:
    import xlsxwriter

    rng = np.random.default_rng(seed)
    start = np.datetime64("2024-12-01")
    invoice = start + np.sort(rng.integers(0, 730, rows)).astype("timedelta64[D]")
    delivery = invoice - rng.integers(0, 6, rows).astype("timedelta64[D]")
    due = invoice + rng.choice([30, 45, 60], rows).astype("timedelta64[D]")
    settle = due + (rng.gamma(1.5, 8.0, rows).astype(int) - 5).astype("timedelta64[D]")
    paid = settle <= np.datetime64("2026-11-30")
    amount = np.round(rng.lognormal(7.0, 1.0, rows), 2)
    clients = rng.integers(1, 2001, rows)
    to_dt = lambda a: pd.to_datetime(a).to_pydatetime()  # noqa: E731
    inv_d, del_d, due_d, set_d = to_dt(invoice), to_dt(delivery), to_dt(due), to_dt(settle)
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("Factures")
    date_fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    headers = ["N° facture", "Code client", "Client", "Date facture", "Date livraison", "Date échéance",
               "Montant TTC", "Montant réglé", "Date règlement", "Litige"]
    ws.write_row(0, 0, headers)
    for i in range(rows):
        r = i + 1
        ws.write_string(r, 0, f"FA{i + 1:07d}")
        ws.write_string(r, 1, f"C{clients[i]:04d}")
        ws.write_string(r, 2, f"Client {clients[i]}")
        ws.write_datetime(r, 3, inv_d[i], date_fmt)
        ws.write_datetime(r, 4, del_d[i], date_fmt)
        ws.write_datetime(r, 5, due_d[i], date_fmt)
        ws.write_number(r, 6, amount[i])
        if paid[i]:
            ws.write_number(r, 7, amount[i])
            ws.write_datetime(r, 8, set_d[i], date_fmt)
        ws.write_string(r, 9, "Non")
    wb.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    path = OUT / f"factures_{args.rows}.xlsx"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        t = time.perf_counter()
        generate(path, args.rows)
        print(f"generated {path} ({path.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - t:.0f} s")
    copy = OUT / "audit_copy.xlsx"
    exe = Path(sys.executable).parent / "poste-clients"
    bare = [sys.executable, "-c",
            f"import fastexcel; fastexcel.read_excel({str(path)!r}).load_sheet_by_name('Factures').to_arrow()"]
    full = [str(exe), "audit", str(path), "--output", str(copy), "--quiet"]
    results: dict[str, list[tuple[float, float, int]]] = {"bare read (fastexcel)": [], "full audit": []}
    for _ in range(args.repeat):
        results["bare read (fastexcel)"].append(measure(bare))
        results["full audit"].append(measure(full))
    print(f"\n{'command':<24} {'best time (s)':>14} {'peak RSS (GB)':>14} {'exit':>5}")
    best = {}
    for name, runs in results.items():
        best[name] = min(r[0] for r in runs)
        print(f"{name:<24} {best[name]:>14.2f} {max(r[1] for r in runs):>14.2f} {max(r[2] for r in runs):>5}")
    print(f"ratio full / bare: {best['full audit'] / best['bare read (fastexcel)']:.2f}")


if __name__ == "__main__":
    main()
