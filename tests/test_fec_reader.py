"""The FEC reader: separators, encodings, line ends, number and date formats, and non-conforming files.

Every test writes its own mini-FEC inline.
"""

from __future__ import annotations

import datetime as dt

import pytest

from audit_engine.errors import FecFormatError
from audit_engine.io.fec import closing_date_from_name, looks_like_fec, parse_fec, read_fec

HEADER = ["JournalCode", "JournalLib", "EcritureNum", "EcritureDate", "CompteNum", "CompteLib", "CompAuxNum",
          "CompAuxLib", "PieceRef", "PieceDate", "EcritureLib", "Debit", "Credit", "EcritureLet", "DateLet",
          "ValidDate", "Montantdevise", "Idevise"]


def row(j="VE", date="20250110", acc="411000", aux="C1", ref="F1", debit="0,00", credit="0,00", let="",
        label="Vente", auxlib="Alpha", **extra):
    """One FEC line as a dict keyed by header name."""
    lib = {"VE": "Ventes", "BQ": "Banque", "AN": "A nouveaux", "OD": "Opérations diverses"}.get(j, j)
    return {"JournalCode": j, "JournalLib": lib, "EcritureNum": "1", "EcritureDate": date, "CompteNum": acc,
            "CompteLib": "Clients", "CompAuxNum": aux, "CompAuxLib": auxlib, "PieceRef": ref, "PieceDate": date,
            "EcritureLib": label, "Debit": debit, "Credit": credit, "EcritureLet": let, "DateLet": "",
            "ValidDate": date, "Montantdevise": "", "Idevise": "", **extra}


def fec_text(rows, sep="\t", header=HEADER, eol="\n"):
    lines = [sep.join(header)] + [sep.join(str(r.get(h, "")) for h in header) for r in rows]
    return eol.join(lines) + eol


SALE = [row(debit="1200,00"), row(acc="706000", aux="", auxlib="", credit="1000,00"),
        row(acc="445710", aux="", auxlib="", credit="200,00")]


def entries_of(data: bytes, name="123456789FEC20251231.txt"):
    return parse_fec(data, name)


def test_tab_utf8_typed_entries_with_line_numbers():
    fec = entries_of(fec_text(SALE).encode("utf-8"))
    e = fec.entries
    assert fec.separator == "\t" and fec.encoding == "UTF-8"
    assert e["line"].tolist() == [2, 3, 4]
    assert e["amount"].tolist() == [1200.0, -1000.0, -200.0]
    assert e.loc[0, "entry_date"].date() == dt.date(2025, 1, 10)
    assert e["usable"].all()


def test_utf8_bom_is_ignored():
    fec = entries_of(b"\xef\xbb\xbf" + fec_text(SALE).encode("utf-8"))
    assert fec.encoding == "UTF-8 (BOM)"
    assert fec.entries.loc[0, "journal"] == "VE"


def test_iso_8859_15_labels_are_decoded():
    rows = [row(debit="10,00", label="Créance à recouvrer")]
    fec = entries_of(fec_text(rows).encode("iso-8859-15"))
    assert fec.encoding == "ISO-8859-15"
    assert fec.entries.loc[0, "label"] == "Créance à recouvrer"


def test_pipe_padding_zero_padded_amounts_and_trailing_separator():
    head = "|".join(HEADER) + "|"
    line = ("VE  |VE11|00000001|20230109|41100000|CLIENTS A 5.5%   |41101590|E.LECLERC CARPENTR   |VE  0123|20230109|"
            "VENTE NECTAR   |0000000074,70|0000000000,00|AA|20230209|20240331|||")
    fec = entries_of(f"{head}\n{line}\n".encode("ascii"))
    e = fec.entries
    assert fec.separator == "|"
    assert e.loc[0, ["journal", "account", "aux", "piece_ref", "let"]].tolist() == \
        ["VE", "41100000", "41101590", "VE  0123", "AA"]
    assert e.loc[0, "amount"] == 74.70
    assert e.loc[0, "let_date"].date() == dt.date(2023, 2, 9)
    assert not [f for f in fec.findings if f.code.startswith("fec_bad")]


@pytest.mark.parametrize("eol", ["\r\n", "\r", "\r\r\n"])
def test_line_ends_cr_crlf_and_crcrlf_keep_line_numbers(eol):
    fec = entries_of(fec_text(SALE, eol=eol).encode("utf-8"))
    assert fec.entries["line"].tolist() == [2, 3, 4]
    assert fec.lines == 4


def test_signs_spaces_and_blank_amounts():
    rows = [row(debit=" -12,50 ", credit=""), row(debit="+5", credit="0"), row(debit="", credit="")]
    e = entries_of(fec_text(rows).encode()).entries
    assert e["amount"].tolist() == [-12.5, 5.0, 0.0]


def test_montant_sens_variant():
    header = [h for h in HEADER if h not in ("Debit", "Credit")] + ["Montant", "Sens"]
    rows = [row(Montant="1200,00", Sens="D"), row(acc="706000", aux="", Montant="1000,00", Sens="C"),
            row(acc="445710", aux="", Montant="200,00", Sens="-1")]
    fec = entries_of(fec_text(rows, header=header).encode())
    assert fec.variant == "montant_sens"
    assert fec.entries["amount"].tolist() == [1200.0, -1000.0, -200.0]


def test_extra_columns_daterglt_and_modereglt():
    header = HEADER + ["DateRglt", "ModeRglt", "NatOp", "IdClient"]
    rows = [row(debit="100,00", DateRglt="20250209", ModeRglt="VIR", NatOp="x")]
    fec = entries_of(fec_text(rows, header=header).encode())
    assert fec.has_due_dates
    assert fec.entries.loc[0, "due_date"].date() == dt.date(2025, 2, 9)
    assert fec.entries.loc[0, "method"] == "VIR"


def test_bad_date_on_a_411_line_names_the_line_and_the_field():
    rows = SALE + [row(j="BQ", date="2025013", credit="1200,00", let="AA", PieceDate="")]
    fec = entries_of(fec_text(rows).encode())
    bad = [f for f in fec.findings if f.code == "fec_bad_date"]
    assert [(f.row, f.column, f.value, f.severity) for f in bad] == [(5, "EcritureDate", "2025013", "error")]
    assert "exclue" in bad[0].message("fr") and "left out" in bad[0].message("en")
    assert not fec.entries.loc[fec.entries["line"] == 5, "usable"].item()


def test_bad_entry_date_falls_back_on_the_document_date():
    rows = [row(date="31/02/2025", debit="10,00")]
    rows[0]["PieceDate"] = "20250115"
    fec = entries_of(fec_text(rows).encode())
    assert [f.code for f in fec.findings if f.severity != "info"] == ["fec_date_from_piece"]
    assert fec.entries.loc[0, "entry_date"].date() == dt.date(2025, 1, 15)


def test_bad_amount_on_a_411_line_is_an_error_and_the_line_is_left_out():
    fec = entries_of(fec_text([row(debit="12,3,4")]).encode())
    f = next(f for f in fec.findings if f.code == "fec_bad_amount")
    assert (f.row, f.column, f.value) == (2, "Debit", "12,3,4")
    assert not fec.entries["usable"].any()


def test_bad_values_outside_411_are_only_counted():
    rows = SALE + [row(acc="512000", aux="", debit="abc"), row(acc="606000", aux="", date="2025-13-45")]
    fec = entries_of(fec_text(rows).encode())
    f = next(f for f in fec.findings if f.code == "fec_bad_values_other")
    assert f.params["count"] == 2 and f.params["lines"] == "5, 6"
    assert not [f for f in fec.findings if f.severity == "error"]


def test_readable_iso_dates_are_accepted_with_a_note():
    fec = entries_of(fec_text([row(date="2025-01-10", debit="1")]).encode())
    assert fec.entries.loc[0, "entry_date"].date() == dt.date(2025, 1, 10)
    assert "fec_date_format" in [f.code for f in fec.findings]


def test_missing_required_column_raises_with_line_1_and_the_field():
    header = [h for h in HEADER if h != "CompteNum"]
    with pytest.raises(FecFormatError) as info:
        entries_of(fec_text(SALE, header=header).encode(), "x.txt")
    err = info.value
    assert (err.params["line"], err.params["field"]) == (1, "CompteNum")
    assert err.message("fr").startswith("FEC non conforme (x.txt, ligne 1, champ CompteNum) : colonne obligatoire")
    assert "required column \"CompteNum\" missing" in err.message("en")


def test_missing_amount_columns_raise():
    header = [h for h in HEADER if h not in ("Debit", "Credit")]
    with pytest.raises(FecFormatError) as info:
        entries_of(fec_text(SALE, header=header).encode())
    assert info.value.params["field"] == "Debit"


def test_missing_optional_standard_columns_are_noted_not_fatal():
    header = [h for h in HEADER if h not in ("ValidDate", "Idevise")]
    fec = entries_of(fec_text(SALE, header=header).encode())
    f = next(f for f in fec.findings if f.code == "fec_missing_columns")
    assert f.params["columns"] == "ValidDate, Idevise"


@pytest.mark.parametrize("data", [b"", b"\n\n", b"hello;world\n1;2\n"])
def test_no_header_raises_on_line_1(data):
    with pytest.raises(FecFormatError) as info:
        entries_of(data)
    assert info.value.params["line"] == 1


def test_a_411_line_with_the_wrong_number_of_fields_is_a_finding():
    text = fec_text(SALE * 4)
    lines = text.split("\n")
    lines[2] = lines[2] + "\tsurplus"  # line 3: an extra non-empty field
    fec = entries_of("\n".join(lines).encode())
    assert "fec_bad_line_411" not in [f.code for f in fec.findings]  # line 3 is a 706 line
    bad = next(f for f in fec.findings if f.code == "fec_bad_line")
    assert bad.params["lines"] == "3"
    lines[1] = "\t".join(lines[1].split("\t")[:10])  # line 2 (411): 10 fields only
    fec = entries_of("\n".join(lines).encode())
    f = next(f for f in fec.findings if f.code == "fec_bad_line_411")
    assert (f.row, f.params["found"], f.params["expected"]) == (2, 10, 18)


def test_mostly_broken_lines_make_the_file_unusable():
    head, body = fec_text(SALE * 10).split("\n", 1)
    text = head + "\n" + body.replace("\t", ";")  # the header on tabs, the lines on ";"
    with pytest.raises(FecFormatError) as info:
        entries_of(text.encode())
    assert info.value.params["line"] == 2
    assert "champs au lieu de 18" in info.value.message("fr")


def test_file_name_closing_date_and_detection(tmp_path):
    assert closing_date_from_name("123456789FEC20221231.TXT") == dt.date(2022, 12, 31)
    assert closing_date_from_name("0000000001FEC20220831.txt") == dt.date(2022, 8, 31)
    assert closing_date_from_name("export.txt") is None
    named = tmp_path / "123456789fec20251231.txt"
    named.write_text("anything")
    other = tmp_path / "grand_livre.txt"
    other.write_text(fec_text(SALE, sep="|"))
    csv = tmp_path / "factures.csv"
    csv.write_text("N° facture;Montant\nF1;10\n")
    assert looks_like_fec(named) and looks_like_fec(other) and not looks_like_fec(csv)


def test_read_fec_returns_the_template_tables(tmp_path):
    path = tmp_path / "123456789FEC20250131.txt"
    rows = [row(debit="1200,00", let="AA"), *SALE[1:], row(j="BQ", date="20250120", credit="1200,00", let="AA")]
    path.write_bytes(fec_text(rows).encode())
    raw = read_fec(path)
    inv = raw.tables["invoices"]
    assert inv.sheet == path.name and raw.sheets_seen == (path.name,)
    assert list(inv.frame.columns) == ["N° facture", "Code client", "Client", "Date facture", "Date échéance",
                                       "Montant TTC"]
    assert inv.frame.iloc[0].tolist() == ["F1", "C1", "Alpha", dt.date(2025, 1, 10), None, 1200.0]
    assert inv.rows.tolist() == [2]
    pay = raw.tables["payments"]
    assert list(pay.frame.columns) == ["N° facture", "Date règlement", "Montant", "Code client", "Mode de règlement"]
    assert pay.rows.tolist() == [5]
    assert raw.meta["kind"] == "fec" and raw.meta["as_of"] == dt.date(2025, 1, 31)
    assert raw.meta["as_of_reason"] == "file_name" and raw.meta["ledger_balance"] == 0.0
