"""MS-OVBA 2.4.1 compression: the spec's examples, round trips, and an independent decompressor."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from oletools.olevba import decompress_stream

from audit_engine.io.ovba import compress, decompress, read_compound_file
from audit_engine.io.ovba.compression import CHUNK_SIZE, CompressionError

# MS-OVBA section 3.2 (3.2.1 no compression, 3.2.2 normal, 3.2.3 maximum)
SPEC_EXAMPLES = [
    (b"abcdefghijklmnopqrstuv.",
     "01 19 B0 00 61 62 63 64 65 66 67 68 00 69 6A 6B 6C 6D 6E 6F 70 00 71 72 73 74 75 76 2E"),
    (b"#aaabcdefaaaaghijaaaaaklaaamnopqaaaaaaaaaaaarstuvwxyzaaa",
     "01 2F B0 00 23 61 61 61 62 63 64 65 82 66 00 70 61 67 68 69 6A 01 38 08 61 6B 6C 00 20 6D 6E 6F "
     "70 06 71 02 70 04 00 72 73 74 75 76 10 77 78 79 7A 00 2C"),
    (b"a" * 73, "01 03 B0 02 61 45 00"),
]

VBA_LIKE = st.text(alphabet=st.sampled_from(list("Sub EndIfThen()\"\r\n 'xyz=1é&_.,")), max_size=12000)


@pytest.mark.parametrize(("text", "compressed"), SPEC_EXAMPLES)
def test_spec_examples_compress_byte_for_byte(text, compressed):
    assert compress(text) == bytes.fromhex(compressed)


@pytest.mark.parametrize(("text", "compressed"), SPEC_EXAMPLES)
def test_spec_examples_decompress(text, compressed):
    assert decompress(bytes.fromhex(compressed)) == text


def test_empty_input_is_the_signature_alone():
    assert compress(b"") == b"\x01"
    assert decompress(b"\x01") == b""


@settings(max_examples=150, deadline=None)
@given(VBA_LIKE)
def test_round_trip_of_source_like_text(text):
    data = text.encode("cp1252")
    packed = compress(data)
    assert decompress(packed) == data
    assert bytes(decompress_stream(bytearray(packed))) == data  # oletools' decompressor agrees


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=3 * CHUNK_SIZE + 100))
def test_round_trip_of_random_bytes(data):
    out = decompress(compress(data))
    # a raw (incompressible) last chunk is zero-padded to 4096 bytes, as MS-OVBA 2.4.1.3.10 says
    assert out[: len(data)] == data
    assert not any(out[len(data):])
    assert len(out) in (len(data), -(-len(data) // CHUNK_SIZE) * CHUNK_SIZE)


@pytest.mark.parametrize("data", [b"a" * 5000, b"ab" * 3000, bytes(range(256)) * 40, b"x" * 4096])
def test_long_copies_across_bit_count_boundaries(data):
    """Copies near the chunk end use few length bits: the maximum length is (0xFFFF >> bits) + 3."""
    packed = compress(data)
    assert decompress(packed) == data
    assert bytes(decompress_stream(bytearray(packed))) == data


def test_decompresses_excel_written_streams():
    """Module streams written by Excel (xlwings' quickstart.xlsm) decompress like oletools does."""
    import zipfile

    import xlwings

    with zipfile.ZipFile(Path(xlwings.__file__).parent / "quickstart.xlsm") as z:
        tree = read_compound_file(z.read("xl/vbaProject.bin"))
    vba = tree["VBA"]
    packed = vba["dir"]
    assert decompress(packed) == bytes(decompress_stream(bytearray(packed)))
    assert decompress(packed)[:2] == b"\x01\x00"  # PROJECTSYSKIND first


@pytest.mark.parametrize("bad", [b"", b"\x00abc", b"\x01\x00\x00", b"\x01\x03\xb0\x01\x00\x00"])
def test_invalid_containers_raise(bad):
    with pytest.raises(CompressionError):
        decompress(bad)
