"""The action plan's tracking table: reading the previous sheet back and merging it with a new plan."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from audit_engine.layout.tracking import (
    CLOSED_BY_AUDIT,
    MANUAL,
    NOTES,
    TRACKING_COLUMNS,
    USER_KEYS,
    merge_tracking,
    read_tracking,
)
from audit_engine.sections.actions import Action, ActionPlan

AS_OF = dt.date(2026, 1, 31)
HEADERS_FR = [c.fr for c in TRACKING_COLUMNS]


def action(key: str, priority: int = 2, text: str = "Relancer", amount: float = 100.0) -> Action:
    section, rule, client = key.split(":")
    return Action(key, priority, int(section), rule, None if client == "*" else client, client, text, amount, amount)


def plan(*keys: str) -> ActionPlan:
    return ActionPlan(tuple(action(k) for k in keys))


def row(key, owner=None, due=None, status=None, comment=None, text="Relancer", note=None, **extra):
    values = {"priority": 2, "section": int(key.split(":")[0]) if key else None, "action": text,
              "owner": owner, "due": due, "status": status, "comment": comment, "audit_note": note, "key": key}
    return [values.get(c.key) for c in TRACKING_COLUMNS] + list(extra.values())


def sheet(*rows, extra=()):
    return [["Plan d'action et suivi"], [], HEADERS_FR + list(extra), *rows]


# ---------------------------------------------------------------- reading

def test_read_finds_the_header_in_either_language_and_skips_blank_rows():
    rows = [["Title"], [c.en for c in TRACKING_COLUMNS], row("1:old_invoices:C7", owner="Ann"), [None] * 14,
            ["", None, "  "], row("2:disputes:C8", status="Done")]
    got = read_tracking(rows)
    assert list(got) == ["1:old_invoices:C7", "2:disputes:C8"]
    assert got["1:old_invoices:C7"]["owner"] == "Ann" and got["2:disputes:C8"]["status"] == "Done"


def test_read_parses_dates_as_any_reader_returns_them():
    for value in (dt.datetime(2026, 2, 15), dt.date(2026, 2, 15), 46068.0, "15/02/2026", "2026-02-15"):
        got = read_tracking(sheet(row("1:old_invoices:C7", due=value)))
        assert got["1:old_invoices:C7"]["due"] == dt.date(2026, 2, 15), value
    got = read_tracking(sheet(row("1:old_invoices:C7", due="fin février")))
    assert got["1:old_invoices:C7"]["due"] == "fin février"  # kept as typed


def test_read_keeps_extra_columns_and_rows_without_a_key():
    rows = sheet(row("1:old_invoices:C7", owner="Ann", call="appelé le 3"), row(None, comment="Penser au devis"),
                 row("1:old_invoices:C7", comment="doublon"), extra=["Appel"])
    got = read_tracking(rows)
    assert got["1:old_invoices:C7"]["extra"] == {"Appel": "appelé le 3"}
    manual = [v for k, v in got.items() if k.startswith(MANUAL)]
    assert [m["comment"] for m in manual] == ["Penser au devis", "doublon"] and all(m["manual"] for m in manual)


def test_read_without_a_tracking_header_gives_nothing():
    assert read_tracking([["Synthèse"], ["Encours", 12.0]]) == {}


# ---------------------------------------------------------------- merging

def test_user_columns_are_carried_over_to_the_same_action():
    prev = read_tracking(sheet(row("1:old_invoices:C7", owner="Ann", due=dt.date(2026, 2, 1), status="En cours",
                                   comment="appel lundi")))
    merged = merge_tracking(prev, plan("1:old_invoices:C7"), AS_OF)
    assert [(r["owner"], r["due"], r["status"], r["comment"], r["audit_note"]) for r in merged] == [
        ("Ann", dt.date(2026, 2, 1), "En cours", "appel lundi", None)]


def test_new_actions_are_added_and_noted_new_only_after_a_first_run():
    prev = read_tracking(sheet(row("1:old_invoices:C7")))
    merged = merge_tracking(prev, plan("1:old_invoices:C7", "4:dso_above_target:*"), AS_OF)
    assert [r["audit_note"] for r in merged] == [None, NOTES["new"]["fr"]]
    assert [r["audit_note"] for r in merge_tracking(None, plan("4:dso_above_target:*"), AS_OF)] == [None]
    assert merged[1]["first_seen"] == AS_OF


def test_actions_no_longer_detected_are_kept_and_closed_by_the_audit():
    prev = read_tracking(sheet(row("2:disputes:C8", owner="Bob", text="Régler le litige")))
    merged = merge_tracking(prev, plan("1:old_invoices:C7"), AS_OF)
    gone = merged[1]
    assert (gone["key"], gone["owner"], gone["action"], gone["status"], gone["audit_note"]) == (
        "2:disputes:C8", "Bob", "Régler le litige", CLOSED_BY_AUDIT["fr"], NOTES["gone"]["fr"])


def test_a_status_set_by_the_user_is_kept_when_the_action_disappears():
    prev = read_tracking(sheet(row("2:disputes:C8", status="Fait")))
    gone = merge_tracking(prev, plan(), AS_OF, lang="en")[0]
    assert (gone["status"], gone["audit_note"]) == ("Fait", NOTES["gone"]["en"])


def test_an_action_closed_by_the_audit_that_comes_back_is_reopened():
    prev = read_tracking(sheet(row("2:disputes:C8", status=CLOSED_BY_AUDIT["en"], note=NOTES["gone"]["en"]),
                               row("3:block_client:C9", status="Fait", note=NOTES["gone"]["fr"])))
    merged = merge_tracking(prev, plan("2:disputes:C8", "3:block_client:C9"), AS_OF)
    assert [(r["status"], r["audit_note"]) for r in merged] == [(None, NOTES["back"]["fr"]),
                                                               ("Fait", NOTES["back"]["fr"])]


def test_audit_columns_are_refreshed_and_manual_rows_stay_last():
    prev = read_tracking(sheet(row("1:old_invoices:C7", text="ancien texte"), row(None, comment="note libre")))
    merged = merge_tracking(prev, ActionPlan((action("1:old_invoices:C7", 1, "nouveau texte", 250.0),)), AS_OF)
    assert (merged[0]["action"], merged[0]["priority"], merged[0]["amount"]) == ("nouveau texte", 1, 250.0)
    assert merged[-1]["comment"] == "note libre" and merged[-1]["key"] is None


def test_merging_twice_with_the_same_plan_changes_nothing_the_user_wrote():
    prev = read_tracking(sheet(row("1:old_invoices:C7", owner="Ann"), row("2:disputes:C8", comment="x")))
    once = merge_tracking(prev, plan("1:old_invoices:C7"), AS_OF)
    again = merge_tracking({r["key"]: r for r in once}, plan("1:old_invoices:C7"), AS_OF)
    assert [(r["key"], r["owner"], r["status"], r["comment"], r["audit_note"]) for r in again] == [
        (r["key"], r["owner"], r["status"], r["comment"], r["audit_note"]) for r in once]


KEYS = st.sampled_from([f"{s}:{rule}:{c}" for s in (1, 2, 3, 4) for rule in ("old_invoices", "disputes")
                        for c in ("C1", "C2", "*")])
TEXT = st.one_of(st.none(), st.text(min_size=1, max_size=8).filter(lambda x: x.strip() == x and x.strip()))
USER = st.fixed_dictionaries({"owner": TEXT, "status": TEXT, "comment": TEXT,
                              "due": st.one_of(st.none(), st.dates(dt.date(2020, 1, 1), dt.date(2030, 1, 1)))})


@settings(max_examples=150, deadline=None)
@given(previous=st.dictionaries(KEYS, USER, max_size=8), produced=st.lists(KEYS, unique=True, max_size=8),
       manual=st.lists(TEXT.filter(bool), max_size=3))
def test_nothing_the_user_wrote_is_ever_lost(previous, produced, manual):
    rows = sheet(*[row(k, **v) for k, v in previous.items()], *[row(None, comment=m) for m in manual])
    prev = read_tracking(rows)
    merged = merge_tracking(prev, plan(*produced), AS_OF)
    by_key = {r["key"]: r for r in merged if r["key"]}
    assert set(previous) | set(produced) == set(by_key)  # every previous key is still there
    for key, user in previous.items():
        for col in USER_KEYS:
            if user[col] is None:
                continue
            if col == "status" and key not in produced and user[col] == CLOSED_BY_AUDIT["fr"]:
                continue
            if col == "status" and key in produced and user[col] in CLOSED_BY_AUDIT.values():
                assert by_key[key]["status"] is None  # reopened
                continue
            assert by_key[key][col] == user[col], (key, col)
        if key not in produced:
            assert by_key[key]["status"] == (user["status"] or CLOSED_BY_AUDIT["fr"])
    assert [r["comment"] for r in merged if r["key"] is None] == manual
