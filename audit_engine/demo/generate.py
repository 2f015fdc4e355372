"""The demo dataset: two years of receivables of a fictitious French wholesaler, generated from a seed.

The story
---------
*Comptoir Démo du Val de Loire SAS* sells building supplies to about forty trade customers (builders,
plumbers, electricians, joiners) and to two private individuals. The books are closed ("arrêtés") on
30/11/2026 and the export covers the invoices of the 24 months 2024-12-01 .. 2026-11-30.

* **One big account**: *Batimax Distribution SAS* (C001) weighs about a third of the revenue, pays
  10-25 days late, is over its credit limit, and nobody dares remind it.
* **Chronic late payers** (C004, C009, C015, C022) pay 30-90 days late and are still invoiced while
  their older invoices are long overdue. **Early payers** (C003, C013, C019, C031, C036) pay before
  the due date.
* **Drift**: three customers (C007, C014, C025) paid on time until November 2025 and pay 20-60 days
  late on the invoices of the last twelve months.
* **A failing customer**: C017 stops paying the invoices issued from April 2026 but is invoiced until
  September: old unpaid invoices, formal notices, credit limit blown.
* **Terms**: 30/45/60 days net or "45 jours fin de mois" (both readings), but C009 has 75 days,
  C026 90 days and C011 "60 jours fin de mois" (beyond the L441-10 limits). A few customers have a
  contractual penalty rate (C011's 4.5 % is below the legal floor).
* **Invoicing**: mostly 0-3 days after delivery, but C008, C021 and C035 are invoiced 10-40 days
  late. The due date is left empty on ~3 % of the invoices (the engine derives it from the terms).
* **Numbering**: yearly series ``FA2025-00001`` for invoices (the 2024 series starts mid-year, as the
  export begins in December) and ``AV2025-0001`` for credit notes; five numbers are missing and two
  invoice rows are exported twice.
* **Disputes** (~4 %) with a reason; some stay open, some end in a credit note, some are paid late.
  Credit notes (~3 %) are settled against their invoice: the Règlements table then holds a
  "Compensation avoir" row of -X on the credit note and of +X on the invoice. Two credit notes
  (goods returned after payment) are left unapplied: C036, no longer invoiced, ends in credit.
* **Payments** live only in Règlements (the Factures columns "Montant réglé" and "Date règlement"
  are empty); ~10 % of the paid invoices are paid in several instalments; nothing is dated after the
  as-of date, so recent invoices are open and not yet due.
* **Paramètres**: "Date d'arrêté" 30/11/2026, "Langue" fr, and every other setting at its default
  (settings whose default is blank are left out).
* **Dunning** (Relances): email, phone call, letter, formal notice (levels 1-4), often late, and
  never for C001 nor for about a fifth of the overdue invoices.

Determinism: every draw comes from ``numpy.random.Generator.random()`` (a stream numpy keeps stable),
one generator per stage, seeded with ``(seed, stage)``; lists are sorted, amounts rounded to cents.

>>> tables = generate()
>>> sorted(tables), tables["settings"].iloc[0].tolist()[:2]
(['clients', 'invoices', 'payments', 'reminders', 'settings'], ["Date d'arrêté", datetime.date(2026, 11, 30)])

Regenerate the shipped CSV files with ``python -m audit_engine.demo.generate [folder]``.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from audit_engine import schema
from audit_engine.settings import SETTINGS_SPEC, Settings

AS_OF = dt.date(2026, 11, 30)
START = dt.date(2024, 12, 1)
LAST_YEAR = dt.date(2025, 12, 1)  # first day of the last twelve months
COMPANY = "Comptoir Démo du Val de Loire SAS"
FILE_NAMES = {schema.INVOICES: "factures.csv", schema.PAYMENTS: "reglements.csv",
              schema.REMINDERS: "relances.csv", schema.CLIENTS: "clients.csv",
              schema.SETTINGS: "parametres.csv"}
DISPUTE_REASONS = ("Marchandise endommagée", "Prix non conforme au devis", "Livraison incomplète",
                   "Facture en double", "Retard de livraison", "Produit non conforme à la commande")


class Dice:
    """Random draws built on ``Generator.random()`` only, so they are the same on every machine."""

    def __init__(self, seed: int, stage: int) -> None:
        self._rng = np.random.default_rng([seed, stage])

    def u(self) -> float:
        return float(self._rng.random())

    def uniform(self, a: float, b: float) -> float:
        return a + (b - a) * self.u()

    def int(self, a: int, b: int) -> int:
        """An integer in ``a..b`` (both included)."""
        return a + min(int(self.u() * (b - a + 1)), b - a)

    def chance(self, p: float) -> bool:
        return self.u() < p

    def pick(self, items: list, weights: list[float] | None = None):
        if weights is None:
            return items[self.int(0, len(items) - 1)]
        x, acc = self.u() * sum(weights), 0.0
        for item, w in zip(items, weights, strict=True):
            acc += w
            if x < acc:
                return item
        return items[-1]

    def normal(self, mu: float, sigma: float) -> float:
        u1, u2 = 1.0 - self.u(), self.u()
        return mu + sigma * math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)

    def exponential(self, mean: float) -> float:
        return -mean * math.log(1.0 - self.u())

    def sample(self, items: list, k: int, weights: list[float]) -> list:
        """``k`` distinct items, weighted (Efraimidis-Spirakis keys), in their original order."""
        keys = [(self.u() ** (1.0 / w), i) for i, w in enumerate(weights)]
        chosen = sorted(i for _, i in sorted(keys, reverse=True)[:k])
        return [items[i] for i in chosen]


# ---------------------------------------------------------------- calendar helpers

def end_of_month(d: dt.date) -> dt.date:
    nxt = dt.date(d.year + d.month // 12, d.month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def due_date(invoice_date: dt.date, days: int, rule: str) -> dt.date:
    """Due date under the client's terms (same readings as the engine's settings)."""
    if rule == "Fin de mois puis jours":
        return end_of_month(invoice_date) + dt.timedelta(days=days)
    if rule == "Jours puis fin de mois":
        return end_of_month(invoice_date + dt.timedelta(days=days))
    return invoice_date + dt.timedelta(days=days)


def weekday(d: dt.date) -> dt.date:
    """Saturday and Sunday move to the next Monday."""
    return d + dt.timedelta(days=(7 - d.weekday()) % 7 if d.weekday() >= 5 else 0)


def month_starts() -> list[dt.date]:
    out, d = [], START
    while d <= AS_OF:
        out.append(d)
        d = end_of_month(d) + dt.timedelta(days=1)
    return out


# ---------------------------------------------------------------- clients

@dataclass(frozen=True)
class Client:
    code: str
    name: str
    behaviour: str  # early | ontime | slow | late | drift | bust
    weight: float  # share of the invoice count
    median: float  # median invoice amount excl. VAT
    terms: int
    rule: str
    kind: str = "B2B"
    start: dt.date = START
    end: dt.date = AS_OF
    late_invoicing: bool = False
    never_reminded: bool = False
    over_limit: bool = False
    in_credit: bool = False
    rating: str = "B"
    deposit: str = "Non"
    penalty: float | None = None
    method: str = "Virement"
    extra: dict = field(default_factory=dict)


NET, EOM_DAYS, DAYS_EOM = "Net", "Fin de mois puis jours", "Jours puis fin de mois"
_CLIENTS: list[tuple] = [  # name, behaviour, weight, median excl. VAT, terms, rule, options
    ("Batimax Distribution SAS", "slow", 18.0, 3400, 60, NET,
     dict(never_reminded=True, over_limit=True, method="LCR")),
    ("Quincaillerie Moreau & Fils SARL", "ontime", 3.0, 900, 30, NET, {}),
    ("Électricité Générale Vasseur SAS", "early", 3.0, 1400, 45, EOM_DAYS, dict(rating="A")),
    ("Menuiseries du Bocage SARL", "late", 3.0, 1600, 45, NET, dict(rating="C", method="Chèque")),
    ("Plomberie Chauffage Lemaire EURL", "ontime", 2.0, 700, 30, NET, {}),
    ("=ACME SAS", "ontime", 2.0, 1100, 45, NET, {}),
    ("Comptoir Angevin des Matériaux SA", "drift", 4.0, 2200, 60, NET, {}),
    ("Rénov'Habitat 37 SARL", "ontime", 2.5, 1000, 30, NET, dict(late_invoicing=True)),
    ("Sanitaires Ouest Équipement SAS", "late", 2.5, 1500, 75, NET, dict(rating="D")),
    ("Atelier Ferronnerie Guérin SARL", "ontime", 1.5, 600, 30, NET, dict(method="Chèque")),
    ("Constructions Bréhal SA", "slow", 3.0, 2600, 60, DAYS_EOM, dict(penalty=4.5)),
    ("+Plus Distribution SARL", "ontime", 2.0, 900, 30, NET, {}),
    ("Charpentes Lebrun SAS", "early", 2.0, 1300, 30, NET, dict(rating="A", in_credit=True)),
    ("Isolation Thermique Picard SARL", "drift", 3.0, 1200, 45, NET, {}),
    ("Peintures et Décors Carpentier EURL", "late", 2.0, 500, 30, NET,
     dict(rating="C", deposit="30 %", method="Chèque")),
    ("SCI Les Terrasses du Cher", "ontime", 1.0, 2500, 30, NET, {}),
    ("Ets Chevallier Matériaux SAS", "bust", 3.0, 1800, 45, NET, dict(over_limit=True)),
    ("Carrelages Fontaine SARL", "ontime", 2.0, 1100, 45, DAYS_EOM, {}),
    ("Domotique Services Robin SAS", "early", 1.5, 900, 30, NET, dict(rating="A", penalty=12.0)),
    ("Toitures Mercier SARL", "slow", 2.5, 1700, 45, NET, {}),
    ("Bâti-Confort Lambert SAS", "ontime", 2.5, 1500, 60, NET, dict(late_invoicing=True)),
    ("Jardins et Clôtures Roussel EURL", "late", 2.0, 800, 60, NET,
     dict(rating="C", over_limit=True)),
    ("M. Julien Fabre", "ontime", 0.3, 2200, 30, NET, dict(kind="B2C", deposit="Oui", method="Chèque")),
    ("Agencements Bertrand SAS", "ontime", 2.0, 1300, 45, EOM_DAYS, {}),
    ("Climatisation Garnier SARL", "drift", 2.5, 1400, 30, NET, {}),
    ("Façades Perrin SA", "ontime", 2.0, 2400, 90, NET, {}),
    ("Maçonnerie Boucher & Cie SNC", "slow", 2.0, 1000, 30, NET, dict(method="Chèque")),
    ("Serrurerie Gauthier EURL", "ontime", 1.5, 500, 30, NET, {}),
    ("Hôtel Le Relais de Loire SARL", "ontime", 1.5, 1600, 30, NET,
     dict(start=dt.date(2026, 3, 1))),
    ("Mme Élodie Marchand", "ontime", 0.3, 1500, 30, NET, dict(kind="B2C", deposit="Oui")),
    ("Cuisines Dumont SAS", "early", 2.0, 1900, 45, EOM_DAYS, dict(rating="A", method="Prélèvement")),
    ("Électro-Bâtiment Morel SARL", "ontime", 2.0, 1000, 45, NET, dict(penalty=15.0)),
    ("Étanchéité Girard SAS", "ontime", 1.5, 1400, 60, NET, dict(end=dt.date(2025, 10, 31))),
    ("Parquets Rousseau SARL", "slow", 1.5, 900, 30, NET, {}),
    ("Géothermie Blanc SAS", "ontime", 1.5, 3000, 30, NET, dict(late_invoicing=True)),
    ("Vitrerie Henry EURL", "early", 1.0, 600, 30, NET,
     dict(rating="A", in_credit=True, end=dt.date(2026, 8, 31))),
    ("Aménagements Faure SAS", "ontime", 2.0, 1200, 45, NET, {}),
    ("Groupe Immobilier Mathieu SA", "ontime", 1.5, 3500, 60, NET, dict(penalty=10.0)),
    ("Piscines Clément SARL", "ontime", 1.5, 2000, 30, NET, dict(start=dt.date(2025, 6, 1))),
    ("Ascenseurs Nicolas Maintenance SAS", "ontime", 1.5, 1100, 45, NET, {}),
]


def siren(dice: Dice) -> str:
    """A 9-digit number passing the Luhn check, like a real SIREN (the numbers are made up)."""
    digits = [dice.int(1, 9)] + [dice.int(0, 9) for _ in range(7)]
    total = 0
    for i, d in enumerate(digits):  # positions 1..8; doubled at even positions from the left
        x = d * 2 if i % 2 == 1 else d
        total += x - 9 if x > 9 else x
    return "".join(map(str, digits)) + str((10 - total % 10) % 10)


def make_clients() -> list[Client]:
    return [Client(f"C{i:03d}", name, behaviour, weight, median, terms, rule, **options)
            for i, (name, behaviour, weight, median, terms, rule, options) in enumerate(_CLIENTS, 1)]


# ---------------------------------------------------------------- invoices

@dataclass
class Invoice:
    number: str
    client: Client
    date: dt.date
    delivery: dt.date | None
    due: dt.date
    amount: float
    show_due: bool = True
    disputed: bool = False
    reason: str | None = None
    credit_note_of: Invoice | None = None  # for credit notes: the invoice they correct
    unapplied: bool = False  # a credit note left open: the client is in credit


_SEASON = {1: 0.9, 2: 1.0, 3: 1.1, 4: 1.1, 5: 1.05, 6: 1.1, 7: 0.9, 8: 0.55, 9: 1.1, 10: 1.15,
           11: 1.05, 12: 0.85}


def draw_invoices(clients: list[Client], dice: Dice) -> list[Invoice]:
    """Invoice dates month by month (seasonal, slowly growing), a client by weight, an amount."""
    drafts = []
    for k, month in enumerate(month_starts()):
        lam = 118.0 * _SEASON[month.month] * (1.0 + 0.12 * k / 23)
        days = [d for d in (month + dt.timedelta(days=i) for i in range(31))
                if d.month == month.month and d.weekday() < 5 and d <= AS_OF]
        active = [c for c in clients if c.start <= month <= c.end]
        for _ in range(max(0, round(dice.normal(lam, math.sqrt(lam))))):
            day, client = dice.pick(days), dice.pick(active, [c.weight for c in active])
            lag = dice.int(10, 40) if client.late_invoicing and dice.chance(0.75) else \
                dice.pick([0, 1, 2, 3], [0.55, 0.25, 0.12, 0.08])
            excl_vat = max(45.0, client.median * math.exp(dice.normal(0.0, 0.75)))
            amount = round(round(excl_vat, 2) * 1.2, 2)
            due = due_date(day, client.terms, client.rule)
            drafts.append(Invoice("", client, day, day - dt.timedelta(days=lag), due, amount,
                                  show_due=not dice.chance(0.03)))
    drafts.sort(key=lambda inv: (inv.date, inv.client.code, inv.amount))
    return drafts


def number_series(docs: list[Invoice], prefix: str, width: int, first: dict[int, int],
                  gaps: int, dice: Dice) -> list[int]:
    """Number ``docs`` (sorted by date) in yearly series, skipping ``gaps`` numbers; the skipped ones."""
    inside = [i for i in range(5, len(docs) - 5) if docs[i - 1].date.year == docs[i].date.year]
    missing_at = dice.sample(inside, gaps, [1.0] * len(inside))
    counters, skipped = dict(first), []
    for i, doc in enumerate(docs):
        year = doc.date.year
        counters.setdefault(year, 1)
        if i in missing_at:
            skipped.append(counters[year])
            counters[year] += 1
        doc.number = f"{prefix}{year}-{counters[year]:0{width}d}"
        counters[year] += 1
    return skipped


def mark_disputes(invoices: list[Invoice], dice: Dice) -> list[Invoice]:
    """~4 % of invoices are disputed, more often for late payers; each gets a reason."""
    bias = {"late": 2.0, "bust": 3.0, "slow": 1.3, "drift": 1.5}
    chosen = dice.sample(invoices, round(0.04 * len(invoices)),
                         [bias.get(inv.client.behaviour, 1.0) for inv in invoices])
    for inv in chosen:
        inv.disputed = True
        inv.reason = dice.pick(list(DISPUTE_REASONS), [3, 3, 3, 1, 2, 2])
    return chosen


def credit_notes(invoices: list[Invoice], disputed: list[Invoice], dice: Dice) -> list[Invoice]:
    """Credit notes: dispute settlements, then goods returned, up to ~3 % of the invoice count."""
    notes = []

    def note(inv: Invoice, share: float, days: int, unapplied: bool = False) -> None:
        date = weekday(inv.date + dt.timedelta(days=days))
        if date <= AS_OF - dt.timedelta(days=3):
            amount = -round(inv.amount * share, 2)
            notes.append(Invoice("", inv.client, date, None, date, amount, credit_note_of=inv,
                                 unapplied=unapplied))

    for inv in disputed:
        if inv.reason == "Facture en double":
            note(inv, 1.0, dice.int(8, 30))
        elif inv.date < AS_OF - dt.timedelta(days=60) and dice.chance(0.4):
            note(inv, round(dice.uniform(0.05, 0.5), 2), dice.int(10, 45))
    candidates = [inv for inv in invoices if not inv.disputed and inv.client.kind == "B2B"
                  and inv.date < AS_OF - dt.timedelta(days=30)]
    returns = dice.sample(candidates, max(0, round(0.03 * len(invoices)) - len(notes)),
                          [1.0] * len(candidates))
    for inv in returns:
        note(inv, round(dice.uniform(0.05, 0.35), 2), dice.int(3, 20))
    for client in (c for c in make_clients() if c.in_credit):  # unapplied: the client is in credit
        last = [inv for inv in invoices if inv.client.code == client.code
                and inv.date < AS_OF - dt.timedelta(days=75)][-1]
        note(last, 1.0, 60, unapplied=True)  # goods returned after payment, not yet refunded
    notes.sort(key=lambda n: (n.date, n.client.code, n.amount))
    return notes


# ---------------------------------------------------------------- payments

def delay(inv: Invoice, dice: Dice) -> int | None:
    """Days between the due date and the final payment (negative = early); None = never paid."""
    b = inv.client.behaviour
    if b == "bust":
        return None if inv.date >= dt.date(2026, 4, 1) else dice.int(0, 20)
    if b == "drift":
        b = "ontime" if inv.date < LAST_YEAR else "drift"
    if b in ("ontime", "slow") and dice.chance(0.007):
        return None  # forgotten: an old unpaid invoice
    if b == "early":
        return -dice.int(2, 12) if dice.chance(0.9) else 0
    if b == "slow":
        return dice.int(8, 25) if dice.chance(0.85) else dice.int(25, 45)
    if b == "late":
        return dice.int(30, 90)
    if b == "drift":
        return dice.int(20, 60)
    r = dice.u()  # ontime
    return dice.int(-3, 3) if r < 0.65 else 1 + int(dice.exponential(8)) if r < 0.95 else dice.int(20, 45)


def pay_invoices(invoices: list[Invoice], notes: list[Invoice], dice: Dice) -> list[dict]:
    """Payment rows (cash and credit-note compensations), none after the as-of date."""
    applied = {id(n.credit_note_of): n for n in notes if not n.unapplied}
    rows: list[dict] = []

    def pay(inv: Invoice, date: dt.date, amount: float, method: str) -> None:
        if date <= AS_OF and amount != 0:
            rows.append({"invoice": inv.number, "date": date, "amount": round(amount, 2),
                         "client": inv.client.code, "method": method})

    for inv in invoices:
        note = applied.get(id(inv))
        rest, floor = inv.amount, inv.date + dt.timedelta(days=1)
        if note is not None:
            pay(note, note.date, note.amount, "Compensation avoir")
            pay(inv, note.date, -note.amount, "Compensation avoir")
            rest, floor = round(inv.amount + note.amount, 2), note.date + dt.timedelta(days=1)
        days = delay(inv, dice)
        if inv.disputed and note is None:
            still_open = 0.7 if inv.date >= AS_OF - dt.timedelta(days=180) else 0.3
            days = None if dice.chance(still_open) else dice.int(30, 90)
        elif inv.disputed and days is not None:
            days = max(days, dice.int(20, 60))
        if rest <= 0 or days is None:
            continue
        final = weekday(max(inv.due + dt.timedelta(days=days), floor))
        if dice.chance(0.005):
            rest = round(rest * 0.98, 2)  # 2 % discount deducted without agreement: a small balance stays
        parts = 1 if dice.chance(0.9) else dice.pick([2, 3], [0.7, 0.3])
        dates = [final]
        for _ in range(parts - 1):
            dates.insert(0, weekday(max(floor, dates[0] - dt.timedelta(days=dice.int(10, 30)))))
        shares = [round(rest * dice.uniform(0.25, 0.6), 2) for _ in range(parts - 1)]
        if sum(shares) >= rest:
            shares = [round(rest / parts, 2)] * (parts - 1)
        for date, amount in zip(dates, [*shares, round(rest - sum(shares), 2)], strict=True):
            pay(inv, date, amount, inv.client.method)
    rows.sort(key=lambda r: (r["date"], r["invoice"], r["amount"]))
    return rows


# ---------------------------------------------------------------- reminders

_LEVEL_TYPES = {1: "Email", 2: "Téléphone", 3: "Courrier", 4: "Mise en demeure"}


def remind(invoices: list[Invoice], payments: list[dict], dice: Dice) -> list[dict]:
    """The dunning log: levels 1-4 every 10-20 days after the due date, until paid; often late."""
    paid: dict[str, float] = {}
    settled: dict[str, dt.date] = {}
    for p in payments:  # sorted by date: the date the invoice is fully paid
        paid[p["invoice"]] = round(paid.get(p["invoice"], 0.0) + p["amount"], 2)
    running: dict[str, float] = {}
    amounts = {inv.number: inv.amount for inv in invoices}
    for p in payments:
        running[p["invoice"]] = round(running.get(p["invoice"], 0.0) + p["amount"], 2)
        if p["invoice"] in amounts and running[p["invoice"]] >= amounts[p["invoice"]] - 0.005:
            settled.setdefault(p["invoice"], p["date"])
    rows = []
    for inv in invoices:
        end = min(settled.get(inv.number, AS_OF + dt.timedelta(days=1)), AS_OF + dt.timedelta(days=1))
        if inv.client.never_reminded or end <= inv.due + dt.timedelta(days=2) or dice.chance(0.2):
            continue
        first = dice.int(2, 7) if dice.chance(0.7) else dice.int(15, 45)
        date, top = weekday(inv.due + dt.timedelta(days=first)), 2 if inv.disputed else 4
        for level in range(1, top + 1):
            if date >= end or (level == 4 and inv.amount - paid.get(inv.number, 0.0) < 300):
                break
            kind = "Email" if level == 2 and dice.chance(0.3) else _LEVEL_TYPES[level]
            rows.append({"invoice": inv.number, "date": date, "type": kind, "level": level})
            date = weekday(date + dt.timedelta(days=dice.int(10, 20)))
    rows.sort(key=lambda r: (r["date"], r["invoice"], r["level"]))
    return rows


# ---------------------------------------------------------------- tables

def _frame(table: str, rows: list[list]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=schema.template_headers(table), dtype=object)


def credit_limits(clients: list[Client], invoices: list[Invoice], payments: list[dict]) -> dict[str, float]:
    """A round limit above each client's balance at the as-of date, below it for the over-limit ones."""
    balance = {c.code: 0.0 for c in clients}
    sales = {c.code: 0.0 for c in clients}
    for inv in invoices:
        balance[inv.client.code] += inv.amount
        if inv.date >= LAST_YEAR:
            sales[inv.client.code] += inv.amount
    for p in payments:
        balance[p["client"]] -= p["amount"]
    limits = {}
    for c in clients:
        if c.over_limit:
            limits[c.code] = float(max(5000, math.floor(balance[c.code] * 0.8 / 5000) * 5000))
        else:
            need = max(balance[c.code] * 1.3, sales[c.code] / 12 * (c.terms / 30 + 1), 5000.0)
            limits[c.code] = float(math.ceil(need / 5000) * 5000)
    return limits


def _setting_value(spec) -> object:
    value = getattr(Settings(as_of=AS_OF), spec.field)
    if value is None or spec.kind in ("date", "int", "float", "lang"):
        return value
    if spec.kind == "percent":
        return f"{round(value * 100)} %"
    if spec.kind == "edges":
        return ";".join(f"{x:g}" for x in value)
    if spec.kind == "rule":
        return {"net": NET, "end_of_month_then_days": EOM_DAYS, "days_then_end_of_month": DAYS_EOM}[value]
    if spec.kind == "order":
        return "JJ/MM" if value else "MM/JJ"
    return value  # pragma: no cover


def generate(seed: int = 2026) -> dict[str, pd.DataFrame]:
    """The five demo tables, French template headers, Python values (see the module docstring)."""
    clients = make_clients()
    invoices = draw_invoices(clients, Dice(seed, 1))
    number_series(invoices, "FA", 5, {2024: 1385}, 4, Dice(seed, 2))
    disputed = mark_disputes(invoices, Dice(seed, 3))
    notes = credit_notes(invoices, disputed, Dice(seed, 4))
    number_series(notes, "AV", 4, {2024: 47}, 1, Dice(seed, 5))
    payments = pay_invoices(invoices, notes, Dice(seed, 6))
    reminders = remind(invoices, payments, Dice(seed, 7))
    limits = credit_limits(clients, invoices + notes, payments)

    docs = sorted(invoices + notes, key=lambda d: (d.date, d.number))
    doubled = Dice(seed, 8).sample(invoices[100:-100], 2, [1.0] * (len(invoices) - 200))
    inv_rows = []
    for d in docs:
        row = [d.number, d.client.code, d.client.name, d.date, d.delivery, d.due if d.show_due else None,
               d.amount, None, None, "Oui" if d.disputed else "Non", d.reason]
        inv_rows += [row, list(row)] if any(d is x for x in doubled) else [row]
    dice = Dice(seed, 9)
    client_rows = [[c.code, c.name, c.terms, c.rule, None if c.kind == "B2C" else limits[c.code], c.rating,
                    siren(dice) if c.kind == "B2B" else None, c.deposit, c.penalty, c.kind]
                   for c in clients]
    setting_rows = [[spec.fr, _setting_value(spec), spec.help_fr] for spec in SETTINGS_SPEC
                    if _setting_value(spec) is not None]  # a blank value means "default": leave the row out
    return {
        schema.INVOICES: _frame(schema.INVOICES, inv_rows),
        schema.PAYMENTS: _frame(schema.PAYMENTS, [[p["invoice"], p["date"], p["amount"], p["client"], p["method"]]
                                                  for p in payments]),
        schema.REMINDERS: _frame(schema.REMINDERS, [[r["invoice"], r["date"], r["type"], r["level"]]
                                                    for r in reminders]),
        schema.CLIENTS: _frame(schema.CLIENTS, client_rows),
        schema.SETTINGS: _frame(schema.SETTINGS, setting_rows),
    }


# ---------------------------------------------------------------- CSV

def format_cell(value: object) -> str:
    """French CSV text: dates JJ/MM/AAAA, decimal comma, empty for None."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if isinstance(value, float):
        return f"{value:.2f}".replace(".", ",")
    return str(value)


def write_csv(tables: dict[str, pd.DataFrame], folder: str | Path) -> list[Path]:
    """One ``;``-separated UTF-8 file per table (see :data:`FILE_NAMES`); the paths written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for table in schema.TABLES:
        if table not in tables:
            continue
        frame = tables[table]
        path = folder / FILE_NAMES[table]
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, delimiter=";", lineterminator="\n")
            writer.writerow([str(c) for c in frame.columns])
            for row in frame.itertuples(index=False, name=None):
                writer.writerow([format_cell(v) for v in row])
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> None:
    """``python -m audit_engine.demo.generate [folder]``: rewrite the demo CSV files."""
    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0]) if args else Path(__file__).parent / "data"
    for path in write_csv(generate(), folder):
        print(path)


if __name__ == "__main__":
    main()
