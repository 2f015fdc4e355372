"""MS-OVBA 2.4.1 compression: the LZ77 variant that stores VBA source code and the ``dir`` stream.

A *compressed container* is the signature byte ``0x01`` followed by chunks; each chunk holds at
most 4096 decompressed bytes, as a 2-byte header then either tokens (a flag byte announcing eight
literal bytes or 2-byte copy tokens) or, when compression does not fit, the 4096 raw bytes.

The three examples of MS-OVBA section 3.2 come out byte for byte:

>>> compress(b"abcdefghijklmnopqrstuv.").hex(" ")
'01 19 b0 00 61 62 63 64 65 66 67 68 00 69 6a 6b 6c 6d 6e 6f 70 00 71 72 73 74 75 76 2e'
>>> compress(b"a" * 73).hex(" ")
'01 03 b0 02 61 45 00'
>>> decompress(compress(b"Attribute VB_Name = \\"Module1\\"\\r\\n" * 3))[:9]
b'Attribute'

A raw chunk always decompresses to 4096 bytes (MS-OVBA 2.4.1.3.10 pads it with zeros); this only
happens for a last chunk of more than ~3600 incompressible bytes, never for source text.
"""

from __future__ import annotations

import struct

CHUNK_SIZE = 4096
_SIGNATURE = 0x01
_CHUNK_SIGNATURE = 0b011


class CompressionError(ValueError):
    """The bytes are not a valid MS-OVBA compressed container."""


def _copy_token_help(difference: int) -> tuple[int, int, int]:
    """(bit_count, length_mask, maximum_length) for a copy token ``difference`` bytes into a chunk.

    MS-OVBA 2.4.1.3.19.1: the offset takes ``max(ceil(log2(difference)), 4)`` bits, the length the
    rest, and the longest copy is ``(0xFFFF >> bit_count) + 3``.
    """
    bit_count = max((difference - 1).bit_length(), 4)
    length_mask = 0xFFFF >> bit_count
    return bit_count, length_mask, length_mask + 3


def _compress_chunk(chunk: bytes) -> bytes | None:
    """The token sequences of one chunk, or None when they would exceed 4096 bytes (raw chunk)."""
    out = bytearray()
    end = len(chunk)
    positions: dict[bytes, list[int]] = {}  # 3-byte prefix -> earlier positions, ascending
    indexed = 0  # positions before this one are in ``positions``
    current = 0
    while current < end:
        flag_index = len(out)
        out.append(0)
        flags = 0
        for bit in range(8):
            if current >= end:
                break
            best_length, best_candidate = 0, -1
            if current > 0 and end - current >= 3:
                for i in range(indexed, current):
                    positions.setdefault(chunk[i:i + 3], []).append(i)
                indexed = current
                _, _, maximum = _copy_token_help(current)
                limit = min(maximum, end - current)
                # Nearest candidate first; a farther one wins only with a strictly longer match
                # (MS-OVBA 2.4.1.3.19.4), so the output matches the reference algorithm.
                for candidate in reversed(positions.get(chunk[current:current + 3], ())):
                    length = 3
                    while length < limit and chunk[candidate + length] == chunk[current + length]:
                        length += 1
                    if length > best_length:
                        best_length, best_candidate = length, candidate
                        if length == limit:
                            break
            if best_length >= 3:
                bit_count, _, _ = _copy_token_help(current)
                token = ((current - best_candidate - 1) << (16 - bit_count)) | (best_length - 3)
                out += struct.pack("<H", token)
                flags |= 1 << bit
                current += best_length
            else:
                out.append(chunk[current])
                current += 1
            if len(out) > CHUNK_SIZE:
                return None
        out[flag_index] = flags
    return bytes(out)


def compress(data: bytes) -> bytes:
    """The MS-OVBA compressed container of ``data``."""
    out = bytearray([_SIGNATURE])
    for start in range(0, len(data), CHUNK_SIZE):
        chunk = bytes(data[start:start + CHUNK_SIZE])
        tokens = _compress_chunk(chunk)
        if tokens is None:  # raw chunk: 4096 bytes, zero-padded
            out += struct.pack("<H", (_CHUNK_SIGNATURE << 12) | (CHUNK_SIZE - 1))
            out += chunk.ljust(CHUNK_SIZE, b"\x00")
        else:
            header = 0x8000 | (_CHUNK_SIGNATURE << 12) | (len(tokens) + 2 - 3)
            out += struct.pack("<H", header) + tokens
    return bytes(out)


def decompress(data: bytes) -> bytes:
    """The bytes stored in the MS-OVBA compressed container ``data`` (MS-OVBA 2.4.1.3.1)."""
    if not data or data[0] != _SIGNATURE:
        raise CompressionError("not a compressed container: the first byte must be 0x01")
    out = bytearray()
    pos = 1
    while pos < len(data):
        if pos + 2 > len(data):
            raise CompressionError(f"truncated chunk header at byte {pos}")
        (header,) = struct.unpack_from("<H", data, pos)
        if (header >> 12) & 0b111 != _CHUNK_SIGNATURE:
            raise CompressionError(f"bad chunk signature at byte {pos}")
        chunk_end = min(pos + (header & 0x0FFF) + 3, len(data))
        pos += 2
        chunk_start = len(out)
        if not header & 0x8000:
            out += data[pos:pos + CHUNK_SIZE]
            pos += CHUNK_SIZE
            continue
        while pos < chunk_end:
            flags = data[pos]
            pos += 1
            for bit in range(8):
                if pos >= chunk_end:
                    break
                if not (flags >> bit) & 1:
                    out.append(data[pos])
                    pos += 1
                    continue
                if pos + 2 > chunk_end:
                    raise CompressionError(f"truncated copy token at byte {pos}")
                (token,) = struct.unpack_from("<H", data, pos)
                pos += 2
                difference = len(out) - chunk_start
                if difference == 0:
                    raise CompressionError(f"copy token before any literal at byte {pos - 2}")
                bit_count, length_mask, _ = _copy_token_help(difference)
                length = (token & length_mask) + 3
                offset = (token >> (16 - bit_count)) + 1
                if offset > difference:
                    raise CompressionError(f"copy token points before its chunk at byte {pos - 2}")
                source = len(out) - offset
                for i in range(length):  # byte by byte: source and destination may overlap
                    out.append(out[source + i])
    return bytes(out)
