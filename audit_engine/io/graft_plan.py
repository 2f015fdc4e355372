"""Plan a graft: which of the user's parts go, which parts of the results come in under which names,
and the new text of the few workbook-level parts. :mod:`audit_engine.io.graft` writes the plan.

Removal is a garbage collection over the relationship graph: the parts reachable from the removed
sheets (drawings, charts, tables, comments, images...) that nothing else of the package reaches are
removed, with their relationship parts and content-type overrides; defined names scoped to removed
sheets go, and the ``localSheetId`` of the others follows their sheet's new position.

A result sheet whose name a user sheet already has is renamed with
:func:`audit_engine.layout.names.free_sheet_name` ("Synthèse (2)"), the rule the add-in uses too.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field

from ..layout.names import free_sheet_name
from .graft_parts import (
    GraftError,
    Imported,
    ResultSheet,
    closure,
    import_results,
    lowest_free,
    main_part,
    read_results,
)
from .graft_sheets import rename_refs
from .graft_workbook import (
    DefinedName,
    SheetEntry,
    Workbook,
    edit_app,
    edit_content_types,
    edit_rels,
    parse_workbook,
)
from .package import CT_PART, Package, Rel, relative, rels_part


def marker_formula(logical: str, actual: str) -> str:
    """The value of the marker name of a result sheet (an Excel array of two strings)."""
    quoted = [f'"{s.replace(chr(34), chr(34) * 2)}"' for s in (logical, actual)]
    return "{" + ",".join(quoted) + "}"


def parse_marker(formula: str) -> tuple[str, str] | None:
    """(logical name, sheet name) of a marker value, or None when it is not one."""
    found = [s.replace('""', '"') for s in re.findall(r'"((?:[^"]|"")*)"', formula)]
    if len(found) == 1:
        return found[0], found[0]
    return (found[0], found[1]) if len(found) == 2 else None


@dataclass
class Plan:
    changed: dict[str, bytes] = field(default_factory=dict)
    removed: set[str] = field(default_factory=set)
    copied: list[tuple[Package, str, str]] = field(default_factory=list)
    sheets: tuple[str, ...] = ()
    removed_sheets: tuple[str, ...] = ()


def owned_sheets(wb: Workbook, marker: str) -> dict[int, tuple[str, str]]:
    """{position: (logical name, sheet name)} of the sheets marked as ours and still named as marked."""
    out = {}
    for n in wb.names:
        if n.name.casefold() == marker.casefold() and n.local is not None and 0 <= n.local < len(wb.sheets):
            found = parse_marker(n.formula)
            if found and found[1].casefold() == wb.sheets[n.local].name.casefold():
                out[n.local] = found
    return out



def _order(sheets: list[SheetEntry], doomed: set[int], owned: dict[int, tuple[str, str]],
           results: list[ResultSheet]) -> list[tuple[str, int]]:
    """The new sheet order: ("old", position) and ("new", index in results)."""
    slots: dict[str, int] = {}
    for p in sorted(doomed):
        slots.setdefault(owned[p][0].casefold(), p)
    by_slot = {slots[r.name.casefold()]: k for k, r in enumerate(results) if r.name.casefold() in slots}
    order = [("old", i) if i not in doomed else ("new", by_slot[i]) for i in range(len(sheets))
             if i not in doomed or i in by_slot]
    placed = {k for kind, k in order if kind == "new"}
    for k in range(len(results)):
        if k in placed:
            continue
        before = [j for j in range(k - 1, -1, -1) if j in placed]
        after = [j for j in range(k + 1, len(results)) if j in placed]
        at = (order.index(("new", before[0])) + 1 if before else order.index(("new", after[0])) if after
              else len(order))
        order.insert(at, ("new", k))
        placed.add(k)
    return order


def plan_graft(user: Package, res: Package | None, targets: Collection[str] | None, marker: str) -> Plan:
    wb_part = main_part(user)
    wb = parse_workbook(user.read(wb_part))
    wb_rels = {r.id: r for r in user.rels(wb_part)}
    owned = owned_sheets(wb, marker)
    res_part, results = read_results(res) if res is not None else ("", [])
    keys = {t.casefold() for t in (targets or ())} | {r.name.casefold() for r in results}
    doomed = set(owned) if targets is None else {p for p, names in owned.items()
                                                 if names[0].casefold() in keys or names[1].casefold() in keys}
    plan = Plan()
    if not doomed and not results:
        return plan
    if len(wb.sheets) == len(doomed) and not results:
        raise GraftError("the workbook would have no sheet left")

    # 1. what goes: the removed sheets and every part only they reach
    roots = {wb_rels[wb.sheets[p].rid].target for p in doomed if wb.sheets[p].rid in wb_rels}
    kept = set(closure(user, [""], skip=roots))
    gone = [p for p in closure(user, sorted(roots)) if p not in kept]
    remove_ids = {wb.sheets[p].rid for p in doomed}
    calc = next((r for r in wb_rels.values() if r.kind == "calcChain" and not r.external), None)
    if doomed and calc is not None:
        gone.append(calc.target)
        remove_ids.add(calc.id)
    plan.removed = set(gone) | {user.find(rels_part(p)) or "" for p in gone}
    plan.removed.discard("")

    # 2. where the sheets go, what they are called
    order = _order(wb.sheets, doomed, owned, results)
    taken = {s.name.casefold() for i, s in enumerate(wb.sheets) if i not in doomed}
    actual = []
    for r in results:
        actual.append(free_sheet_name(r.name, taken))
        taken.add(actual[-1].casefold())
    renames = {r.name: a for r, a in zip(results, actual, strict=True) if r.name != a}
    old_to_new = {i: pos for pos, (kind, i) in enumerate(order) if kind == "old"}
    new_pos = {k: pos for pos, (kind, k) in enumerate(order) if kind == "new"}

    # 3. active tab: the same sheet, or the sheet that replaced it, or the first visible one
    states = [wb.sheets[i].state if kind == "old" else results[i].state for kind, i in order]
    first_visible = next((pos for pos, st in enumerate(states) if st == "visible"), 0)
    replaced = {p: k for k, r in enumerate(results) for p in doomed if owned[p][0].casefold() == r.name.casefold()}
    tabs, selected = [], None
    for v, a in enumerate(wb.active_tabs()):
        if a in old_to_new:
            tabs.append(old_to_new[a])
        elif a in replaced:
            tabs.append(new_pos[replaced[a]])
            selected = replaced[a] if v == 0 else selected
        else:
            tabs.append(first_visible)

    # 4. the results' parts, under free names; the new sheets' entries in workbook.xml
    sheet_entries: dict[int, SheetEntry] = {}
    imported = Imported()
    if res is not None and results:
        rel_ids = {int(m[3:]) for m in wb_rels if m not in remove_ids and re.fullmatch(r"rId\d+", m)}
        imported = import_results(user, res, res_part, results, wb_part=wb_part, wb_rels=wb_rels, wb_names=wb.names,
                                  removed=plan.removed, renames=renames, selected=selected, rel_ids=rel_ids)
        plan.changed.update(imported.changed)
        plan.copied = imported.copied
        sheet_ids = {s.sheet_id for i, s in enumerate(wb.sheets) if i not in doomed}
        for k, r in enumerate(results):
            rid = f"rId{lowest_free(rel_ids)}"
            sheet_entries[k] = wb.new_sheet(actual[k], lowest_free(sheet_ids), rid, r.state)
            imported.rels.append((rid, r.rel.type, relative(wb_part, imported.sheet_parts[k])))

    # 5. the workbook-level parts
    new_sheets = [wb.sheets[i] if kind == "old" else sheet_entries[i] for kind, i in order]
    names: list[DefinedName] = []
    for n in wb.names:
        if n.local is None or n.local not in old_to_new:
            if n.local not in doomed:
                names.append(n)
        else:
            names.append(n if old_to_new[n.local] == n.local else Workbook.rescope(n, old_to_new[n.local]))
    for k, r in enumerate(results):
        names.append(wb.new_name(marker, marker_formula(r.name, actual[k]), local=new_pos[k], hidden=True))
        names += [wb.new_name(n.name, rename_refs(n.formula, renames, imported.tables), local=new_pos[k],
                              hidden=n.hidden)
                  for n in r.names]
    plan.changed[wb_part] = wb.render(new_sheets, names, tabs)
    plan.changed[rels_part(wb_part)] = edit_rels(user.read(rels_part(wb_part)), remove_ids, imported.rels)
    plan.changed[CT_PART] = edit_content_types(user.read(CT_PART), plan.removed, imported.types)
    _edit_app(user, wb, wb_rels, new_sheets, results, order, plan)
    plan.sheets = tuple(actual[k] for kind, k in order if kind == "new")
    plan.removed_sheets = tuple(wb.sheets[p].name for p in sorted(doomed))
    return plan


def _edit_app(user: Package, wb: Workbook, wb_rels: dict[str, Rel], new_sheets: list[SheetEntry],
              results: list[ResultSheet], order: list[tuple[str, int]], plan: Plan) -> None:
    app = next((r.target for r in user.rels("") if r.kind == "extended-properties" and r.target in user), None)
    if app is None:
        return
    def is_ws(kind: str, i: int) -> bool:
        rel = wb_rels.get(wb.sheets[i].rid) if kind == "old" else results[i].rel
        return rel is not None and rel.kind == "worksheet"
    old = [s.name for i, s in enumerate(wb.sheets) if is_ws("old", i)]
    new = [s.name for s, (kind, i) in zip(new_sheets, order, strict=True) if is_ws(kind, i)]
    edited = edit_app(user.read(app), old, new) if old != new else None
    if edited is not None:
        plan.changed[app] = edited
