"""A minimal compound file (MS-CFB version 3, 512-byte sectors): the container of ``vbaProject.bin``.

:func:`write_compound_file` takes a tree of storages (dicts) and streams (bytes) and lays it out
deterministically: header, FAT, mini FAT, directory, mini stream, then the large streams; no
timestamps, no CLSIDs, no free sectors. Streams under 4096 bytes live in the mini stream, as the
format requires. :func:`read_compound_file` reads such a file back (any version 3 file without
DIFAT sectors, which is every ``vbaProject.bin`` of a few megabytes or less).

>>> data = write_compound_file({"PROJECT": b"Name=x", "VBA": {"dir": b"\\x01", "Module1": b"\\x01"}})
>>> data[:8].hex(), len(data) % 512
('d0cf11e0a1b11ae1', 0)
>>> read_compound_file(data)
{'PROJECT': b'Name=x', 'VBA': {'Module1': b'\\x01', 'dir': b'\\x01'}}
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from typing import Union

SECTOR = 512
MINI_SECTOR = 64
MINI_CUTOFF = 4096
MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")
FREESECT, ENDOFCHAIN, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
_STORAGE, _STREAM, _ROOT = 1, 2, 5
_RED, _BLACK = 0, 1

Tree = dict[str, Union[bytes, "Tree"]]


class CompoundFileError(ValueError):
    """The bytes are not a compound file this module can read."""


@dataclass
class _Entry:
    name: str
    kind: int
    data: bytes = b""
    children: list[_Entry] = field(default_factory=list)
    index: int = 0
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM
    color: int = _BLACK
    start: int = ENDOFCHAIN
    size: int = 0


def _sort_key(name: str) -> tuple[int, str]:
    """MS-CFB 2.6.4: shorter names first, then code points of the upper-cased names."""
    return len(name.encode("utf-16-le")), name.upper()


def _entries(tree: Tree) -> list[_Entry]:
    """Directory entries in a fixed order (root first, then each storage's children sorted)."""
    root = _Entry("Root Entry", _ROOT)
    flat = [root]

    def add(parent: _Entry, subtree: Tree) -> None:
        for name in sorted(subtree, key=_sort_key):
            value = subtree[name]
            if not 0 < len(name) <= 31 or any(c in name for c in "/\\:!"):
                raise ValueError(f"invalid compound file entry name: {name!r}")
            entry = _Entry(name, _STREAM if isinstance(value, bytes | bytearray) else _STORAGE)
            entry.index = len(flat)
            flat.append(entry)
            parent.children.append(entry)
            if entry.kind == _STREAM:
                entry.data = bytes(value)  # type: ignore[arg-type]
            else:
                add(entry, value)  # type: ignore[arg-type]

    add(root, tree)
    for entry in flat:
        entry.child = _balanced(entry.children, 0, _depth(len(entry.children)))
    return flat


def _depth(n: int) -> int:
    return max(n.bit_length() - 1, 0)


def _balanced(items: list[_Entry], depth: int, max_depth: int) -> int:
    """Build a red-black tree over sorted siblings: a balanced tree, its incomplete last level red."""
    if not items:
        return NOSTREAM
    mid = len(items) // 2
    node = items[mid]
    # every null link of a middle-split tree sits at depth max_depth or max_depth + 1: painting the
    # deepest level red keeps the black height equal on all paths (a valid red-black tree)
    node.color = _RED if depth == max_depth and depth > 0 else _BLACK
    node.left = _balanced(items[:mid], depth + 1, max_depth)
    node.right = _balanced(items[mid + 1:], depth + 1, max_depth)
    return node.index


def _chain(fat: list[int], first: int, count: int) -> int:
    """Chain ``count`` consecutive sectors from ``first`` in ``fat``; return the start (or ENDOFCHAIN)."""
    for i in range(count):
        fat[first + i] = first + i + 1 if i < count - 1 else ENDOFCHAIN
    return first if count else ENDOFCHAIN


def _sectors(n_bytes: int, size: int) -> int:
    return -(-n_bytes // size)


def write_compound_file(tree: Tree) -> bytes:
    """The compound file holding ``tree`` ({name: bytes} for streams, {name: {...}} for storages)."""
    entries = _entries(tree)
    streams = [e for e in entries if e.kind == _STREAM]
    small = [e for e in streams if len(e.data) < MINI_CUTOFF]
    large = [e for e in streams if len(e.data) >= MINI_CUTOFF]

    mini_stream = bytearray()
    mini_fat: list[int] = []
    for e in small:
        count = _sectors(len(e.data), MINI_SECTOR)
        e.start = _chain_mini(mini_fat, count)
        e.size = len(e.data)
        mini_stream += e.data.ljust(count * MINI_SECTOR, b"\x00")

    n_minifat = _sectors(len(mini_fat) * 4, SECTOR)
    n_dir = _sectors(len(entries) * 128, SECTOR)
    n_ministream = _sectors(len(mini_stream), SECTOR)
    n_large = sum(_sectors(len(e.data), SECTOR) for e in large)
    n_other = n_minifat + n_dir + n_ministream + n_large
    n_fat = 1
    while n_fat * (SECTOR // 4) < n_fat + n_other:
        n_fat += 1
    if n_fat > 109:
        raise ValueError("compound file too large for a header-only DIFAT (about 7 MB)")

    fat = [FREESECT] * (n_fat * SECTOR // 4)
    for i in range(n_fat):
        fat[i] = FATSECT
    sector = n_fat
    first_minifat = _chain(fat, sector, n_minifat)
    sector += n_minifat
    first_dir = _chain(fat, sector, n_dir)
    sector += n_dir
    root = entries[0]
    root.start = _chain(fat, sector, n_ministream)
    root.size = len(mini_stream)
    sector += n_ministream
    for e in large:
        count = _sectors(len(e.data), SECTOR)
        e.start = _chain(fat, sector, count)
        e.size = len(e.data)
        sector += count

    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII", MAGIC, b"\x00" * 16, 0x003E, 0x0003, 0xFFFE, 9, 6, b"\x00" * 6,
        0, n_fat, first_dir, 0, MINI_CUTOFF, first_minifat, n_minifat, ENDOFCHAIN, 0,
    )
    difat = list(range(n_fat)) + [FREESECT] * (109 - n_fat)
    header += struct.pack("<109I", *difat)

    body = bytearray(struct.pack(f"<{len(fat)}I", *fat))
    minifat_bytes = struct.pack(f"<{len(mini_fat)}I", *mini_fat)
    body += _pad(minifat_bytes, SECTOR, b"\xff")
    directory = b"".join(_dir_entry(e) for e in entries)
    free_entry = b"\x00" * 68 + struct.pack("<III", NOSTREAM, NOSTREAM, NOSTREAM) + b"\x00" * 48
    body += directory + free_entry * (n_dir * 4 - len(entries))
    body += _pad(bytes(mini_stream), SECTOR, b"\x00")
    for e in large:
        body += _pad(e.data, SECTOR, b"\x00")
    return bytes(header) + bytes(body)


def _chain_mini(mini_fat: list[int], count: int) -> int:
    first = len(mini_fat)
    mini_fat.extend([FREESECT] * count)
    return _chain(mini_fat, first, count)


def _pad(data: bytes, size: int, fill: bytes) -> bytes:
    return data + fill * ((-len(data)) % size)


def _dir_entry(e: _Entry) -> bytes:
    name = e.name.encode("utf-16-le") + b"\x00\x00"
    return struct.pack(
        "<64sHBBIII16sIQQIQ", name, len(name), e.kind, e.color, e.left, e.right, e.child,
        b"\x00" * 16, 0, 0, 0, e.start if (e.size or e.kind == _ROOT) else ENDOFCHAIN, e.size,
    )


def read_compound_file(data: bytes) -> Tree:
    """The storages and streams of a compound file, as nested dicts (names sorted)."""
    if data[:8] != MAGIC:
        raise CompoundFileError("not a compound file (bad signature)")
    shift, mini_shift = struct.unpack_from("<HH", data, 0x1E)
    n_fat, first_dir, _, cutoff, first_minifat, _, _, n_difat = struct.unpack_from("<IIIIIIII", data, 0x2C)
    if n_difat:
        raise CompoundFileError("compound files with DIFAT sectors are not supported")
    size, mini_size = 1 << shift, 1 << mini_shift
    header_size = max(SECTOR, size)
    fat_sectors = struct.unpack_from(f"<{min(n_fat, 109)}I", data, 0x4C)

    def sector(n: int) -> bytes:
        return data[header_size + n * size: header_size + (n + 1) * size]

    fat = [v for s in fat_sectors for v in struct.unpack(f"<{size // 4}I", sector(s))]

    def follow(table: list[int], start: int) -> list[int]:
        out: list[int] = []
        while start not in (ENDOFCHAIN, FREESECT) and len(out) <= len(table):
            out.append(start)
            start = table[start]
        return out

    def stream(start: int) -> bytes:
        return b"".join(sector(s) for s in follow(fat, start))

    directory = stream(first_dir)
    minifat_raw = stream(first_minifat) if first_minifat != ENDOFCHAIN else b""
    mini_fat = list(struct.unpack(f"<{len(minifat_raw) // 4}I", minifat_raw))
    records = [struct.unpack_from("<64sHBBIII16sIQQIQ", directory, i) for i in range(0, len(directory), 128)]
    mini_stream = stream(records[0][11])

    def entry_data(rec: tuple) -> bytes:
        start, length = rec[11], rec[12] & 0xFFFFFFFF
        if length < cutoff:
            chunks = [mini_stream[s * mini_size:(s + 1) * mini_size] for s in follow(mini_fat, start)]
            return b"".join(chunks)[:length]
        return stream(start)[:length]

    def siblings(index: int, out: list[int]) -> list[int]:
        if index != NOSTREAM and len(out) < len(records):
            siblings(records[index][4], out)
            out.append(index)
            siblings(records[index][5], out)
        return out

    def tree(index: int) -> Tree:
        result: Tree = {}
        for i in siblings(records[index][6], []):
            rec = records[i]
            name = rec[0][: max(rec[1] - 2, 0)].decode("utf-16-le")
            result[name] = tree(i) if rec[2] == _STORAGE else entry_data(rec)
        return dict(sorted(result.items()))

    return tree(0)
