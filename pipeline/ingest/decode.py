"""Raw bytes to text: the encoding, and the checks that the bytes are text at all.

Order: BOM, UTF-8, BOM-less UTF-16, UTF-8 with a few broken bytes (decoded with
replacement characters, encoding ``utf-8 (with replacements)``), cp1252 for
mostly-ASCII Western text, then charset-normalizer; empty, binary or undecodable
bytes raise ``InputError``, which ingest turns into a one-line ``failed`` reason.
"""

from __future__ import annotations

import codecs
import hashlib
import re

# BOMs, longest first (the UTF-32-LE BOM starts with the UTF-16-LE one).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)
# C0/C1 control characters other than tab, newlines and form feed: many of them mean binary data.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_HIGH_BYTES = bytes(range(0x80, 0x100))
# A well-formed UTF-8 multi-byte sequence (2, 3 or 4 bytes; overlongs and surrogates excluded).
_UTF8_SEQ = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
UTF8_REPLACED = "utf-8 (with replacements)"


class InputError(Exception):
    """An input problem worth one line in the documents table (never a traceback)."""


def sha256_hex(data: bytes) -> str:
    """The stable document id: sha256 of the raw bytes."""
    return hashlib.sha256(data).hexdigest()


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode article bytes to text and name the encoding used.

    Order: BOM (UTF-32/UTF-8/UTF-16), UTF-8, BOM-less UTF-16 (NULs on one side),
    then mostly-ASCII text that is valid cp1252 (charset-normalizer guesses cp1250 or
    mac_latin2 for short Western text with a few accents), then charset-normalizer
    (Cyrillic, Greek, CJK legacy encodings, where most bytes are non-ASCII).
    Raises ``InputError`` for empty, binary or undecodable bytes.
    """
    if not data:
        raise InputError("empty file")
    for bom, name, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), name
            except UnicodeDecodeError as exc:
                raise InputError(f"invalid {name} after its byte order mark ({exc.reason})") from None
    if b"\x00" in data:
        utf16 = _bomless_utf16(data)
        if utf16 is None:
            raise InputError("binary file (contains NUL bytes)")
        return utf16
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if _mostly_utf8(data):
        return data.decode("utf-8", errors="replace"), UTF8_REPLACED
    non_ascii = len(data) - len(data.translate(None, _HIGH_BYTES))
    if non_ascii <= 0.3 * len(data):  # Western text: accents and curly quotes among ASCII
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            pass
        else:
            return text, "cp1252"
    import charset_normalizer

    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise InputError("undecodable bytes: not UTF-8 and no encoding detected")
    return str(best), best.encoding


def _mostly_utf8(data: bytes) -> bool:
    """UTF-8 with a few broken bytes (a truncated copy, one bad splice), not a legacy encoding.

    Legacy 8-bit text almost never forms valid UTF-8 sequences by chance, so when the
    high bytes are mostly well-formed sequences the stray ones are damage: replacing
    them keeps every other character right, where cp1252 or a guessed code page
    would turn every accent and curly quote of the article into mojibake.
    """
    high = len(data) - len(data.translate(None, _HIGH_BYTES))
    in_sequences = sum(len(m) for m in _UTF8_SEQ.findall(data))
    return in_sequences > 0 and high - in_sequences < in_sequences


def _bomless_utf16(data: bytes) -> tuple[str, str] | None:
    """UTF-16 without a BOM shows NULs in every other byte of ASCII text."""
    if len(data) % 2:
        return None
    even, odd = data[0::2], data[1::2]
    for zeros, codec in ((odd, "utf-16-le"), (even, "utf-16-be")):
        if zeros.count(0) >= 0.9 * len(zeros):
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError:
                return None
    return None


def check_text(text: str) -> str:
    """Reject decoded text that is empty or mostly control characters (binary data)."""
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise InputError("no text (file is blank)")
    controls = len(_CONTROL.findall(text[:100_000]))
    if controls > max(2, 0.01 * min(len(text), 100_000)):
        raise InputError("binary content (too many control characters)")
    return text
