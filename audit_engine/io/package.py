"""An OOXML package (a zip of parts) read lazily, and rewritten with untouched parts copied raw.

:class:`Package` reads the zip's directory, the content types and relationships; a part is only
decompressed when asked for. :func:`write_package` writes a new zip where every part that is not
changed is copied **raw**: its compressed bytes, CRC-32 and sizes exactly as they are, without
decompressing or recompressing them (a 50 MB worksheet costs a file copy, not a deflate). Changed
and new parts are deflated. Python's :mod:`zipfile` has no public raw-copy API, so :class:`RawZipWriter`
writes the records itself, following PKWARE's APPNOTE.TXT (6.3.x):

- 4.3.7 local file header, read at ``ZipInfo.header_offset`` to find where the data starts (30 bytes
  + name + extra); a fresh local header is written with the CRC and sizes of the central directory,
  so general-purpose flag bit 3 (4.4.4, sizes in a 4.3.9 data descriptor after the data) is cleared
  and the source's data descriptor is not copied;
- 4.3.12 central directory header and 4.3.16 end of central directory record;
- 4.5.3 Zip64 extended information extra field, 4.3.14 Zip64 end of central directory record and
  4.3.15 its locator, written when a size, an offset or the entry count overflows (or when forced).

Extra fields of copied entries (timestamps of Info-ZIP...) are not carried over; encrypted entries
(flag bit 0) are refused.

>>> import io, zipfile
>>> src = io.BytesIO()
>>> with zipfile.ZipFile(src, "w", zipfile.ZIP_DEFLATED) as z:
...     z.writestr("[Content_Types].xml", "<Types/>"); z.writestr("a.xml", "<a/>" * 1000)
>>> pkg = Package.open(src.getvalue())
>>> out = io.BytesIO()
>>> write_package(pkg, out, changed={"b.xml": b"<b/>"}, removed={"[Content_Types].xml"})
>>> z = zipfile.ZipFile(out); z.namelist(), z.testzip(), z.getinfo("a.xml").CRC == pkg.info("a.xml").CRC
(['a.xml', 'b.xml'], None, True)
"""

from __future__ import annotations

import io
import posixpath
import struct
import zipfile
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote, unquote
from xml.etree import ElementTree as ET

CT_PART = "[Content_Types].xml"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_LOCAL = struct.Struct("<IHHHHHIIIHH")  # 4.3.7
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")  # 4.3.12
_EOCD = struct.Struct("<IHHHHIIH")  # 4.3.16
_EOCD64 = struct.Struct("<IQHHIIQQQQ")  # 4.3.14
_LOCATOR64 = struct.Struct("<IIQI")  # 4.3.15
_MAX32, _MAX16 = 0xFFFFFFFF, 0xFFFF
_CHUNK = 1 << 20
_FAST_DEFLATE = 4 << 20
_FIXED_DATE = (1980, 1, 1, 0, 0, 0)  # new parts: reproducible bytes


@dataclass(frozen=True)
class Rel:
    """One relationship: ``target`` is the part name (resolved, no leading "/") unless ``external``."""

    id: str
    type: str
    target: str
    external: bool = False

    @property
    def kind(self) -> str:
        """The last segment of the type URI: "worksheet", "drawing", "chart"..."""
        return self.type.rsplit("/", 1)[-1]


def rels_part(part: str) -> str:
    """The relationships part of ``part`` ("" is the package): xl/workbook.xml -> xl/_rels/workbook.xml.rels."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def resolve(source: str, target: str) -> str:
    """The part name a relationship ``target`` of ``source`` points to (URI-decoded, no leading "/")."""
    target = unquote(target.split("#", 1)[0])
    if target.startswith("/"):
        return posixpath.normpath(target).lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target)).lstrip("/")


def relative(source: str, part: str) -> str:
    """The relationship target that points from ``source`` to ``part`` (URI-encoded)."""
    return quote(posixpath.relpath(part, posixpath.dirname(source) or "."), safe="/")


class Package:
    """A zip package opened for reading: its entries, content types and relationships."""

    def __init__(self, fileobj: BinaryIO, label: str = "<bytes>") -> None:
        self._fp = fileobj
        self.label = label
        self.zip = zipfile.ZipFile(fileobj)
        self.infos = {i.filename: i for i in self.zip.infolist()}
        self._lower = {name.lower(): name for name in self.infos}
        self._rels: dict[str, list[Rel]] = {}
        self._types: tuple[dict[str, str], dict[str, str]] | None = None

    @classmethod
    def open(cls, source: str | Path | bytes) -> Package:
        if isinstance(source, bytes | bytearray):
            return cls(io.BytesIO(bytes(source)))
        fh = Path(source).open("rb")
        try:
            return cls(fh, str(source))
        except BaseException:
            fh.close()
            raise

    def close(self) -> None:
        self.zip.close()
        self._fp.close()

    def __enter__(self) -> Package:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def names(self) -> list[str]:
        return list(self.infos)

    def find(self, part: str) -> str | None:
        """The entry name of ``part`` (part names are case-insensitive), or None."""
        return self._lower.get(part.lower())

    def __contains__(self, part: str) -> bool:
        return self.find(part) is not None

    def info(self, part: str) -> zipfile.ZipInfo:
        return self.infos[self.find(part) or part]

    def read(self, part: str) -> bytes:
        return self.zip.read(self.info(part))

    def rels(self, part: str) -> list[Rel]:
        """The relationships of ``part`` ("" for the package's own ``_rels/.rels``), targets resolved."""
        if part not in self._rels:
            name = rels_part(part)
            found: list[Rel] = []
            if name in self:
                for r in ET.fromstring(self.read(name)):
                    external = r.get("TargetMode") == "External"
                    target = r.get("Target", "")
                    if not external:
                        target = resolve(part or "/", target)
                        target = self.find(target) or target
                    found.append(Rel(r.get("Id", ""), r.get("Type", ""), target, external))
            self._rels[part] = found
        return self._rels[part]

    def content_types(self) -> tuple[dict[str, str], dict[str, str]]:
        """(defaults by lower-case extension, overrides by lower-case part name without "/")."""
        if self._types is None:
            root = ET.fromstring(self.read(CT_PART))
            defaults = {e.get("Extension", "").lower(): e.get("ContentType", "")
                        for e in root if e.tag == f"{{{CT_NS}}}Default"}
            overrides = {e.get("PartName", "").lstrip("/").lower(): e.get("ContentType", "")
                         for e in root if e.tag == f"{{{CT_NS}}}Override"}
            self._types = (defaults, overrides)
        return self._types

    def content_type(self, part: str) -> str | None:
        defaults, overrides = self.content_types()
        return overrides.get(part.lower()) or defaults.get(posixpath.splitext(part)[1][1:].lower())

    def raw_entry(self, part: str) -> tuple[zipfile.ZipInfo, int]:
        """The entry of ``part`` and the offset of its compressed data (after the local header, 4.3.7)."""
        info = self.info(part)
        if info.flag_bits & 0x1:
            raise ValueError(f"{self.label}: encrypted zip entry {info.filename!r}")
        self._fp.seek(info.header_offset)
        head = self._fp.read(_LOCAL.size)
        fields = _LOCAL.unpack(head)
        if fields[0] != 0x04034B50:
            raise zipfile.BadZipFile(f"{self.label}: bad local header for {info.filename!r}")
        return info, info.header_offset + _LOCAL.size + fields[9] + fields[10]

    def copy_raw(self, part: str, out: BinaryIO) -> None:
        """Copy the compressed bytes of ``part`` to ``out`` as they are."""
        info, offset = self.raw_entry(part)
        self._fp.seek(offset)
        left = info.compress_size
        while left:
            chunk = self._fp.read(min(_CHUNK, left))
            if not chunk:
                raise zipfile.BadZipFile(f"{self.label}: truncated entry {info.filename!r}")
            out.write(chunk)
            left -= len(chunk)


def _dos_time(date_time: tuple[int, ...]) -> tuple[int, int]:
    y, mo, d, h, mi, s = date_time
    return (h << 11) | (mi << 5) | (s // 2), (max(y, 1980) - 1980) << 9 | (mo << 5) | d


@dataclass
class _Entry:
    name: bytes
    flags: int
    method: int
    date_time: tuple[int, ...]
    crc: int
    csize: int
    usize: int
    offset: int = 0
    made_by: int = 20
    needed: int = 20
    internal: int = 0
    external: int = 0
    comment: bytes = b""


class RawZipWriter:
    """Write zip entries one after the other: raw copies of other zips' entries, or new deflated data."""

    def __init__(self, out: BinaryIO, force_zip64: bool = False) -> None:
        self.out = out
        self.force_zip64 = force_zip64
        self.entries: list[_Entry] = []
        self._start = out.tell() if out.seekable() else 0

    def _pos(self) -> int:
        return self.out.tell() - self._start

    def _local(self, e: _Entry) -> None:
        e.offset = self._pos()
        zip64 = self.force_zip64 or e.csize >= _MAX32 or e.usize >= _MAX32
        extra = struct.pack("<HHQQ", 1, 16, e.usize, e.csize) if zip64 else b""
        time, date = _dos_time(e.date_time)
        needed = max(e.needed, 45) if zip64 else e.needed
        self.out.write(_LOCAL.pack(0x04034B50, needed, e.flags, e.method, time, date, e.crc,
                                   _MAX32 if zip64 else e.csize, _MAX32 if zip64 else e.usize,
                                   len(e.name), len(extra)) + e.name + extra)

    def copy(self, pkg: Package, part: str, name: str | None = None) -> None:
        """Copy the entry ``part`` of ``pkg`` raw (optionally under a new ``name``)."""
        info = pkg.info(part)
        flags = info.flag_bits & ~0x8  # sizes go in the local header: no data descriptor
        if name is None:  # the name's bytes as they were: UTF-8 (flag bit 11) or CP437
            encoded = info.orig_filename.encode("utf-8" if flags & 0x800 else "cp437")
        else:
            encoded = name.encode("utf-8")
            flags = (flags | 0x800) if not name.isascii() else (flags & ~0x800)
        e = _Entry(encoded, flags, info.compress_type, info.date_time, info.CRC, info.compress_size,
                   info.file_size, made_by=(info.create_system << 8) | info.create_version,
                   needed=info.extract_version, internal=info.internal_attr, external=info.external_attr,
                   comment=info.comment)
        self._local(e)
        pkg.copy_raw(part, self.out)
        self.entries.append(e)

    def write(self, name: str, data: bytes, level: int | None = None) -> None:
        """Add ``data`` as a new deflated entry ``name`` (fixed date, so the output is reproducible);
        level 6 by default, 1 for parts over 4 MB (three times faster, a quarter bigger)."""
        level = level if level is not None else (6 if len(data) <= _FAST_DEFLATE else 1)
        comp = zlib.compressobj(level, zlib.DEFLATED, -15)
        packed = comp.compress(data) + comp.flush()
        e = _Entry(name.encode("utf-8"), 0x800 if not name.isascii() else 0, zipfile.ZIP_DEFLATED, _FIXED_DATE,
                   zlib.crc32(data), len(packed), len(data), external=0o600 << 16)
        self._local(e)
        self.out.write(packed)
        self.entries.append(e)

    def close(self) -> None:
        """Write the central directory (4.3.12) and its end records (4.3.14-16)."""
        cd_start = self._pos()
        for e in self.entries:
            big = [v for v in (e.usize, e.csize) if self.force_zip64 or v >= _MAX32]
            fields = [e.usize] * bool(big) + [e.csize] * bool(big)
            if self.force_zip64 or e.offset >= _MAX32:
                fields.append(e.offset)
            extra = struct.pack(f"<HH{len(fields)}Q", 1, 8 * len(fields), *fields) if fields else b""
            time, date = _dos_time(e.date_time)
            needed = max(e.needed, 45) if extra else e.needed
            self.out.write(_CENTRAL.pack(
                0x02014B50, e.made_by, needed, e.flags, e.method, time, date, e.crc,
                _MAX32 if big else e.csize, _MAX32 if big else e.usize, len(e.name), len(extra), len(e.comment),
                0, e.internal, e.external, _MAX32 if (self.force_zip64 or e.offset >= _MAX32) else e.offset)
                + e.name + extra + e.comment)
        cd_size, count = self._pos() - cd_start, len(self.entries)
        if self.force_zip64 or count >= _MAX16 or cd_start >= _MAX32 or cd_size >= _MAX32:
            eocd64 = self._pos()
            self.out.write(_EOCD64.pack(0x06064B50, 44, 45, 45, 0, 0, count, count, cd_size, cd_start))
            self.out.write(_LOCATOR64.pack(0x07064B50, 0, eocd64, 1))
            self.out.write(_EOCD.pack(0x06054B50, 0, 0, _MAX16, _MAX16, _MAX32, _MAX32, 0))
        else:
            self.out.write(_EOCD.pack(0x06054B50, 0, 0, count, count, cd_size, cd_start, 0))


def write_package(source: Package, out: str | Path | BinaryIO, *, changed: Mapping[str, bytes] | None = None,
                  removed: Iterable[str] = (), copied: Iterable[tuple[Package, str, str]] = (),
                  force_zip64: bool = False) -> None:
    """Write ``source`` to ``out``: entries in their order, ``removed`` left out, ``changed`` replaced
    (deflated), every other entry copied raw; then the new entries of ``changed`` and the raw ``copied``
    entries (package, part, new name) of other packages."""
    changed = dict(changed or {})
    gone = {p.lower() for p in removed}
    fh: BinaryIO = Path(out).open("wb") if isinstance(out, str | Path) else out
    try:
        writer = RawZipWriter(fh, force_zip64=force_zip64)
        done: set[str] = set()
        by_lower = {k.lower(): k for k in changed}
        for name in source.names:
            low = name.lower()
            if low in gone or name.endswith("/"):
                continue
            if low in by_lower:
                writer.write(name, changed[by_lower[low]])
                done.add(by_lower[low])
            else:
                writer.copy(source, name)
        for name, data in changed.items():
            if name not in done:
                writer.write(name, data)
        for pkg, part, name in copied:
            writer.copy(pkg, part, name)
        writer.close()
    finally:
        if isinstance(out, str | Path):
            fh.close()
