"""Text edits of the workbook-level parts: ``workbook.xml``, its relationships, ``[Content_Types].xml``
and ``docProps/app.xml``. Only the elements that must change are rewritten; every other byte stays
(mc:Ignorable prefixes, extensions, Excel's revision ids...).

>>> xml = (b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://'
...        b'schemas.openxmlformats.org/officeDocument/2006/relationships"><bookViews><workbookView/></bookViews>'
...        b'<sheets><sheet name="Factures" sheetId="1" r:id="rId1"/></sheets><calcPr/></workbook>')
>>> wb = parse_workbook(xml)
>>> [s.name for s in wb.sheets], wb.rel_prefix
(['Factures'], 'r')
>>> new = wb.sheets + [wb.new_sheet("Synthèse", 2, "rId9")]
>>> out = wb.render(new, [wb.new_name("_Marque", "{1}", local=1, hidden=True)], active=[0]).decode()
>>> out[out.index("<sheets>"):out.index("<calcPr")]  # doctest: +NORMALIZE_WHITESPACE
'<sheets><sheet name="Factures" sheetId="1" r:id="rId1"/><sheet name="Synthèse" sheetId="2" r:id="rId9"/></sheets><definedNames><definedName name="_Marque" localSheetId="1" hidden="1">{1}</definedName></definedNames>'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .xmltext import REL_NS, attr_escape, attrs, ns_prefix, root_prefix, set_attr, text_escape, unescape


@dataclass
class SheetEntry:
    """A ``<sheet>`` of workbook.xml: its raw text (with the whitespace before it) and attributes."""

    raw: str
    name: str
    sheet_id: int
    rid: str
    state: str = "visible"


@dataclass
class DefinedName:
    """A ``<definedName>``: raw text, name, scope (sheet position or None), hidden, formula (unescaped)."""

    raw: str
    name: str
    local: int | None
    hidden: bool
    formula: str


def _is_true(value: str | None) -> bool:
    return value in ("1", "true")


class Workbook:
    """``xl/workbook.xml`` as text, with its sheets and defined names located."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.p = root_prefix(text, "workbook")
        self.rel_prefix = ns_prefix(text, REL_NS, "r")
        p = re.escape(self.p)
        self._sheets_block = re.search(rf"<{p}sheets\b[^>]*>(.*?)</{p}sheets>", text, re.S)
        if self._sheets_block is None:
            raise ValueError("workbook.xml has no <sheets>")
        self.sheets = []
        for m in re.finditer(rf"(\s*)(<{p}sheet\b[^>]*?/>|<{p}sheet\b[^>]*>.*?</{p}sheet>)",
                             self._sheets_block.group(1), re.S):
            a = attrs(m.group(2))
            self.sheets.append(SheetEntry(m.group(0), a.get("name", ""), int(a.get("sheetId", "0")),
                                          a.get(f"{self.rel_prefix}:id", ""), a.get("state", "visible")))
        self._names_block = re.search(rf"<{p}definedNames\b[^>]*?(?:/>|>(.*?)</{p}definedNames>)", text, re.S)
        self.names = []
        inner = (self._names_block.group(1) or "") if self._names_block else ""
        for m in re.finditer(rf"(\s*)(<{p}definedName\b([^>]*?)(?:/>|>(.*?)</{p}definedName>))", inner, re.S):
            a = attrs(f"<n {m.group(3)}>")
            local = a.get("localSheetId")
            self.names.append(DefinedName(m.group(0), a.get("name", ""), int(local) if local is not None else None,
                                          _is_true(a.get("hidden")), unescape(m.group(4) or "")))

    def new_sheet(self, name: str, sheet_id: int, rid: str, state: str = "visible") -> SheetEntry:
        extra = f' state="{attr_escape(state)}"' if state != "visible" else ""
        raw = (f'<{self.p}sheet name="{attr_escape(name)}" sheetId="{sheet_id}"{extra} '
               f'{self.rel_prefix}:id="{attr_escape(rid)}"/>')
        return SheetEntry(raw, name, sheet_id, rid, state)

    def new_name(self, name: str, formula: str, local: int | None = None, hidden: bool = False) -> DefinedName:
        scope = f' localSheetId="{local}"' if local is not None else ""
        flag = ' hidden="1"' if hidden else ""
        raw = f'<{self.p}definedName name="{attr_escape(name)}"{scope}{flag}>{text_escape(formula)}</{self.p}definedName>'
        return DefinedName(raw, name, local, hidden, formula)

    @staticmethod
    def rescope(name: DefinedName, local: int) -> DefinedName:
        """``name`` moved to the sheet at position ``local`` (only its localSheetId attribute changes)."""
        head = re.match(r"\s*<[^>]*?/?>", name.raw)
        assert head is not None
        new_head = set_attr(head.group(0), "localSheetId", str(local))
        return DefinedName(new_head + name.raw[head.end():], name.name, local, name.hidden, name.formula)

    def render(self, sheets: Sequence[SheetEntry], names: Iterable[DefinedName], active: Sequence[int]) -> bytes:
        """The workbook text with these sheets and names; ``active`` holds the activeTab of each
        workbookView (its firstSheet is kept when still valid, else cleared to 0)."""
        text, p = self.text, self.p
        blocks = self._sheets_block
        assert blocks is not None
        inner = "".join(s.raw for s in sheets)
        text_sheets = text[:blocks.start(1)] + inner + text[blocks.end(1):]
        shift = len(text_sheets) - len(text)
        names_xml = "".join(n.raw for n in names)
        if self._names_block is not None:
            start, end = self._names_block.start() + shift, self._names_block.end() + shift
            head = re.match(rf"<{re.escape(p)}definedNames\b[^>]*?(?=/?>)", self._names_block.group(0))
            assert head is not None
            block = f"{head.group(0)}>{names_xml}</{p}definedNames>" if names_xml else ""
            text = text_sheets[:start] + block + text_sheets[end:]
        elif names_xml:
            anchor = None
            for tag in ("externalReferences", "functionGroups", "sheets"):
                m = re.search(rf"</{re.escape(p)}{tag}>", text_sheets)
                if m:
                    anchor = m.end()
                    break
            assert anchor is not None
            text = text_sheets[:anchor] + f"<{p}definedNames>{names_xml}</{p}definedNames>" + text_sheets[anchor:]
        else:
            text = text_sheets
        views = iter(active)
        count = len(sheets)

        def view(m: re.Match[str]) -> str:
            tag = m.group(0)
            a = attrs(tag)
            tab = next(views, 0)
            if tab or "activeTab" in a:
                tag = set_attr(tag, "activeTab", str(tab))
            if int(a.get("firstSheet", "0") or 0) >= count:
                tag = set_attr(tag, "firstSheet", "0")
            return tag

        text = re.sub(rf"<{re.escape(p)}workbookView\b[^>]*>", view, text)
        return text.encode("utf-8")

    def active_tabs(self) -> list[int]:
        return [int(attrs(m.group(0)).get("activeTab", "0") or 0)
                for m in re.finditer(rf"<{re.escape(self.p)}workbookView\b[^>]*>", self.text)]


def parse_workbook(xml: bytes) -> Workbook:
    return Workbook(xml.decode("utf-8"))


def edit_rels(xml: bytes, remove: set[str], add: Sequence[tuple[str, str, str]]) -> bytes:
    """Relationships without the ids in ``remove``, plus ``add`` (id, type, target) before the end."""
    text = xml.decode("utf-8")
    p = root_prefix(text, "Relationships")
    text = re.sub(rf"<{re.escape(p)}Relationship\b[^>]*?(?:/>|>\s*</{re.escape(p)}Relationship>)",
                  lambda m: "" if attrs(m.group(0)).get("Id") in remove else m.group(0), text)
    new = "".join(f'<{p}Relationship Id="{attr_escape(i)}" Type="{attr_escape(t)}" Target="{attr_escape(g)}"/>'
                  for i, t, g in add)
    close = text.rindex(f"</{p}Relationships>")
    return (text[:close] + new + text[close:]).encode("utf-8")


def edit_content_types(xml: bytes, remove: set[str], add: Sequence[tuple[str, str]]) -> bytes:
    """Content types without the overrides of the parts in ``remove`` (names without "/", any case),
    plus an override for each (part, content type) of ``add``."""
    text = xml.decode("utf-8")
    gone = {r.lower() for r in remove}
    p = root_prefix(text, "Types")
    text = re.sub(rf"<{re.escape(p)}Override\b[^>]*?(?:/>|>\s*</{re.escape(p)}Override>)",
                  lambda m: "" if attrs(m.group(0)).get("PartName", "").lstrip("/").lower() in gone
                  else m.group(0), text)
    new = "".join(f'<{p}Override PartName="/{attr_escape(part)}" ContentType="{attr_escape(ct)}"/>'
                  for part, ct in add)
    close = text.rindex(f"</{p}Types>")
    return (text[:close] + new + text[close:]).encode("utf-8")


def edit_app(xml: bytes, old_sheets: Sequence[str], new_sheets: Sequence[str]) -> bytes | None:
    """``docProps/app.xml`` with the worksheet titles (TitlesOfParts) and their count (HeadingPairs)
    updated; None when the worksheet group cannot be found (Excel rewrites this part on save)."""
    text = xml.decode("utf-8")
    pairs = re.search(r"<(\w+:)?HeadingPairs\b[^>]*>(.*?)</(\w+:)?HeadingPairs>", text, re.S)
    titles = re.search(r"<(\w+:)?TitlesOfParts\b[^>]*>\s*(<[^>]*vector\b[^>]*>)(.*?)(</[^>]*vector>)", text, re.S)
    if pairs is None or titles is None:
        return None
    counts = list(re.finditer(r"<(\w+:)?i4>(\d+)</(\w+:)?i4>", pairs.group(2)))
    items = list(re.finditer(r"(\s*)<(\w+:)?lpstr>(.*?)</(\w+:)?lpstr>|(\s*)<(\w+:)?lpstr/>", titles.group(3), re.S))
    values = [unescape(m.group(3) or "") for m in items]
    start = 0
    for c in counts:
        n = int(c.group(2))
        if values[start:start + n] == list(old_sheets):
            break
        start += n
    else:
        return None
    vt = items[0].group(2) or "" if items else ""
    kept = {name: m.group(0) for name, m in zip(values[start:start + n], items[start:start + n], strict=True)}
    group = "".join(kept.get(name) or f"<{vt}lpstr>{text_escape(name)}</{vt}lpstr>" for name in new_sheets)
    body = "".join(m.group(0) for m in items[:start]) + group + "".join(m.group(0) for m in items[start + n:])
    vector = set_attr(titles.group(2), "size", str(len(items) - n + len(new_sheets)))
    count_at = pairs.start(2) + c.start(2)
    edits = [(titles.start(2), titles.start(4), vector + body), (count_at, count_at + len(c.group(2)), str(len(new_sheets)))]
    for begin, end, new in sorted(edits, reverse=True):  # the later edit first: offsets stay valid
        text = text[:begin] + new + text[end:]
    return text.encode("utf-8")
