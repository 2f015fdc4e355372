"""The results' side of a graft: read the results package, and bring the parts of its sheets into the
user's package under free names, rewritten where needed (styles, strings, table ids, renamed sheets).

Every part a result sheet reaches through its relationships (drawing, charts, tables, comments,
images) is copied; part names, table ids and names are the lowest free ones in the user's package
(so a re-run with the same results writes the same bytes). Parts that need no rewrite (drawings,
images, charts when no sheet was renamed) are copied raw from the results zip.

>>> free_part("xl/charts/chart1.xml", {"xl/charts/chart1.xml", "xl/charts/chart2.xml"})
'xl/charts/chart3.xml'
>>> lowest_free({1, 2, 4})
3
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Collection
from dataclasses import dataclass, field

from .graft_sheets import shared_strings, transform_chart, transform_rels, transform_sheet, transform_table
from .graft_styles import StyleMerge, merge_styles
from .graft_workbook import DefinedName, parse_workbook
from .package import Package, Rel, relative, rels_part
from .xmltext import attrs

CT_TABLE = "application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml"
CT_CHART = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"


class GraftError(ValueError):
    """The packages cannot be grafted (not a workbook, unsupported results...)."""


def main_part(pkg: Package) -> str:
    """The workbook part of a package (the target of its officeDocument relationship)."""
    for r in pkg.rels(""):
        if r.kind == "officeDocument" and not r.external and r.target in pkg:
            return r.target
    raise GraftError(f"{pkg.label}: not an Excel workbook package (no officeDocument part)")


def closure(pkg: Package, starts: Collection[str], skip: Collection[str] = ()) -> list[str]:
    """The parts reachable from ``starts`` through internal relationships (not entering ``skip``)."""
    seen: dict[str, None] = {}
    queue = list(starts)
    while queue:
        part = queue.pop(0)
        if part in seen:
            continue
        seen[part] = None
        queue += [r.target for r in pkg.rels(part) if not r.external and r.target in pkg and r.target not in skip]
    return [p for p in seen if p]


def free_part(part: str, used: set[str]) -> str:
    """The name ``part`` would have with the lowest free number (``used``: lower-case names, updated)."""
    folder, name = posixpath.split(part)
    m = re.fullmatch(r"(.*?)(\d*)(\.[^.]*)?", name)
    assert m is not None
    stem, ext = m.group(1), m.group(3) or ""
    n = 1
    while (candidate := posixpath.join(folder, f"{stem}{n}{ext}")).lower() in used:
        n += 1
    used.add(candidate.lower())
    return candidate


def lowest_free(used: set[int]) -> int:
    """The lowest positive integer not in ``used`` (added to it)."""
    n = 1
    while n in used:
        n += 1
    used.add(n)
    return n


@dataclass
class ResultSheet:
    """A sheet of the results package: its name, state, relationship from the workbook, scoped names."""

    name: str
    state: str
    rel: Rel
    names: list[DefinedName]


def read_results(res: Package) -> tuple[str, list[ResultSheet]]:
    """(workbook part, sheets) of the results package; workbook-scoped names are refused."""
    part = main_part(res)
    rwb = parse_workbook(res.read(part))
    rels = {r.id: r for r in res.rels(part)}
    shared = [n.name for n in rwb.names if n.local is None]
    if shared:
        raise GraftError(f"the results define workbook-scoped names {shared}: scope them to their sheet")
    return part, [ResultSheet(s.name, s.state, rels[s.rid], [n for n in rwb.names if n.local == i])
                  for i, s in enumerate(rwb.sheets)]


@dataclass
class Imported:
    """What the results bring: new or rewritten parts, raw copies, the new name of each result sheet's
    part, table renames, and the relationships and content types the workbook gains."""

    changed: dict[str, bytes] = field(default_factory=dict)
    copied: list[tuple[Package, str, str]] = field(default_factory=list)
    sheet_parts: list[str] = field(default_factory=list)
    tables: dict[str, str] = field(default_factory=dict)
    rels: list[tuple[str, str, str]] = field(default_factory=list)
    types: list[tuple[str, str]] = field(default_factory=list)


def import_results(user: Package, res: Package, res_part: str, results: list[ResultSheet], *, wb_part: str,
                   wb_rels: dict[str, Rel], wb_names: list[DefinedName], removed: set[str],
                   renames: dict[str, str], selected: int | None, rel_ids: set[int]) -> Imported:
    """Bring the parts of the result sheets into the user's package (see the module docstring)."""
    out = Imported()
    used = {n.lower() for n in user.names} - {g.lower() for g in removed}
    defaults, _ = user.content_types()
    res_rels = {r.kind: r for r in res.rels(res_part)}
    styles = _merge_styles(user, res, wb_part, wb_rels, res_rels, used, rel_ids, out)
    strings = shared_strings(res.read(res_rels["sharedStrings"].target) if "sharedStrings" in res_rels else None)
    parts: dict[str, str] = {}
    for r in results:
        for part in closure(res, [r.rel.target]):
            if part not in parts:
                parts[part] = free_part(part, used)
    tables = _plan_tables(user, res, parts, removed, wb_names)
    out.tables = {old: new for _, old, new in tables.values() if old != new}
    sheet_of = {r.rel.target: k for k, r in enumerate(results)}
    for part, new in parts.items():
        ctype = res.content_type(part) or "application/xml"
        if part in sheet_of and results[sheet_of[part]].rel.kind == "worksheet":
            out.changed[new] = transform_sheet(res.read(part), strings=strings, xf_map=styles.xf_map,
                                               dxf_map=styles.dxf_map, sheets=renames, tables=out.tables,
                                               selected=sheet_of[part] == selected)
        elif part in tables:
            out.changed[new] = transform_table(res.read(part), table_id=tables[part][0], name=tables[part][2],
                                               dxf_map=styles.dxf_map, sheets=renames, tables=out.tables)
        elif ctype == CT_CHART and (renames or out.tables):
            out.changed[new] = transform_chart(res.read(part), sheets=renames, tables=out.tables)
        else:
            out.copied.append((res, part, new))
        if rels_part(part) in res:
            out.changed[rels_part(new)] = transform_rels(res.read(rels_part(part)), old_source=part,
                                                         new_source=new, parts=parts, sheets=renames)
        if defaults.get(posixpath.splitext(new)[1][1:].lower()) != ctype:
            out.types.append((new, ctype))
    out.sheet_parts = [parts[r.rel.target] for r in results]
    return out


def _merge_styles(user: Package, res: Package, wb_part: str, wb_rels: dict[str, Rel], res_rels: dict[str, Rel],
                  used: set[str], rel_ids: set[int], out: Imported) -> StyleMerge:
    if "styles" not in res_rels:
        return StyleMerge(b"")
    res_styles = res.read(res_rels["styles"].target)
    user_rel = next((r for r in wb_rels.values() if r.kind == "styles" and not r.external), None)
    if user_rel is None:  # a package without styles: the results' styles become the workbook's
        new = free_part(posixpath.join(posixpath.dirname(wb_part), "styles.xml"), used)
        out.changed[new] = res_styles
        out.rels.append((f"rId{lowest_free(rel_ids)}", res_rels["styles"].type, relative(wb_part, new)))
        out.types.append((new, res.content_type(res_rels["styles"].target) or "application/xml"))
        return StyleMerge(res_styles, changed=True)  # empty maps: indexes stay as they are
    merged = merge_styles(user.read(user_rel.target), res_styles)
    if merged.changed:
        out.changed[user_rel.target] = merged.xml
    return merged


def _plan_tables(user: Package, res: Package, parts: dict[str, str], removed: set[str],
                 wb_names: list[DefinedName]) -> dict[str, tuple[int, str, str]]:
    """{results table part: (new id, old name, new name)}: ids and names unique in the workbook."""
    _, overrides = user.content_types()
    ids: set[int] = set()
    names = {n.name.casefold() for n in wb_names}
    gone = {g.lower() for g in removed}
    for part, ctype in overrides.items():
        if ctype == CT_TABLE and part not in gone and part in user:
            head = re.search(r"<(?:\w+:)?table\b[^>]*>", user.read(part).decode("utf-8"))
            a = attrs(head.group(0)) if head else {}
            ids.add(int(a.get("id", "0") or 0))
            names |= {a.get("name", "").casefold(), a.get("displayName", "").casefold()}
    out = {}
    for part in parts:
        if res.content_type(part) != CT_TABLE:
            continue
        head = re.search(r"<(?:\w+:)?table\b[^>]*>", res.read(part).decode("utf-8"))
        a = attrs(head.group(0)) if head else {}
        old = a.get("displayName") or a.get("name") or "Table"
        new, n = old, 1
        while new.casefold() in names:
            n += 1
            new = f"{old}_{n}"
        names.add(new.casefold())
        out[part] = (lowest_free(ids), old, new)
    return out
