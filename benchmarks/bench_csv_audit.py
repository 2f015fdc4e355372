"""Benchmark: the full audit of a 1,000,000-invoice French CSV export against a bare pandas read.

Generates (once, cached in ``benchmarks/out/``) a French CSV export: ``;`` separator, decimal comma,
``JJ/MM/AAAA`` dates, four date columns, 2,000 clients over 24 months. Then measures, side by side in
one run, the whole-process wall time and peak memory (max RSS) of

1. ``python -c "import pandas; pandas.read_csv(FILE, sep=';')"`` (the bare read), and
2. ``poste-clients audit FILE --json OUT --quiet`` (read, checks, five sections, JSON),

plus the compute time of the five sections alone (in-process, after ingestion).

Usage: ``python benchmarks/bench_csv_audit.py [--rows 1000000] [--repeat 3]``.
This is a benchmark, not a test: it reports figures and asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

OUT = Path(__file__).resolve().parent / "out"

MEASURE = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode\n"
    "dt = time.perf_counter() - t\n"
    "print(dt, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, rc)\n"
)


def generate(path: Path, rows: int, seed: int = 7) -> None:
    rng = np.random.default_rng(seed)
    start = np.datetime64("2024-12-01")
    inv_day = np.sort(rng.integers(0, 730, rows))
    invoice_date = start + inv_day.astype("timedelta64[D]")
    delivery = invoice_date - rng.integers(0, 6, rows).astype("timedelta64[D]")
    terms = rng.choice([30, 45, 60], rows)
    due = invoice_date + terms.astype("timedelta64[D]")
    late = rng.gamma(1.5, 8.0, rows).astype(int) - 5
    settle = due + late.astype("timedelta64[D]")
    as_of = np.datetime64("2026-11-30")
    paid_mask = settle <= as_of
    amount = np.round(rng.lognormal(7.0, 1.0, rows), 2)
    amount[rng.random(rows) < 0.03] *= -1
    clients = rng.integers(1, 2001, rows)

    def fr_dates(values: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
        codes, uniques = pd.factorize(values)
        text = pd.DatetimeIndex(uniques).strftime("%d/%m/%Y").to_numpy(dtype=object)
        out = text[codes]
        if mask is not None:
            out = np.where(mask, out, "")
        return out

    def fr_amounts(values: np.ndarray) -> np.ndarray:
        return np.char.replace(np.char.mod("%.2f", values), ".", ",")

    frame = pd.DataFrame({
        "N° facture": np.char.add("FA", np.char.zfill(np.arange(1, rows + 1).astype(str), 7)),
        "Code client": np.char.add("C", np.char.zfill(clients.astype(str), 4)),
        "Client": np.char.add("Client ", clients.astype(str)),
        "Date facture": fr_dates(invoice_date),
        "Date livraison": fr_dates(delivery),
        "Date échéance": fr_dates(due),
        "Montant TTC": fr_amounts(amount),
        "Montant réglé": np.where(paid_mask, fr_amounts(amount), ""),
        "Date règlement": fr_dates(settle, paid_mask),
        "Litige": np.where(rng.random(rows) < 0.02, "Oui", "Non"),
    })
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, sep=";", index=False, encoding="utf-8")


def measure(cmd: list[str]) -> tuple[float, float, int]:
    out = subprocess.run([sys.executable, "-c", MEASURE, *cmd], capture_output=True, text=True, check=True)
    seconds, rss_kb, rc = out.stdout.split()
    return float(seconds), int(rss_kb) / 1024 / 1024, int(rc)


def sections_compute_time(path: Path) -> tuple[float, float]:
    from audit_engine.audit import run_audit
    from audit_engine.ingest import ingest
    from audit_engine.io import read_input

    t0 = time.perf_counter()
    ledger, settings, findings = ingest(read_input(path))
    t1 = time.perf_counter()
    run_audit(ledger, settings, findings)
    return t1 - t0, time.perf_counter() - t1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    path = OUT / f"factures_{args.rows}.csv"
    if not path.exists():
        t = time.perf_counter()
        generate(path, args.rows)
        print(f"generated {path} ({path.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - t:.1f} s")
    exe = Path(sys.executable).parent / "poste-clients"
    bare = [sys.executable, "-c", f"import pandas; pandas.read_csv({str(path)!r}, sep=';')"]
    full = [str(exe), "audit", str(path), "--json", str(OUT / "audit.json"), "--quiet"]
    results: dict[str, list[tuple[float, float, int]]] = {"bare read": [], "full audit": []}
    for _ in range(args.repeat):
        results["bare read"].append(measure(bare))
        results["full audit"].append(measure(full))
    print(f"\n{'command':<12} {'best time (s)':>14} {'median (s)':>11} {'peak RSS (GB)':>14}")
    best = {}
    for name, runs in results.items():
        times = sorted(r[0] for r in runs)
        best[name] = times[0]
        assert all(r[2] == 0 for r in runs), f"{name} failed"
        print(f"{name:<12} {times[0]:>14.2f} {times[len(times) // 2]:>11.2f} {max(r[1] for r in runs):>14.2f}")
    print(f"ratio full / bare: {best['full audit'] / best['bare read']:.2f}")
    ingest_s, sections_s = sections_compute_time(path)
    print(f"in-process: read + checks {ingest_s:.2f} s, five sections {sections_s:.2f} s")
    summary = json.loads((OUT / "audit.json").read_text())
    print(f"outstanding {summary['receivables']['outstanding']:,.2f}, DSO {summary['delays']['dso_simple']}")


if __name__ == "__main__":
    main()
