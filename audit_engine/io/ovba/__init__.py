"""Build an Excel VBA project (``xl/vbaProject.bin``) from plain-text module sources, without Excel.

The writer follows [MS-OVBA] (compression, ``dir``/``PROJECT``/``PROJECTwm``/``_VBA_PROJECT``
streams) and [MS-CFB] (the compound file around them). The project carries no compiled code: Excel
compiles it from the sources when it opens the workbook. Modules of the template live as ``.bas``
files under ``addin/vba/``; each sheet and the workbook also get a (code-less) document module whose
name must equal the sheet's ``codeName`` (XlsxWriter: ``set_vba_name``).

>>> bas = 'Attribute VB_Name = "Module_Demo"\\nSub Bonjour()\\n    MsgBox "Bonjour"\\nEnd Sub\\n'
>>> modules = [document_module("ThisWorkbook", BASE_WORKBOOK), document_module("Feuil1"), module_from_bas(bas)]
>>> data = build_vba_project(modules)
>>> data[:4].hex()
'd0cf11e0'
>>> info = read_vba_project(data)
>>> [m.name for m in info.modules], info.module("Module_Demo").source.splitlines()[2]
(['ThisWorkbook', 'Feuil1', 'Module_Demo'], '    MsgBox "Bonjour"')
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .cfb import read_compound_file, write_compound_file
from .compression import compress, decompress
from .project import (
    BASE_WORKBOOK,
    BASE_WORKSHEET,
    CLASS,
    DOCUMENT,
    PROJECT_ID,
    STANDARD,
    SYSKIND_MAC,
    SYSKIND_WIN32,
    SYSKIND_WIN64,
    Module,
    ProjectReference,
    Reference,
    RegisteredReference,
    dir_stream,
    document_module,
    project_stream,
    projectwm_stream,
    vba_project_stream,
)
from .reader import ModuleInfo, VbaProjectInfo, read_vba_project

__all__ = [
    "BASE_WORKBOOK", "BASE_WORKSHEET", "CLASS", "DOCUMENT", "STANDARD", "SYSKIND_MAC", "SYSKIND_WIN32",
    "SYSKIND_WIN64", "Module", "ModuleInfo", "ProjectReference", "Reference", "RegisteredReference",
    "VbaProjectInfo", "build_vba_project", "compress", "decompress", "document_module", "module_from_bas",
    "read_compound_file", "read_vba_project", "write_compound_file",
]

_VB_NAME = re.compile(r'^Attribute VB_Name = "([^"]+)"', re.MULTILINE)
_CLASS_HEADER = re.compile(r"\AVERSION 1\.0 CLASS\r?\nBEGIN\r?\n.*?^END\r?\n", re.DOTALL | re.MULTILINE)


def module_from_bas(text: str) -> Module:
    """A module from the text the VBA editor exports (``.bas``; ``.cls`` gives a class module).

    The name comes from ``Attribute VB_Name``; a ``.cls`` header (``VERSION 1.0 CLASS`` ...
    ``END``) is not part of the stored source and is dropped.
    """
    match = _VB_NAME.search(text)
    if match is None:
        raise ValueError('a module source must start with Attribute VB_Name = "..."')
    header = _CLASS_HEADER.match(text)
    if header:
        return Module(match.group(1), text[header.end():], CLASS)
    return Module(match.group(1), text, STANDARD)


def build_vba_project(modules: Sequence[Module], references: Sequence[Reference] = (), *,
                      project_name: str = "VBAProject", codepage: int = 1252,
                      syskind: int = SYSKIND_WIN64, project_id: str = PROJECT_ID) -> bytes:
    """The bytes of a ``vbaProject.bin`` holding ``modules`` (deterministic for the same input)."""
    names = [m.name for m in modules]
    if len(set(n.upper() for n in names)) != len(names):
        raise ValueError(f"duplicate module names: {names}")
    for m in modules:
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{0,30}", m.name):
            raise ValueError(f"invalid VBA module name: {m.name!r}")
        declared = _VB_NAME.search(m.source)
        if declared is None or declared.group(1) != m.name:
            raise ValueError(f'module {m.name}: its source must declare Attribute VB_Name = "{m.name}"')
    vba: dict[str, bytes] = {
        "_VBA_PROJECT": vba_project_stream(),
        "dir": compress(dir_stream(modules, references, project_name=project_name, codepage=codepage,
                                   syskind=syskind)),
    }
    for m in modules:
        vba[m.stream_name or m.name] = compress(m.text_bytes(codepage))
    return write_compound_file({
        "PROJECT": project_stream(modules, project_name, project_id, codepage),
        "PROJECTwm": projectwm_stream(modules, codepage),
        "VBA": vba,  # type: ignore[dict-item]
    })
