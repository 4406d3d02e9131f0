"""decode_html: labels, BOMs and sniffing, and refusing what it cannot decode faithfully."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import encoding
from pipeline.domain.errors import InputError
from pipeline.encoding import decode_html, decode_html_as, header_charset, meta_charset
from pipeline.parse import parse_page

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
TEXT = "株式会社は㈱、期間は７月２１日～８月３日。①"


def _html(body: str, meta: str = "") -> str:
    return f"<html><head>{meta}<title>t</title></head><body><p>{body}</p></body></html>"


def test_shift_jis_label_is_read_as_windows_31j() -> None:
    data = _html(TEXT, '<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">')
    encoded = data.encode("cp932")
    with pytest.raises(UnicodeDecodeError):
        encoded.decode("shift_jis")  # the strict JIS codec cannot read ㈱ or ①
    assert TEXT in decode_html(encoded, None)


@pytest.mark.parametrize("label", ["Shift_JIS", "SJIS", "x-sjis", "windows-31j", "MS_Kanji"])
def test_shift_jis_aliases_in_the_http_header(label: str) -> None:
    encoded = _html(TEXT).encode("cp932")
    assert TEXT in decode_html(encoded, f"text/html; charset={label}")


def test_sakurano_fixture_keeps_its_windows_31j_characters() -> None:
    text = decode_html((FIXTURES / "sakurano/ayumi.html").read_bytes(), "text/html")
    assert "㈱さくら野精工" in text
    assert "平成２年７月２１日\uff5e８月３日" in text  # FULLWIDTH TILDE, as cp932 maps 0x8160


def test_euc_jp_label_with_a_jis_x_0213_character() -> None:
    data = _html(TEXT, '<meta charset="EUC-JP">').encode("euc_jis_2004")
    assert TEXT in decode_html(data, None)


def test_unlabelled_pages_are_sniffed() -> None:
    assert TEXT in decode_html(_html(TEXT).encode("utf-8"), None)
    assert TEXT in decode_html(_html(TEXT).encode("cp932"), None)
    plain = "交流の歩みを記録します。ひらがなとカタカナ。"
    assert plain in decode_html(_html(plain).encode("euc_jp"), None)


@pytest.mark.parametrize(
    "content_type", [None, "text/html", "text/html; charset=UTF-8", "text/html; charset=ISO-8859-1"]
)
def test_jis_code_is_read_whatever_the_label_says(content_type: str | None) -> None:
    """ISO-2022-JP (JIS code, an old site's or a mailer's encoding) is 7-bit: ASCII and UTF-8
    read it too, keeping escape sequences and mojibake between them. Its escapes decide."""
    plain = "交流の歩み 平成4年11月から12月まで"
    for codec, text in (("iso2022_jp", plain), ("iso2022_jp_ext", plain + "ｶﾀｶﾅ")):
        decoded = decode_html_as(_html(text).encode(codec), content_type)
        assert text in decoded.text and "\x1b" not in decoded.text
        assert decoded.encoding == codec
    assert decode_html_as(_html(plain).encode("iso2022_jp"), "text/html; charset=iso-2022-jp")
    ascii_page = _html("ESC is \x1b but no designation: $B").encode()
    assert decode_html_as(ascii_page, None).encoding == "utf-8"


def test_a_jis_code_page_parses_into_entries() -> None:
    page = (
        "<html><body><main><h1>交流のあゆみ</h1><h2>平成12年1月10日(成人の日)</h2>"
        "<p>成人式に出席。</p></main></body></html>"
    )
    parsed = parse_page(page.encode("iso2022_jp"))
    assert [(e.date_text, e.body) for e in parsed.entries] == [
        ("平成12年1月10日(成人の日)", ("成人式に出席。",))
    ]
    assert parsed.page.title == "交流のあゆみ"


@pytest.mark.parametrize(
    ("bom", "codec"),
    [(b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")],
)
def test_byte_order_mark_wins_over_labels(bom: bytes, codec: str) -> None:
    data = bom + _html(TEXT, '<meta charset="Shift_JIS">').encode(codec)
    assert TEXT in decode_html(data, "text/html; charset=EUC-JP")


def test_http_header_wins_over_meta() -> None:
    data = _html(TEXT, '<meta charset="EUC-JP">').encode("cp932")
    assert TEXT in decode_html(data, "text/html; charset=Shift_JIS")
    assert header_charset('text/html; charset="Shift_JIS"') == "shift_jis"
    assert meta_charset(data) == "euc-jp"


def test_a_wrong_label_falls_back_to_an_encoding_that_decodes_cleanly() -> None:
    data = _html(TEXT, '<meta charset="utf-8">').encode("cp932")
    assert TEXT in decode_html(data, None)


def test_bytes_no_encoding_decodes_are_refused_naming_the_label() -> None:
    data = _html("x", '<meta charset="utf-8">').encode() + b"\x81\x00"[:1] + b"\xff\xfe\xfd\x80\xa0"
    with pytest.raises(InputError, match="labelled utf-8") as caught:
        decode_html(data, None)
    assert "\n" not in str(caught.value)


def test_unlabelled_undecodable_bytes_are_refused() -> None:
    with pytest.raises(InputError, match="no charset label"):
        decode_html(b"<html><body>\xff\xfe\xfd\x80\xa0\xff</body></html>", None)


def test_empty_and_binary_input_are_refused() -> None:
    with pytest.raises(InputError, match="empty"):
        decode_html(b"", None)
    with pytest.raises(InputError, match="NUL"):
        decode_html(b"<html>\x00</html>", None)
    with pytest.raises(InputError, match="gzip"):
        decode_html(b"\x1f\x8b\x08\x00rest", None)


def test_parse_page_uses_the_content_type_charset() -> None:
    html = "<html><body><main><h2>平成２年７月</h2><p>㈱が来訪</p></main></body></html>"
    page = parse_page(html.encode("cp932"), content_type="text/html; charset=Shift_JIS")
    assert [(e.date_text, e.start, e.body) for e in page.entries] == [
        ("平成２年７月", "1990-07", ("㈱が来訪",))
    ]


LONG = "本渓市との交流経過。訪日団が来訪し、市内の小中学校を視察した。" * 4


@pytest.mark.parametrize("codec", ["euc_jp", "utf-8"])
def test_a_shift_jis_label_on_other_bytes_does_not_produce_mojibake(codec: str) -> None:
    data = _html(LONG, '<meta charset="Shift_JIS">').encode(codec)
    assert LONG in decode_html(data, None)


EUC_FIXTURE = Path(__file__).parents[1] / "fixtures" / "synthetic" / "oyama-v1-euc-jp.html"
V1_GOLDEN = Path(__file__).parents[1] / "fixtures" / "oyama" / "P-4103" / "v1.json"


def test_an_euc_jp_page_behind_apaches_latin1_default_is_read_as_euc_jp() -> None:
    """Apache's `charset=ISO-8859-1` default over an EUC-JP page: the label gives no Japanese
    at all while EUC-JP reads cleanly, so EUC-JP is used, and said."""
    data = EUC_FIXTURE.read_bytes()
    decoded = decode_html_as(data, "text/html; charset=ISO-8859-1")
    assert (decoded.encoding, decoded.declared) == ("euc_jp", "iso-8859-1")
    assert "本渓市との交流経過" in decoded.text
    parsed = parse_page(data, content_type="text/html; charset=ISO-8859-1")
    assert parsed.encoding == "euc_jp"
    golden = json.loads(V1_GOLDEN.read_text(encoding="utf-8"))
    assert [e.to_dict() for e in parsed.entries] == golden["entries"]


def test_a_latin1_page_stays_latin1() -> None:
    page = "<html><body><p>Café crème à la française, déjà vu.</p></body></html>"
    decoded = decode_html_as(page.encode("latin-1"), "text/html; charset=ISO-8859-1")
    assert (decoded.text, decoded.encoding) == (page, "cp1252")


# --- the scans, against the plain loops they replace ---------------------------------------------

SCAN_TEXT = st.text(
    st.sampled_from(
        "a <\n\t\x00\x01\x1b\x7f\x80\xe9あアー漢\u3000、。\uff01Ａ\uff5e"
        "\uff61ｱﾝ\uff9f\uf8f0\uf8f3\ue000\U0001f600\ud800"
    ),
    max_size=60,
)


@settings(max_examples=500)
@given(SCAN_TEXT)
def test_plausibility_counts_as_the_loop_does(text: str) -> None:
    good = bad = 0
    for char in text:
        code = ord(char)
        if code < 0x80:
            continue
        kana_kanji = 0x3040 <= code <= 0x30FF or 0x4E00 <= code <= 0x9FFF
        if kana_kanji or 0x3000 <= code <= 0x303F or 0xFF01 <= code <= 0xFF5E:
            good += 1
        else:
            bad += 1
    assert encoding._plausibility(text) == good - 3 * bad


@settings(max_examples=500)
@given(SCAN_TEXT, st.integers(0, 30))
def test_misdecoded_test_reads_as_the_separate_scans_do(text: str, kana: int) -> None:
    text += "ｱ" * kana  # around the 20 half-width katakana threshold
    if re.search(r"[\x00-\x08\x0b\x0e-\x1f\x7f]", text):
        expected = True
    else:
        halfwidth = len(re.findall("[\uff61-\uff9f]", text))
        expected = halfwidth > 20 and halfwidth * 2 > len(re.findall("[\u3000-\uffff]", text))
    assert encoding._looks_misdecoded(text) == expected


@given(st.binary(max_size=40))
def test_cp932_placeholders_are_refused_as_the_regex_did(data: bytes) -> None:
    try:
        text = data.decode("cp932")
    except UnicodeDecodeError:
        return
    refused = bool(re.search("[\x80\uf8f0-\uf8f3]", text))
    try:
        encoding._decode(data, "cp932")
    except UnicodeDecodeError:
        assert refused
    else:
        assert not refused


def test_an_unlabelled_windows_1252_page_is_read_as_such_not_as_kanji() -> None:
    """An old English page with no label: its curly apostrophe (0x92) before a letter is a
    valid Windows-31J pair (Mayor痴); every non-ASCII byte standing alone between ASCII
    bytes, and no Japanese read, it is Windows-1252. A Japanese page still sniffs as one."""
    english = _html("The Mayor\u2019s visit \u2013 \u201cFriendship Week\u201d, caf\u00e9")
    decoded = decode_html_as(english.encode("cp1252"), None)
    assert (decoded.encoding, decoded.text) == ("cp1252", english)
    apostrophes = _html("The Mayor\u2019s visit and the Council\u2019s vote")
    assert decode_html_as(apostrophes.encode("cp1252"), None).text == apostrophes
    japanese = _html("沿革")
    assert decode_html_as(japanese.encode("cp932"), None).text == japanese
    assert decode_html_as(japanese.encode("euc_jp"), None).text == japanese
