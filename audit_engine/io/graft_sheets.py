"""Rewrite the parts of OUR result sheets (never the user's) so they fit in the user's package.

The results package comes from XlsxWriter (double-quoted attributes, default namespace), and only its
parts are edited, as text: in a worksheet, shared-string cells become inline strings (``t="inlineStr"``
with the ``<si>`` content, runs and ``xml:space="preserve"`` included, so the user's
``sharedStrings.xml`` is never touched and a text starting with "=" stays text: an inline string has
no ``<f>``), style indexes (``s=``, ``style=``, ``dxfId=``) are mapped to the merged styles, the
"selected tab" flag is set only on the sheet that becomes active, and references to a sheet or table
that had to be renamed are rewritten in formulas, chart ranges, hyperlinks and defined names.

>>> rename_refs("SUM('Balance âgée'!B2:B5)+Synthèse!A1+tbl[Montant]&\\"Synthèse!\\"",
...             {"Synthèse": "Synthèse (2)"}, {"tbl": "tbl2"})
'SUM(\\'Balance âgée\\'!B2:B5)+\\'Synthèse (2)\\'!A1+tbl2[Montant]&"Synthèse!"'
>>> sheet = b'<worksheet><sheetData><row r="1"><c r="A1" s="1" t="s"><v>0</v></c></row></sheetData></worksheet>'
>>> transform_sheet(sheet, strings=['<t xml:space="preserve">=1+1 </t>'], xf_map={1: 7}).decode()
'<worksheet><sheetData><row r="1"><c r="A1" s="7" t="inlineStr"><is><t xml:space="preserve">=1+1 </t></is></c></row></sheetData></worksheet>'
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from .package import relative, resolve
from .xmltext import attr_escape, attrs, set_attr, text_escape, unescape

_TOKEN = re.compile(r"\"(?:[^\"]|\"\")*\"|'((?:[^']|'')+)'!|(?<![\w.'\]])([^\W\d][\w.]*)(!|\[)")
# a shared-string cell: <c r="A1" s="3" t="s"><v>12</v></c> (the prefix, if any, in group 1)
_SHARED_CELL = re.compile(r'<(\w+:)?c\b([^>]*?)\st="s"([^>]*)>\s*<(?:\w+:)?v>\s*(\d+)\s*</(?:\w+:)?v>\s*</(?:\w+:)?c>')
_SHARED_FAST = re.compile(r' t="s"><v>(\d+)</v></c>')  # XlsxWriter writes t last
_ANY_SHARED = re.compile(r'<(?:\w+:)?c\b[^>]*\st="s"')
_STYLE_ATTR = re.compile(r'(<(?:\w+:)?(?:c|row)\s[^>]*?\bs=")(\d+)"')  # only <c> and <row> have an s attribute
_STYLE_FAST = re.compile(r'( s=")(\d+)"')  # the same, when no text node holds ' s="' (checked first)
_TEXT_WITH_S = re.compile(r'>[^<]*\ss="')
_FORMULA = re.compile(r"(<(?:\w+:)?(?:f|formula|formula1|formula2|calculatedColumnFormula|totalsRowFormula)\b"
                      r"[^>]*(?<!/)>)([^<]*)(</)")
_SI = re.compile(r"<(?:\w+:)?si\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?si>)", re.S)
_DXF_ATTR = re.compile(r'(\s\w*[dD]xfId=")(\d+)(")')


def quote_sheet(name: str) -> str:
    """A sheet name as written before "!" in a formula (always quoted: safe for any name)."""
    return "'" + name.replace("'", "''") + "'"


def rename_refs(formula: str, sheets: Mapping[str, str], tables: Mapping[str, str] | None = None) -> str:
    """``formula`` with references to the sheets and tables of the maps renamed (string literals kept)."""
    sheet_map = {k.casefold(): v for k, v in sheets.items()}
    table_map = {k.casefold(): v for k, v in (tables or {}).items()}
    if not sheet_map and not table_map:
        return formula

    def one(m: re.Match[str]) -> str:
        if m.group(1) is not None:
            new = sheet_map.get(m.group(1).replace("''", "'").casefold())
            return quote_sheet(new) + "!" if new is not None else m.group(0)
        if m.group(2) is not None:
            mapping = sheet_map if m.group(3) == "!" else table_map
            new = mapping.get(m.group(2).casefold())
            if new is not None:
                return (quote_sheet(new) if m.group(3) == "!" else new) + m.group(3)
        return m.group(0)

    return _TOKEN.sub(one, formula)


def _rename_in_xml(text: str, sheets: Mapping[str, str], tables: Mapping[str, str]) -> str:
    if not sheets and not tables:
        return text
    text = _FORMULA.sub(lambda m: m.group(1) + text_escape(rename_refs(unescape(m.group(2)), sheets, tables))
                        + m.group(3), text)
    return re.sub(r'(\slocation=")([^"]*)(")',
                  lambda m: m.group(1) + attr_escape(rename_refs(unescape(m.group(2)), sheets, tables)) + m.group(3),
                  text)


def shared_strings(xml: bytes | None) -> list[str]:
    """The content of each ``<si>`` of a sharedStrings part, as XML text (what goes inside ``<is>``)."""
    if not xml:
        return []
    text = xml.decode("utf-8")
    if "<si/>" not in text and "<si " not in text and ":si" not in text:  # XlsxWriter's: <si>...</si>
        return re.findall(r"<si>(.*?)</si>", text, re.S)
    return [m.group(1) or "" for m in _SI.finditer(text)]


def _map_attr(tag: str, name: str, mapping: Mapping[int, int]) -> str:
    value = attrs(tag).get(name)
    if value is None or not value.isdigit():
        return tag
    return set_attr(tag, name, str(mapping.get(int(value), int(value))))


def transform_sheet(xml: bytes, *, strings: list[str], xf_map: Mapping[int, int], dxf_map: Mapping[int, int] = {},
                    sheets: Mapping[str, str] = {}, tables: Mapping[str, str] = {}, selected: bool = False) -> bytes:
    """One result worksheet made ready for the user's package (see the module docstring).

    XlsxWriter's cells (``<c r="A1" s="3" t="s"><v>12</v></c>``) take the fast path: regular
    expressions that start with a literal (about 1.5 s per million cells); anything else, the general
    expressions. Styles are mapped before strings are inlined, while the only text is in formulas."""
    text = xml.decode("utf-8")
    start, end = text.find("<sheetData"), text.rfind("</sheetData>")
    if start < 0 or end < 0:  # no cells (or a prefixed worksheet): the general expressions on the whole
        start, end = 0, len(text)
    head, data, tail = text[:start], text[start:end], text[end:]
    xf = {str(k): str(v) for k, v in xf_map.items() if k != v}
    if xf:
        pattern = _STYLE_FAST if not _TEXT_WITH_S.search(data) else _STYLE_ATTR
        data = pattern.sub(lambda m: m.group(1) + xf.get(m.group(2), m.group(2)) + '"', data)
        head = re.sub(r"<(?:\w+:)?col\b[^>]*>", lambda m: _map_attr(m.group(0), "style", xf_map), head)
    data = _SHARED_FAST.sub(lambda m: ' t="inlineStr"><is>' + strings[int(m.group(1))] + "</is></c>", data)
    if 't="s"' in data and _ANY_SHARED.search(data):
        data = _SHARED_CELL.sub(lambda m: f'<{m.group(1) or ""}c{m.group(2)} t="inlineStr"{m.group(3)}>'
                                f'<{m.group(1) or ""}is>{strings[int(m.group(4))]}</{m.group(1) or ""}is>'
                                f'</{m.group(1) or ""}c>', data)
    if dxf_map:
        tail = re.sub(r"<(?:\w+:)?cfRule\b[^>]*>", lambda m: _map_attr(m.group(0), "dxfId", dxf_map), tail)
    head = re.sub(r"<(?:\w+:)?sheetView\b[^>]*>",
                  lambda m: set_attr(m.group(0), "tabSelected", "1" if selected else None), head, count=1)
    return _rename_in_xml(head + data + tail, sheets, tables).encode("utf-8")


def transform_table(xml: bytes, *, table_id: int, name: str, dxf_map: Mapping[int, int],
                    sheets: Mapping[str, str] = {}, tables: Mapping[str, str] = {}) -> bytes:
    """A result table with a workbook-unique id and name, and its dxf indexes mapped."""
    text = xml.decode("utf-8")
    start = re.search(r"<(?:\w+:)?table\b[^>]*>", text)
    if start is None:
        raise ValueError("not a table part")
    head = set_attr(set_attr(set_attr(start.group(0), "id", str(table_id)), "name", name), "displayName", name)
    text = text[:start.start()] + head + text[start.end():]
    text = _DXF_ATTR.sub(lambda m: m.group(1) + str(dxf_map.get(int(m.group(2)), int(m.group(2)))) + m.group(3),
                         text)
    return _rename_in_xml(text, sheets, tables).encode("utf-8")


def transform_chart(xml: bytes, *, sheets: Mapping[str, str] = {}, tables: Mapping[str, str] = {}) -> bytes:
    """A chart (or any part with formulas) with renamed sheet references."""
    if not sheets and not tables:
        return xml
    return _rename_in_xml(xml.decode("utf-8"), sheets, tables).encode("utf-8")


def transform_rels(xml: bytes, *, old_source: str, new_source: str, parts: Mapping[str, str],
                   sheets: Mapping[str, str] = {}) -> bytes:
    """A relationships part moved from ``old_source`` to ``new_source``: internal targets point to the
    new names of the parts (``parts``: old name -> new name), "#Sheet!A1" links follow renamed sheets."""
    text = xml.decode("utf-8")

    def one(m: re.Match[str]) -> str:
        tag = m.group(0)
        a = attrs(tag)
        target = a.get("Target", "")
        if a.get("TargetMode") == "External":
            if target.startswith("#") and sheets:
                return set_attr(tag, "Target", "#" + rename_refs(target[1:], sheets))
            return tag
        old = resolve(old_source, target)
        return set_attr(tag, "Target", relative(new_source, parts.get(old, old)))

    return re.sub(r"<(?:\w+:)?Relationship\b[^>]*>", one, text).encode("utf-8")
