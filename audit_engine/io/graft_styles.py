"""Merge the styles of a results package into the user's ``xl/styles.xml``, by appending only.

The user's styles are read (never re-serialised): every font, fill, border, number format, cell
format (``cellXfs``), cell style and differential format (``dxfs``) of the results is looked up in the
user's list by its meaning (the element with its attributes sorted, recursively) and reused when
present, else appended at the end of its list, with the ``count`` attribute updated: the user's
indexes never move, so the user's sheets (never opened) keep their formats. Custom number formats
(id >= 164) are matched by format code and get a free id when new. Results' cell format 0 is the
user's 0 (a cell without ``s`` uses it anyway). A second run finds everything already there and
returns the user's bytes unchanged, so re-runs do not grow the file.

>>> user = (b'<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
...         b'<fonts count="1"><font><sz val="11"/></font></fonts><cellXfs count="1">'
...         b'<xf numFmtId="0" fontId="0"/></cellXfs></styleSheet>')
>>> res = (b'<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
...        b'<numFmts count="1"><numFmt numFmtId="164" formatCode="0.0%"/></numFmts><fonts count="2">'
...        b'<font><sz val="11"/></font><font><b/><sz val="11"/></font></fonts><cellXfs count="2">'
...        b'<xf numFmtId="0" fontId="0"/><xf numFmtId="164" fontId="1"/></cellXfs></styleSheet>')
>>> merged = merge_styles(user, res)
>>> text = merged.xml.decode()
>>> merged.xf_map, text[text.index("<numFmts"):text.index("<fonts")]
({0: 0, 1: 1}, '<numFmts count="1"><numFmt numFmtId="164" formatCode="0.0%"/></numFmts>')
>>> text[text.index("<cellXfs"):text.index("</cellXfs>")]
'<cellXfs count="2"><xf numFmtId="0" fontId="0"/><xf numFmtId="164" fontId="1"/>'
>>> merge_styles(merged.xml, res).xml == merged.xml
True
"""

from __future__ import annotations

import re
from copy import deepcopy
from dataclasses import dataclass, field
from xml.etree import ElementTree as ET

from .xmltext import MAIN_NS, serialize

# the children of <styleSheet>, in schema order (CT_Stylesheet)
ORDER = ("numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs", "tableStyles",
         "colors", "extLst")
FIRST_CUSTOM_NUMFMT = 164


def _q(tag: str) -> str:
    return f"{{{MAIN_NS}}}{tag}"


def canon(elem: ET.Element) -> str:
    """The meaning of an element: tag, sorted attributes, children (whitespace between tags ignored)."""
    attrs = ",".join(f"{k}={v}" for k, v in sorted(elem.attrib.items()))
    text = (elem.text or "").strip()
    return f"<{elem.tag} {attrs}>{text}" + "".join(canon(c) for c in elem) + "</>"


@dataclass
class StyleMerge:
    """The merged ``styles.xml`` (the user's bytes when nothing was added) and the index maps."""

    xml: bytes
    xf_map: dict[int, int] = field(default_factory=dict)
    dxf_map: dict[int, int] = field(default_factory=dict)
    changed: bool = False


class _List:
    """One list of the user's styles (fonts, cellXfs...): what it holds, and what we append to it."""

    def __init__(self, root: ET.Element, tag: str) -> None:
        self.tag = tag
        node = root.find(_q(tag))
        self.items = list(node) if node is not None else []
        self.index = {}
        for i, item in enumerate(self.items):
            self.index.setdefault(canon(item), i)
        self.added: list[ET.Element] = []

    def add(self, elem: ET.Element, reuse: bool = True) -> int:
        key = canon(elem)
        if reuse and key in self.index:
            return self.index[key]
        self.index[key] = len(self.items)
        self.items.append(elem)
        self.added.append(elem)
        return len(self.items) - 1


def _children(root: ET.Element, tag: str) -> list[ET.Element]:
    node = root.find(_q(tag))
    return list(node) if node is not None else []


def _remap(elem: ET.Element, maps: dict[str, dict[int, int]]) -> ET.Element:
    copy = deepcopy(elem)
    for name, mapping in maps.items():
        if copy.get(name) is not None:
            copy.set(name, str(mapping.get(int(copy.get(name, "0")), int(copy.get(name, "0")))))
    return copy


def merge_styles(user_xml: bytes, results_xml: bytes) -> StyleMerge:
    """Append what the results' styles need to the user's styles; map results' xf and dxf indexes."""
    user, res = ET.fromstring(user_xml), ET.fromstring(results_xml)
    if user.tag != _q("styleSheet"):
        raise ValueError(f"unsupported styles part (root {user.tag}): only transitional SpreadsheetML is handled")
    lists = {tag: _List(user, tag) for tag in ORDER[:8]}

    # number formats: builtin ids (< 164) as they are; custom ones by format code
    numfmts = lists["numFmts"]
    by_code = {n.get("formatCode"): int(n.get("numFmtId", "0")) for n in numfmts.items}
    next_id = max([FIRST_CUSTOM_NUMFMT - 1, *by_code.values()]) + 1
    num_map: dict[int, int] = {}
    custom = [*_children(res, "numFmts"), *(n for d in _children(res, "dxfs") for n in d.findall(_q("numFmt")))]
    for n in custom:
        old, code = int(n.get("numFmtId", "0")), n.get("formatCode", "")
        if old < FIRST_CUSTOM_NUMFMT or old in num_map:
            continue
        if code not in by_code:
            by_code[code] = next_id
            numfmts.add(ET.Element(_q("numFmt"), {"numFmtId": str(next_id), "formatCode": code}), reuse=False)
            next_id += 1
        num_map[old] = by_code[code]

    sub = {tag: {i: lists[tag].add(e) for i, e in enumerate(_children(res, tag))}
           for tag in ("fonts", "fills", "borders")}
    xf_attrs = {"numFmtId": num_map, "fontId": sub["fonts"], "fillId": sub["fills"], "borderId": sub["borders"]}

    # cell styles: results' style xf k is the user's style of the same builtinId (or name), else appended
    style_map = {0: 0}
    user_styles = _children(user, "cellStyles")
    for cs in _children(res, "cellStyles"):
        k = int(cs.get("xfId", "0"))
        if k in style_map:
            continue
        same = None
        if cs.get("builtinId") is not None:
            same = next((u for u in user_styles if u.get("builtinId") == cs.get("builtinId")), None)
        if same is None:
            same = next((u for u in user_styles if u.get("name") == cs.get("name")), None)
        if same is not None:
            style_map[k] = int(same.get("xfId", "0"))
        else:
            res_style_xfs = _children(res, "cellStyleXfs")
            if k < len(res_style_xfs):
                style_map[k] = lists["cellStyleXfs"].add(_remap(res_style_xfs[k], xf_attrs), reuse=False)
                new = ET.Element(_q("cellStyle"), dict(cs.attrib))
                new.set("xfId", str(style_map[k]))
                lists["cellStyles"].add(new, reuse=False)
    xf_map = {0: 0}
    for i, xf in enumerate(_children(res, "cellXfs")):
        if i:
            xf_map[i] = lists["cellXfs"].add(_remap(xf, {**xf_attrs, "xfId": style_map}))
    dxf_map = {}
    for i, dxf in enumerate(_children(res, "dxfs")):
        copy = deepcopy(dxf)
        for n in copy.findall(_q("numFmt")):
            n.set("numFmtId", str(num_map.get(int(n.get("numFmtId", "0")), int(n.get("numFmtId", "0")))))
        dxf_map[i] = lists["dxfs"].add(copy)

    if not any(lst.added for lst in lists.values()):
        return StyleMerge(user_xml, xf_map, dxf_map, changed=False)
    text = user_xml.decode("utf-8")
    for lst in lists.values():
        if lst.added:
            text = _append(text, lst.tag, lst.added, len(lst.items))
    return StyleMerge(text.encode("utf-8"), xf_map, dxf_map, changed=True)


def _append(text: str, tag: str, new: list[ET.Element], count: int) -> str:
    """Insert ``new`` at the end of the ``tag`` list of the styles text and set its count (text edit)."""
    prefix = re.match(r"(?:<\?.*?\?>)?\s*(?:<!--.*?-->\s*)*<(\w+:)?styleSheet\b", text, re.S)
    p = (prefix.group(1) or "") if prefix else ""
    body = "".join(serialize(e, p.rstrip(":")) for e in new)
    found = re.search(rf"<{p}{tag}\b([^>]*?)(/?)>", text)
    if found:
        attrs = found.group(1)
        attrs = re.sub(r'\scount="\d*"', "", attrs)
        start = f'<{p}{tag} count="{count}"{attrs}>'
        if found.group(2):
            return text[:found.start()] + start + body + f"</{p}{tag}>" + text[found.end():]
        close = text.index(f"</{p}{tag}>", found.end())
        return text[:found.start()] + start + text[found.end():close] + body + text[close:]
    section = f'<{p}{tag} count="{count}">{body}</{p}{tag}>'
    for later in ORDER[ORDER.index(tag) + 1:]:
        nxt = re.search(rf"<{p}{later}\b", text)
        if nxt:
            return text[:nxt.start()] + section + text[nxt.start():]
    close = text.rindex(f"</{p}styleSheet>")
    return text[:close] + section + text[close:]

