"""Bytes of a fetched page to text, without ever producing mojibake silently.

Japanese municipal sites label their pages loosely: "Shift_JIS" pages hold Windows-31J
characters (㈱, ～, ①), EUC-JP pages hold JIS X 0213 characters, and some pages carry no label
at all. The rules, in order:

1. A byte-order mark decides (UTF-8, UTF-16); so do JIS escape sequences in 7-bit bytes
   (ISO-2022-JP, which ASCII and UTF-8 would read as escapes and mojibake).
2. Otherwise the HTTP header's charset, then a `<meta charset>` / `http-equiv` in the first
   bytes, names the encoding. Shift_JIS and its aliases are read as cp932 (Windows-31J), EUC-JP
   as euc_jp and then euc_jis_2004.
   Bytes that are valid UTF-8 (with non-ASCII text) are read as UTF-8 whatever the label says,
   and a labelled decoding that reads as garbage (mostly half-width katakana) is checked
   against the other encodings. So is a labelled decoding with no Japanese text at all when
   another encoding reads cleanly as Japanese: an EUC-JP page behind Apache's default
   `charset=ISO-8859-1` header would otherwise be Latin mojibake (and suspect) forever.
3. With no label, the bytes are sniffed: strict UTF-8, then whichever of cp932 and EUC-JP
   decodes cleanly and reads as more plausible Japanese; bytes whose every non-ASCII byte
   stands alone between ASCII ones (curly quotes, accented letters) and that read as no
   Japanese are Windows-1252, an old English or European page.
4. If the labelled encoding fails strictly, the others are tried; if none decodes cleanly the
   page is refused with an `InputError` naming the encoding, never decoded with replacements.

Empty and binary input (NUL bytes, well-known binary signatures) are refused the same way.
`decode_html_as` also says which encoding was used (and which was declared), for the caller to
record.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from pipeline.domain.errors import InputError

# Labels as pages write them -> the codecs tried for that label, in order.
_SJIS_CODECS = ("cp932", "shift_jis_2004")
# ISO-2022-JP ("JIS code"), then with half-width katakana (ESC ( I), then with JIS X 0213.
_JIS_CODECS = ("iso2022_jp", "iso2022_jp_ext", "iso2022_jp_2004")
# ESC $ @, ESC $ B: JIS X 0208 (1978, 1983); ESC $ ( Q: JIS X 0213 plane 1.
_JIS_DESIGNATION_RE = re.compile(rb"\x1b\$(?:[@B]|\(Q)")
_EUC_CODECS = ("euc_jp", "euc_jis_2004")
_LABEL_CODECS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(
        (
            "shift_jis",
            "shift-jis",
            "sjis",
            "x-sjis",
            "s-jis",
            "shiftjis",
            "ms_kanji",
            "ms-kanji",
            "csshiftjis",
            "windows-31j",
            "cp932",
            "ms932",
            "x-ms-cp932",
        ),
        _SJIS_CODECS,
    ),
    **dict.fromkeys(
        ("euc-jp", "euc_jp", "eucjp", "x-euc-jp", "cseucpkdfmtjapanese", "eucjp-ms", "cp51932"),
        _EUC_CODECS,
    ),
    **dict.fromkeys(("iso-2022-jp", "csiso2022jp", "iso2022jp"), _JIS_CODECS),
    **dict.fromkeys(("utf-8", "utf8", "unicode-1-1-utf-8"), ("utf-8",)),
    # The WHATWG rule: a page labelled Latin-1 is decoded as windows-1252.
    **dict.fromkeys(("iso-8859-1", "latin1", "latin-1", "us-ascii", "ascii"), ("cp1252",)),
}
# Sniffing order for unlabelled pages (and fallbacks when a label is wrong).
_SNIFF_CODECS = ("utf-8", "cp932", "euc_jp", "euc_jis_2004")

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_BOM_PREFIXES = tuple(bom for bom, _ in _BOMS)
_BINARY_SIGNATURES = {
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"GIF8": "a GIF image",
    b"\xff\xd8\xff": "a JPEG image",
    b"PK\x03\x04": "a ZIP archive (or Office document)",
    b"\x1f\x8b": "gzip-compressed data",
    b"\xd0\xcf\x11\xe0": "an old Office document",
}

_BINARY_PREFIXES = tuple(_BINARY_SIGNATURES)
# An XML declaration opening decoded text: lxml refuses a str that carries one (its encoding
# no longer applies), and BeautifulSoup would read it as text.
XML_DECLARATION_RE = re.compile(r"^\s*<\?xml[^>]*\?>")
_CHARSET_RE = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_META_RE = re.compile(rb"<meta\b[^>]*>", re.IGNORECASE)
_PRESCAN_BYTES = 4096
# C0 controls and DEL, and half-width katakana: what a wrong decoding is full of (one scan).
_SUSPECT_RE = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f\uff61-\uff9f]")
# What Python's cp932 makes of bytes that are not Windows-31J text (str.find: memchr-fast).
_CP932_PLACEHOLDERS = ("\x80", "\uf8f0", "\uf8f1", "\uf8f2", "\uf8f3")
_WIDE_RE = re.compile("[\u3000-\uffff]")
# Two non-ASCII bytes side by side: a Japanese (or UTF-8) page's, never a Windows-1252 page
# whose accented letters and curly quotes stand alone between ASCII bytes.
_HIGH_PAIR_RE = re.compile(rb"[\x80-\xff]{2}")


# One JIS X 0208 / JIS-Roman character, two code points: what a JIS decoder (and a Mac or a
# UTF-8 author) writes -> what Windows-31J, keika's reading of Shift_JIS, makes of the same bytes.
# A page re-encoded between UTF-8 and Shift_JIS/EUC-JP swaps one for the other, text unchanged.
_JIS_SPELLINGS = str.maketrans(
    {
        "\u301c": "\uff5e",  # 〜 WAVE DASH -> ～ FULLWIDTH TILDE
        "\u2212": "\uff0d",  # − MINUS SIGN -> － FULLWIDTH HYPHEN-MINUS
        "\u2016": "\u2225",  # ‖ DOUBLE VERTICAL LINE -> ∥ PARALLEL TO
        "\u2014": "\u2015",  # — EM DASH -> ― HORIZONTAL BAR
        "\u00a2": "\uffe0",  # ¢ -> ￠
        "\u00a3": "\uffe1",  # £ -> ￡
        "\u00ac": "\uffe2",  # ¬ -> ￢
        "\u00a5": "\\",  # ¥ (JIS-Roman 0x5C) -> backslash
        "\u203e": "~",  # ‾ OVERLINE (JIS-Roman 0x7E) -> tilde
    }
)


_JIS_SPELLED_RE = re.compile("[" + "".join(map(chr, _JIS_SPELLINGS)) + "]")


def same_jis_text(text: str) -> str:
    """The text with each character that JIS encodings and Windows-31J spell with different code
    points written one way, so that a page re-encoded between them compares equal."""
    # Most text holds none of them: one C-speed scan instead of a per-character translation.
    return text.translate(_JIS_SPELLINGS) if _JIS_SPELLED_RE.search(text) else text


@dataclass(frozen=True, slots=True)
class Decoded:
    """A page's text, the codec that read it, and the label it carried (None if unlabelled)."""

    text: str
    encoding: str
    declared: str | None = None


def decode_html(data: bytes, content_type: str | None = None) -> str:
    """The text of an HTML page given its bytes and the HTTP Content-Type header, if any."""
    return decode_html_as(data, content_type).text


def decode_html_as(data: bytes, content_type: str | None = None) -> Decoded:
    """`decode_html`, also saying which encoding was used and which was declared."""
    if not data or data.isspace():  # `not data.strip()`, without copying the page
        raise InputError("empty page: no bytes to parse")
    if data.startswith(_BOM_PREFIXES):  # one test for the usual page, which has none
        for bom, codec in _BOMS:
            if data.startswith(bom):
                text = _strict(data[len(bom) :], codec, f"{codec} (byte-order mark)")
                return Decoded(text, codec, "byte-order mark")
    _refuse_binary(data)
    label = header_charset(content_type) or meta_charset(data)
    if b"\x1b" in data and data.isascii() and _JIS_DESIGNATION_RE.search(data):
        # 7-bit bytes switching to JIS X 0208 are ISO-2022-JP (JIS code) whatever the label
        # says: read otherwise they keep escape sequences and mojibake between them.
        jis = _first_clean(data, _JIS_CODECS)
        if jis is not None:
            return Decoded(jis[0], jis[1], label)
    if label is not None:
        codecs_for_label = _codecs_for(label)
        if codecs_for_label and codecs_for_label != ("utf-8",) and not data.isascii():
            # Valid UTF-8 with non-ASCII bytes is practically never Shift_JIS or EUC-JP text:
            # a page saved as UTF-8 under an old template's label.
            try:
                return Decoded(data.decode("utf-8"), "utf-8", label)
            except UnicodeDecodeError:
                pass
        if codecs_for_label:
            found = _first_clean(data, codecs_for_label)
            others = [c for c in _SNIFF_CODECS if c not in codecs_for_label]
            if found is not None and (
                codecs_for_label == ("utf-8",) or not _looks_misdecoded(found[0])
            ):
                if data.isascii() or _JAPANESE_RE.search(found[0]):  # any; no need to count
                    return Decoded(found[0], found[1], label)
                # No Japanese at all under the label: a wrong (server default) label when
                # another encoding reads the same bytes cleanly as Japanese.
                other = _best_clean(data, others)
                if other is not None and _reads_as_japanese(other[0]):
                    return Decoded(other[0], other[1], label)
                return Decoded(found[0], found[1], label)
            fallback = _best_clean(data, others)
            if fallback is not None:
                return Decoded(fallback[0], fallback[1], label)
            if found is not None:
                return Decoded(found[0], found[1], label)
            raise InputError(
                f"page is labelled {label} but is not valid {label} "
                "(nor UTF-8, Windows-31J or EUC-JP); refusing to guess"
            )
    best = _best_clean(data, _SNIFF_CODECS)
    if (best is None or (best[1] != "utf-8" and not _reads_as_japanese(best[0]))) and (
        _HIGH_PAIR_RE.search(data) is None
    ):
        # Each non-ASCII byte alone between ASCII ones (Mayor\x92s, \x93sister city\x94, 1997
        # \x96 25th): an English (European) page in Windows-1252, the usual unlabelled old
        # Latin page; read as Windows-31J its \x92s would be a kanji (Mayor痴). Japanese text
        # in Windows-31J or EUC-JP runs its bytes in pairs.
        latin = _first_clean(data, ("cp1252",))
        if latin is not None:
            return Decoded(latin[0], latin[1], label)
    if best is None:
        raise InputError(
            "page has no charset label and is not valid UTF-8, Windows-31J, EUC-JP or Windows-1252"
        )
    return Decoded(best[0], best[1], label)


def header_charset(content_type: str | None) -> str | None:
    """The charset parameter of an HTTP Content-Type header value."""
    if not content_type:
        return None
    found = _CHARSET_RE.search(content_type.encode("latin-1", "replace"))
    return found.group(1).decode("ascii").lower() if found else None


def meta_charset(data: bytes) -> str | None:
    """The charset a page declares in its first bytes (`<meta charset>` or `http-equiv`)."""
    head = data[:_PRESCAN_BYTES]
    for meta in _META_RE.finditer(head):
        found = _CHARSET_RE.search(meta.group(0))
        if found:
            return found.group(1).decode("ascii").lower()
    xml = re.match(rb"""\s*<\?xml[^>]*encoding=["']([A-Za-z0-9_.:-]+)""", head)
    return xml.group(1).decode("ascii").lower() if xml else None


def _codecs_for(label: str) -> tuple[str, ...]:
    label = label.strip().lower()
    if label in _LABEL_CODECS:
        return _LABEL_CODECS[label]
    try:
        return (codecs.lookup(label).name,)
    except LookupError:
        return ()  # an unknown label is no information: sniff instead


def _refuse_binary(data: bytes) -> None:
    if data.startswith(_BINARY_PREFIXES):  # one test for the usual page
        for signature, what in _BINARY_SIGNATURES.items():
            if data.startswith(signature):
                raise InputError(f"not an HTML page: the bytes are {what}")
    if data.find(b"\x00", 0, _PRESCAN_BYTES * 4) >= 0:  # no copy of the page's head
        raise InputError("not an HTML page: the bytes contain NUL characters (binary data)")


def _strict(data: bytes, codec: str, what: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise InputError(f"page is not valid {what}: {exc.reason} at byte {exc.start}") from None


def _decode(data: bytes, codec: str) -> str:
    """Strict decoding; for cp932 also refuse the bytes Python maps to placeholders (0x80,
    0xA0, 0xFD-0xFF are not Windows-31J text, yet decode to U+0080 and U+F8F0-U+F8F3)."""
    text = data.decode(codec)
    if codec == "cp932" and any(char in text for char in _CP932_PLACEHOLDERS):
        raise UnicodeDecodeError(codec, data, 0, len(data), "bytes that are not Windows-31J text")
    return text


def _first_clean(data: bytes, codec_names: tuple[str, ...] | list[str]) -> tuple[str, str] | None:
    for codec in codec_names:
        try:
            return _decode(data, codec), codec
        except (UnicodeDecodeError, LookupError):
            continue
    return None


def _best_clean(data: bytes, codec_names: tuple[str, ...] | list[str]) -> tuple[str, str] | None:
    """The most plausible strict decoding among `codec_names` (UTF-8 wins when it decodes),
    as (text, codec)."""
    best: tuple[float, str, str] | None = None
    tried_family: set[str] = set()
    for codec in codec_names:
        family = "euc" if codec.startswith("euc") else codec
        if family in tried_family:
            continue
        try:
            text = _decode(data, codec)
        except (UnicodeDecodeError, LookupError):
            continue
        tried_family.add(family)
        if codec == "utf-8":
            return text, codec
        score = _plausibility(text)
        if best is None or score > best[0]:
            best = (score, text, codec)
    return (best[1], best[2]) if best else None


def _plausibility(text: str) -> float:
    """How much `text` reads like Japanese: kana and common kanji up, odd characters down
    (every other non-ASCII one: half-width katakana, PUA, rare symbols, what a wrong
    decoding produces). Counted by the regex engine and the ASCII encoder: 5x faster than a
    Python loop over the characters."""
    good = sum(map(len, _GOOD_RUNS_RE.findall(text)))
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    return good - 3 * (non_ascii - good)


_GOOD_RUNS_RE = re.compile("[\u3040-\u30ff\u4e00-\u9fff\u3000-\u303f\uff01-\uff5e]+")


_JAPANESE_RE = re.compile("[\u3040-\u30ff\u4e00-\u9fff]")


def _japanese_chars(text: str) -> int:
    """Kana and kanji in `text`: what a right decoding of a Japanese page is full of."""
    return len(_JAPANESE_RE.findall(text))


def _reads_as_japanese(text: str) -> bool:
    """Enough kana/kanji, and more of them than odd characters, to trust a decoding over the
    label (a Latin page whose accented bytes happen to pair up does not pass)."""
    return _japanese_chars(text) >= 8 and _plausibility(text) > 0


def _looks_misdecoded(text: str) -> bool:
    """A strict decoding that still reads as garbage (C0 controls, mostly half-width kana)."""
    suspects = _SUSPECT_RE.findall(text)
    if any(char < "\x80" for char in suspects):
        return True  # a control character
    halfwidth = len(suspects)
    if halfwidth <= 20:
        return False
    return halfwidth * 2 > len(_WIDE_RE.findall(text))
