"""Read a ``vbaProject.bin`` back: project name, code page, references and each module's source.

It reads what :func:`audit_engine.io.ovba.build_vba_project` writes and what Excel writes (it skips
Excel's performance cache through ``MODULEOFFSET``), so tests can compare the two.

>>> from audit_engine.io.ovba import Module, build_vba_project
>>> info = read_vba_project(build_vba_project([Module("M", 'Attribute VB_Name = "M"\\nSub A()\\nEnd Sub\\n')]))
>>> info.name, info.codepage, [(m.name, m.kind) for m in info.modules]
('VBAProject', 1252, [('M', 'standard')])
>>> info.modules[0].source.splitlines()[1]
'Sub A()'
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from .cfb import read_compound_file
from .compression import decompress
from .project import CLASS, DOCUMENT, STANDARD, ProjectReference, Reference, RegisteredReference


@dataclass(frozen=True)
class ModuleInfo:
    name: str
    stream_name: str
    kind: str  # standard | class | document
    source: str  # decoded with the project's code page, CRLF line endings kept
    source_bytes: bytes


@dataclass(frozen=True)
class VbaProjectInfo:
    name: str
    codepage: int
    syskind: int
    references: tuple[Reference, ...]
    modules: tuple[ModuleInfo, ...]
    project_text: str  # the PROJECT stream

    def module(self, name: str) -> ModuleInfo:
        for m in self.modules:
            if m.name == name:
                return m
        raise KeyError(name)


def dir_records(data: bytes) -> list[tuple[int, bytes]]:
    """The (id, payload) records of an uncompressed ``dir`` stream, in order."""
    records, pos = [], 0
    while pos + 6 <= len(data):
        record_id, size = struct.unpack_from("<HI", data, pos)
        if record_id == 0x0009:  # PROJECTVERSION: its Reserved field (4) is not the payload size
            size = 6
        records.append((record_id, data[pos + 6: pos + 6 + size]))
        pos += 6 + size
        if record_id == 0x0010:
            break
    return records


def _references(records: list[tuple[int, bytes]], enc: str) -> tuple[Reference, ...]:
    refs: list[Reference] = []
    name = ""
    for record_id, payload in records:
        if record_id == 0x0016:
            name = payload.decode(enc)
        elif record_id == 0x000D:
            (n,) = struct.unpack_from("<I", payload)
            refs.append(RegisteredReference(name, payload[4:4 + n].decode(enc)))
        elif record_id == 0x000E:
            (n,) = struct.unpack_from("<I", payload)
            absolute = payload[4:4 + n].decode(enc)
            (m,) = struct.unpack_from("<I", payload, 4 + n)
            relative = payload[8 + n:8 + n + m].decode(enc)
            major, minor = struct.unpack_from("<IH", payload, 8 + n + m)
            refs.append(ProjectReference(name, absolute, relative, major, minor))
        elif record_id == 0x000F:
            break
    return tuple(refs)


def read_vba_project(data: bytes) -> VbaProjectInfo:
    """Everything a test or a diagnostic needs from a ``vbaProject.bin``."""
    tree = read_compound_file(data)
    vba = tree["VBA"]
    assert isinstance(vba, dict)
    records = dir_records(decompress(vba["dir"]))  # type: ignore[arg-type]
    values = dict(records)
    codepage = struct.unpack("<H", values[0x0003])[0]
    enc = f"cp{codepage}"
    project_text = tree.get("PROJECT", b"").decode(enc)  # type: ignore[union-attr]
    classes = {line.split("=", 1)[1] for line in project_text.splitlines() if line.startswith("Class=")}
    documents = {line.split("=", 1)[1].split("/")[0] for line in project_text.splitlines()
                 if line.startswith("Document=")}
    modules: list[ModuleInfo] = []
    current: dict[int, bytes] = {}
    for record_id, payload in records[[r for r, _ in records].index(0x000F):]:
        if record_id in (0x0019, 0x001A, 0x0031, 0x0021, 0x0022):
            current[record_id] = payload
        elif record_id == 0x002B:
            name = current[0x0019].decode(enc)
            stream_name = current[0x001A].decode(enc)
            offset = struct.unpack("<I", current[0x0031])[0]
            raw = decompress(vba[stream_name][offset:])  # type: ignore[index]
            kind = STANDARD if 0x0021 in current else (
                CLASS if name in classes else DOCUMENT if name in documents else CLASS)
            modules.append(ModuleInfo(name, stream_name, kind, raw.decode(enc), raw))
            current = {}
    return VbaProjectInfo(values[0x0004].decode(enc), codepage, struct.unpack("<I", values[0x0001])[0],
                          _references(records, enc), tuple(modules), project_text)
