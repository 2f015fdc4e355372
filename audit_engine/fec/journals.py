"""What each journal of a FEC is: opening entries, sales, bank/cash, or other (OD, payroll...).

Journal codes are free (``VE``, ``VEN``, ``ve``, ``C1``...), so the kind is decided by the code and the
label first, then by the accounts the journal moves:

1. **opening** (à-nouveaux): code ``AN``/``ANO``/``RAN``..., or a label saying "nouveau", "report",
   "ouverture", "reprise";
2. **sales**: code ``VE``/``VEN``/``VT``..., or a label saying "vente", "facturation";
3. **bank**: code ``BQ``/``CAI``/``RCH``..., or a label saying "banque", "caisse", "chèque", "remise";
4. else from the accounts: at least 15 % of its lines on revenue accounts (``70*``) makes it *sales*,
   at least 15 % on bank or cash accounts (``51*``, ``53*``) makes it *bank*; anything else is *other*.

>>> import pandas as pd
>>> entries = pd.DataFrame({
...     "journal": ["VEN", "VEN", "C1", "C1", "ANO", "OD"],
...     "journal_lib": ["Ventes", "Ventes", "TR21", "TR21", "A nouveaux", "Opérations diverses"],
...     "account": ["411000", "706000", "411000", "512000", "411000", "411000"]})
>>> classify_journals(entries)
{'ANO': 'opening', 'C1': 'bank', 'OD': 'other', 'VEN': 'sales'}
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

OPENING, SALES, BANK, OTHER = "opening", "sales", "bank", "other"
JOURNAL_KINDS = (OPENING, SALES, BANK, OTHER)

_OPENING_CODES = {"AN", "ANO", "AND", "ANX", "ANN", "RAN", "ANOU", "NOUV", "OUV"}
_SALES_CODES = {"V", "VE", "VEN", "VT", "VTE", "VTS", "FAC", "FA", "AV", "AVO", "SAL", "SALES"}
_BANK_CODES = {"CA", "CH", "BQ", "BNQ", "BK", "BAN", "BANK", "CAI", "CSE", "CAIS", "CHQ", "RCH", "CB", "TRE", "TRESO"}
_OPENING_WORDS = ("nouveau", "report", "ouverture", "reprise", "opening")
_SALES_WORDS = ("vente", "facturation", "factures clients", "avoirs clients", "sales")
_BANK_WORDS = ("banque", "bank", "caisse", "cash", "cheq", "remise", "tresorerie", "encaissement")
_SHARE = 0.15
_TRAILING_DIGITS = re.compile(r"[\d\s._-]+$")


def _norm(text: str) -> str:
    s = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in s if not unicodedata.combining(ch))


def kind_from_names(code: str, label: str) -> str | None:
    """The kind a journal's code or label says, or None when they say nothing clear.

    >>> kind_from_names("VE1", "VE11"), kind_from_names("AD", "A Nouveaux Détaillés"), kind_from_names("X", "Y")
    ('sales', 'opening', None)
    """
    short = _TRAILING_DIGITS.sub("", code.strip().upper()) or code.strip().upper()
    lab = _norm(label)
    if short in _OPENING_CODES or any(w in lab for w in _OPENING_WORDS):
        return OPENING
    if short in _SALES_CODES or any(w in lab for w in _SALES_WORDS):
        return SALES
    if short in _BANK_CODES or any(w in lab for w in _BANK_WORDS):
        return BANK
    return None


def classify_journals(entries: pd.DataFrame) -> dict[str, str]:
    """{journal code: kind} for every journal of ``entries`` (columns journal, journal_lib, account)."""
    if entries.empty:
        return {}
    account = entries["account"].astype(str)
    frame = pd.DataFrame({
        "journal": entries["journal"].astype(str).to_numpy(),
        "revenue": account.str.startswith("70").to_numpy(),
        "bank": (account.str.startswith("51") | account.str.startswith("53")).to_numpy(),
    })
    shares = frame.groupby("journal", sort=True)[["revenue", "bank"]].mean()
    labels = entries.drop_duplicates("journal").set_index("journal")["journal_lib"].astype(str)
    kinds: dict[str, str] = {}
    for code, row in shares.iterrows():  # one row per journal: a handful
        named = kind_from_names(str(code), str(labels.get(code, "")))
        if named is not None:
            kinds[str(code)] = named
        elif row["revenue"] >= _SHARE:
            kinds[str(code)] = SALES
        elif row["bank"] >= _SHARE:
            kinds[str(code)] = BANK
        else:
            kinds[str(code)] = OTHER
    return kinds
