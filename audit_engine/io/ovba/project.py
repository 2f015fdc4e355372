"""The streams of a VBA project (MS-OVBA 2.3): ``dir``, ``PROJECT``, ``PROJECTwm``, ``_VBA_PROJECT``.

A project is a list of :class:`Module` (standard, class or document module, with its full source,
``Attribute`` lines included) and of references. ``_VBA_PROJECT`` carries version 0xFFFF and no
performance cache, so the host compiles the project from source (MS-OVBA 2.3.4.1: "MUST be 0xFFFF
on write"); every module stream is then just its compressed source (``TextOffset`` 0).

>>> m = Module("Module1", 'Attribute VB_Name = "Module1"\\nSub Hello()\\nEnd Sub\\n')
>>> m.text_bytes(1252)[:26]
b'Attribute VB_Name = "Modul'
>>> project_stream([m], "VBAProject", PROJECT_ID).decode().splitlines()[:3]
['ID="{2E2F8F93-6E4C-4D44-8C1A-5B5B2A4C0E01}"', 'Module=Module1', 'Name="VBAProject"']
>>> decrypt(encrypt(bytes([0xFF]), PROJECT_ID, seed=0x4A))
b'\\xff'
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass

PROJECT_ID = "{2E2F8F93-6E4C-4D44-8C1A-5B5B2A4C0E01}"  # fixed: builds are reproducible
SYSKIND_WIN32, SYSKIND_MAC, SYSKIND_WIN64 = 1, 2, 3
HOST_EXTENDER = "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000"
BASE_WORKBOOK = "0{00020819-0000-0000-C000-000000000046}"  # Excel's Workbook object
BASE_WORKSHEET = "0{00020820-0000-0000-C000-000000000046}"  # Excel's Worksheet object
STANDARD, CLASS, DOCUMENT = "standard", "class", "document"


@dataclass(frozen=True)
class Module:
    """One module: its name, full source (line endings normalised to CRLF on write) and kind."""

    name: str
    source: str
    kind: str = STANDARD  # STANDARD | CLASS | DOCUMENT
    stream_name: str | None = None  # defaults to the module name

    def text_bytes(self, codepage: int) -> bytes:
        text = self.source.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")
        return text.encode(f"cp{codepage}")


@dataclass(frozen=True)
class RegisteredReference:
    """A type library known to the registry (REFERENCEREGISTERED), e.g. stdole."""

    name: str
    libid: str  # e.g. *\G{00020430-0000-0000-C000-000000000046}#2.0#0#...\stdole2.tlb#OLE Automation


@dataclass(frozen=True)
class ProjectReference:
    """Another VBA project (REFERENCEPROJECT), e.g. the xlwings add-in: ``*\\C`` + path."""

    name: str
    libid_absolute: str
    libid_relative: str
    major_version: int = 0
    minor_version: int = 0


Reference = RegisteredReference | ProjectReference


def document_module(name: str, base: str = BASE_WORKSHEET, code: str = "") -> Module:
    """The document module of a sheet (``base=BASE_WORKSHEET``) or of the workbook (``BASE_WORKBOOK``)."""
    attributes = [f'Attribute VB_Name = "{name}"', f'Attribute VB_Base = "{base}"',
                  "Attribute VB_GlobalNameSpace = False", "Attribute VB_Creatable = False",
                  "Attribute VB_PredeclaredId = True", "Attribute VB_Exposed = True",
                  "Attribute VB_TemplateDerived = False", "Attribute VB_Customizable = True"]
    return Module(name, "\n".join(attributes) + "\n" + code, DOCUMENT)


def _rec(record_id: int, payload: bytes) -> bytes:
    return struct.pack("<HI", record_id, len(payload)) + payload


def _rec_pair(record_id: int, text: str, unicode_id: int, codepage: int) -> bytes:
    """A record with an MBCS string followed by its Unicode twin (a 2-byte id, 4-byte size)."""
    return _rec(record_id, text.encode(f"cp{codepage}")) + _rec(unicode_id, text.encode("utf-16-le"))


def _reference(ref: Reference, codepage: int) -> bytes:
    out = _rec_pair(0x0016, ref.name, 0x003E, codepage)  # REFERENCENAME
    if isinstance(ref, RegisteredReference):
        libid = ref.libid.encode(f"cp{codepage}")
        return out + _rec(0x000D, struct.pack("<I", len(libid)) + libid + struct.pack("<IH", 0, 0))
    absolute = ref.libid_absolute.encode(f"cp{codepage}")
    relative = ref.libid_relative.encode(f"cp{codepage}")
    payload = (struct.pack("<I", len(absolute)) + absolute + struct.pack("<I", len(relative)) + relative
               + struct.pack("<IH", ref.major_version, ref.minor_version))
    return out + _rec(0x000E, payload)


def dir_stream(modules: Sequence[Module], references: Sequence[Reference] = (), *,
               project_name: str = "VBAProject", codepage: int = 1252, syskind: int = SYSKIND_WIN64,
               lcid: int = 0x0409, version: tuple[int, int] = (1, 0), constants: str = "") -> bytes:
    """The uncompressed ``dir`` stream (MS-OVBA 2.3.4.2): project information, references, modules."""
    out = bytearray()
    out += _rec(0x0001, struct.pack("<I", syskind))  # PROJECTSYSKIND
    out += _rec(0x004A, struct.pack("<I", 2))  # PROJECTCOMPATVERSION, as written by Office 2010+
    out += _rec(0x0002, struct.pack("<I", lcid))  # PROJECTLCID
    out += _rec(0x0014, struct.pack("<I", lcid))  # PROJECTLCIDINVOKE
    out += _rec(0x0003, struct.pack("<H", codepage))  # PROJECTCODEPAGE
    out += _rec(0x0004, project_name.encode(f"cp{codepage}"))  # PROJECTNAME
    out += _rec_pair(0x0005, "", 0x0040, codepage)  # PROJECTDOCSTRING
    out += _rec_pair(0x0006, "", 0x003D, codepage)  # PROJECTHELPFILEPATH (twice the same path)
    out += _rec(0x0007, struct.pack("<I", 0))  # PROJECTHELPCONTEXT
    out += _rec(0x0008, struct.pack("<I", 0))  # PROJECTLIBFLAGS
    out += struct.pack("<HIIH", 0x0009, 4, version[0], version[1])  # PROJECTVERSION (Reserved = 4)
    out += _rec_pair(0x000C, constants, 0x003C, codepage)  # PROJECTCONSTANTS
    for ref in references:
        out += _reference(ref, codepage)
    out += _rec(0x000F, struct.pack("<H", len(modules)))  # PROJECTMODULES
    out += _rec(0x0013, struct.pack("<H", 0xFFFF))  # PROJECTCOOKIE
    for m in modules:
        stream = m.stream_name or m.name
        out += _rec(0x0019, m.name.encode(f"cp{codepage}"))  # MODULENAME
        out += _rec(0x0047, m.name.encode("utf-16-le"))  # MODULENAMEUNICODE
        out += _rec_pair(0x001A, stream, 0x0032, codepage)  # MODULESTREAMNAME
        out += _rec_pair(0x001C, "", 0x0048, codepage)  # MODULEDOCSTRING
        out += _rec(0x0031, struct.pack("<I", 0))  # MODULEOFFSET: no performance cache
        out += _rec(0x001E, struct.pack("<I", 0))  # MODULEHELPCONTEXT
        out += _rec(0x002C, struct.pack("<H", 0xFFFF))  # MODULECOOKIE
        out += _rec(0x0021 if m.kind == STANDARD else 0x0022, b"")  # MODULETYPE procedural / other
        out += _rec(0x002B, b"")  # module terminator
    out += _rec(0x0010, b"")  # dir terminator
    return bytes(out)


def projectwm_stream(modules: Sequence[Module], codepage: int = 1252) -> bytes:
    """``PROJECTwm`` (MS-OVBA 2.3.3): each module name in MBCS then UTF-16, NUL-terminated."""
    out = bytearray()
    for m in modules:
        out += m.name.encode(f"cp{codepage}") + b"\x00" + m.name.encode("utf-16-le") + b"\x00\x00"
    return bytes(out + b"\x00\x00")


def vba_project_stream() -> bytes:
    """``_VBA_PROJECT`` (MS-OVBA 2.3.4.1): Reserved1 0x61CC, Version 0xFFFF, then 0x00 and 0x0000."""
    return struct.pack("<HHBH", 0x61CC, 0xFFFF, 0x00, 0x0000)


def project_stream(modules: Sequence[Module], project_name: str = "VBAProject",
                   project_id: str = PROJECT_ID, codepage: int = 1252, seed: int = 0x4A) -> bytes:
    """The ``PROJECT`` stream (MS-OVBA 2.3.1): module list, name, unprotected and visible."""
    lines = [f'ID="{project_id}"']
    for m in modules:
        if m.kind == DOCUMENT:
            lines.append(f"Document={m.name}/&H00000000")
        else:
            lines.append(f"{'Module' if m.kind == STANDARD else 'Class'}={m.name}")
    protection = encrypt(struct.pack("<I", 0), project_id, seed)  # not locked
    password = encrypt(bytes([0]), project_id, seed + 1)  # no password
    visibility = encrypt(bytes([0xFF]), project_id, seed + 2)  # visible
    lines += [f'Name="{project_name}"', 'HelpContextID="0"', 'VersionCompatible32="393222000"',
              f'CMG="{protection}"', f'DPB="{password}"', f'GC="{visibility}"',
              "", "[Host Extender Info]", HOST_EXTENDER, "", "[Workspace]"]
    lines += [f"{m.name}=0, 0, 0, 0, C" for m in modules]
    return ("\r\n".join(lines) + "\r\n").encode(f"cp{codepage}")


def encrypt(data: bytes, project_id: str, seed: int) -> str:
    """MS-OVBA 2.4.3.2 data encryption (an obfuscation), as the hex text of the PROJECT stream.

    The ignored bytes are fixed (not random) so that builds are reproducible.
    """
    seed &= 0xFF
    proj_key = sum(project_id.encode("latin-1")) & 0xFF
    out = bytearray([seed, seed ^ 2, seed ^ proj_key])
    unencrypted1, encrypted1, encrypted2 = proj_key, out[2], out[1]
    plain = bytes([0] * ((seed & 6) // 2)) + struct.pack("<I", len(data)) + data
    for byte in plain:
        enc = ((encrypted2 + unencrypted1) & 0xFF) ^ byte
        out.append(enc)
        encrypted2, encrypted1, unencrypted1 = encrypted1, enc, byte
    return out.hex().upper()


def decrypt(text: str) -> bytes:
    """The data hidden by :func:`encrypt` (MS-OVBA 2.4.3.3); reads Excel's CMG, DPB and GC too."""
    raw = bytes.fromhex(text)
    seed, version_enc, proj_key_enc = raw[0], raw[1], raw[2]
    if seed ^ version_enc != 2:
        raise ValueError("unsupported encryption version")
    unencrypted1, encrypted1, encrypted2 = seed ^ proj_key_enc, proj_key_enc, version_enc
    plain = bytearray()
    for enc in raw[3:]:
        byte = enc ^ ((encrypted2 + unencrypted1) & 0xFF)
        plain.append(byte)
        encrypted2, encrypted1, unencrypted1 = encrypted1, enc, byte
    ignored = (seed & 6) // 2
    (length,) = struct.unpack_from("<I", plain, ignored)
    return bytes(plain[ignored + 4: ignored + 4 + length])

