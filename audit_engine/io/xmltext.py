"""Small helpers to edit XML parts as text, so that every byte we do not mean to change stays.

ElementTree re-serialises a whole document with its own prefixes and drops the namespace
declarations nothing uses, which breaks ``mc:Ignorable="x14ac xr xr2 xr3"`` (the prefixes listed there
must stay declared). So the graft reads parts with ElementTree but edits them as text: find a start
tag, change one attribute, insert serialised elements before a closing tag.

>>> tag = '<sheet name="A &amp; B" sheetId="3" r:id="rId3"/>'
>>> attrs(tag)["name"], set_attr(tag, "sheetId", "4")
('A & B', '<sheet name="A &amp; B" sheetId="4" r:id="rId3"/>')
>>> serialize(ET.fromstring(f'<font xmlns="{MAIN_NS}"><b/><sz val="11"/></font>'), "x")
'<x:font><x:b/><x:sz val="11"/></x:font>'
"""

from __future__ import annotations

import re
from xml.etree import ElementTree as ET

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XML_NS = "http://www.w3.org/XML/1998/namespace"
KNOWN_PREFIXES = {
    "http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac": "x14ac",
    "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main": "x14",
    "http://schemas.openxmlformats.org/markup-compatibility/2006": "mc",
    REL_NS: "r",
}
_ATTR = re.compile(r'([\w:.-]+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')
_ENTITY = re.compile(r"&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}


def unescape(text: str) -> str:
    """Decode the five XML entities and character references."""
    def one(m: re.Match[str]) -> str:
        code = m.group(1)
        if code.startswith("#x"):
            return chr(int(code[2:], 16))
        if code.startswith("#"):
            return chr(int(code[1:]))
        return _NAMED[code]
    return _ENTITY.sub(one, text)


def text_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def attr_escape(text: str) -> str:
    return (text_escape(text).replace('"', "&quot;").replace("\n", "&#10;").replace("\r", "&#13;")
            .replace("\t", "&#9;"))


def attrs(tag: str) -> dict[str, str]:
    """The attributes of a start tag (values unescaped), in document order."""
    body = tag[1:].split(None, 1)[1] if len(tag[1:].split(None, 1)) > 1 else ""
    return {m.group(1): unescape(m.group(2) if m.group(2) is not None else m.group(3) or "")
            for m in _ATTR.finditer(body)}


def set_attr(tag: str, name: str, value: str | None) -> str:
    """``tag`` with attribute ``name`` set to ``value`` (added before the end, or removed when None)."""
    pattern = re.compile(rf'(\s){re.escape(name)}\s*=\s*(?:"[^"]*"|\'[^\']*\')')
    if value is None:
        return pattern.sub("", tag, count=1)
    new = f'{name}="{attr_escape(value)}"'
    if pattern.search(tag):
        return pattern.sub(lambda m: m.group(1) + new, tag, count=1)
    end = len(tag) - (2 if tag.endswith("/>") else 1)
    return tag[:end].rstrip() + " " + new + tag[end:]


def root_prefix(text: str, local: str) -> str:
    """The prefix of the root element ``local`` ("" or "x:")."""
    m = re.search(rf"<(\w+:)?{local}\b", text)
    return (m.group(1) or "") if m else ""


def ns_prefix(text: str, uri: str, default: str) -> str:
    """The prefix declared for ``uri`` in ``text`` (the first declaration), else ``default``."""
    m = re.search(rf'xmlns:(\w+)\s*=\s*["\']{re.escape(uri)}["\']', text)
    return m.group(1) if m else default


def serialize(elem: ET.Element, prefix: str = "") -> str:
    """An element (parsed by ElementTree) as text, the main namespace written with ``prefix``; other
    namespaces are declared on the element itself."""
    decls: dict[str, str] = {}

    def name(qname: str) -> str:
        if not qname.startswith("{"):
            return qname
        uri, local = qname[1:].split("}", 1)
        if uri == MAIN_NS:
            return f"{prefix}:{local}" if prefix else local
        if uri == XML_NS:
            return f"xml:{local}"
        p = decls.setdefault(uri, KNOWN_PREFIXES.get(uri, f"ns{len(decls)}"))
        return f"{p}:{local}"

    def walk(e: ET.Element) -> str:
        out = "<" + name(e.tag)
        for k, v in e.attrib.items():
            out += f' {name(k)}="{attr_escape(v)}"'
        inner = text_escape(e.text or "") + "".join(walk(c) + text_escape(c.tail or "") for c in e)
        return out + (f">{inner}</{name(e.tag)}>" if inner else "/>")

    body = walk(elem)
    if decls:
        head = body.index(" ") if " " in body.split(">", 1)[0] else len(body.split(">", 1)[0].rstrip("/"))
        body = body[:head] + "".join(f' xmlns:{p}="{u}"' for u, p in decls.items()) + body[head:]
    return body
