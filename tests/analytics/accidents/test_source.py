import pytest

from analytics.accidents.source import (
    check_header,
    decode,
    decode_export,
    has_undecodable,
    shown_with_escapes,
    split_records,
)
from detectors.config.errors import InputError


def test_gbk_text_decodes_and_a_bad_byte_stays_visible():
    data = "地点,事故形态\n幸福路,轻伤\n".encode("gbk") + b"\xff\xff,x\n"
    text = decode(data, "gbk")
    assert text.startswith("地点,事故形态\n幸福路,轻伤\n")
    assert has_undecodable(text) and not has_undecodable("幸福路")
    assert shown_with_escapes(text.splitlines()[-1], "gbk") == "\\xff\\xff,x"


def test_a_utf8_byte_order_mark_is_dropped_whatever_the_declared_encoding():
    assert decode("\ufeffwhen,place\n".encode(), "utf-8") == "when,place\n"
    assert decode("\ufeffwhen,place\n".encode(), "utf-8-sig") == "when,place\n"


def test_an_export_is_read_in_the_first_encoding_that_fits_every_byte():
    resaved = "ON STREET NAME\r\nCAF\u00c9 PLAZA\r\n".encode("cp1252")
    assert decode_export(resaved, ["utf-8", "cp1252"]) == (
        "ON STREET NAME\r\nCAF\u00c9 PLAZA\r\n",
        "cp1252",
    )
    assert decode_export("地点\n幸福路\n".encode("gbk"), ["utf-8", "gbk"])[1] == "gbk"
    # No encoding fits: the one with the fewest bad bytes, which stay visible as markers.
    damaged = "地点\n幸福路\n".encode() + b"\xff\n"
    text, encoding = decode_export(damaged, ["gbk", "utf-8"])
    assert (encoding, has_undecodable(text)) == ("utf-8", True)


def test_records_carry_the_line_they_start_on():
    text = 'TITLE LINE\nwhen , place\n1,"two\nlines"\n\n3,c\r\n4,d'
    export = split_records(text, ",", skip_lines=1, source="f.csv")
    assert (export.header, export.header_line) == (["when", "place"], 2)
    assert [(record.line, record.fields) for record in export.records] == [
        (3, ["1", "two\nlines"]),
        (6, ["3", "c"]),
        (7, ["4", "d"]),
    ]


def test_other_delimiters():
    export = split_records("a;b\n1;2\n", ";", skip_lines=0, source="f.csv")
    assert export.records[0].fields == ["1", "2"]


def test_an_empty_file_has_no_header():
    with pytest.raises(InputError, match="f.csv: no header row; is skip_lines"):
        split_records("only a title\n", ",", skip_lines=1, source="f.csv")


def test_missing_columns_are_listed_with_suggestions():
    with pytest.raises(InputError) as caught:
        check_header(["事故时间", "地点"], ["事故时间", "地点 ", "事故形态"], "gbk", "f.csv")
    message = str(caught.value)
    assert message.startswith("f.csv: column(s) named in the mapping are not in the header row")
    assert "'地点 ' (did you mean '地点'?)" in message and "'事故形态'" in message
    assert "The header has: 事故时间, 地点" in message


def test_a_header_in_the_wrong_encoding_says_which_to_set():
    header = decode("事故时间,地点\n".encode("gbk"), "utf-8").strip().split(",")
    with pytest.raises(InputError, match="header row is not valid utf-8; set encoding"):
        check_header(header, ["事故时间"], "utf-8", "f.csv")
