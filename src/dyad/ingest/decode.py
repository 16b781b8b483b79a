"""Bytes to text: refuse what is not text, decode what is (UTF-8, cp1252, latin-1)."""
from __future__ import annotations

import codecs
import re

from dyad.ingest.settings import IngestError

# Magic numbers of formats a crawler folder often holds next to articles.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "PDF document"),
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"PK\x03\x04", "ZIP archive (or DOCX/XLSX/EPUB)"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf", "7z archive"),
    (b"Rar!", "RAR archive"),
    (b"\x28\xb5\x2f\xfd", "zstd archive"),
    (b"\x7fELF", "executable"),
    (b"\xd0\xcf\x11\xe0", "MS Office document"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"WARC/", "WARC archive"),
)
_UTF16_32_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")  # Unicode category Cc except \t \n \v \f \r
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]{2,40})""", re.IGNORECASE)
# More control characters than this share means the bytes were not text in the
# encoding we tried (random bytes give ~25%; a latin-1 article with a stray byte ~0).
_MAX_CONTROL_SHARE = 0.01


def sniff_binary(data: bytes) -> str | None:
    """The name of a known binary format `data` starts with, else None."""
    for magic, name in _SIGNATURES:
        if data.startswith(magic):
            return name
    return None


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode article bytes; returns (text, encoding) or raises IngestError with the reason.

    Order: BOM-marked UTF-16/32, UTF-8 (with or without BOM), the `declared`
    encoding (an HTML page's charset) if there is one, cp1252, latin-1. UTF-8
    with a few broken bytes stays UTF-8 (with U+FFFD) rather than turning every
    accented letter into cp1252 mojibake.
    """
    if not data.strip():
        raise IngestError("empty file")
    kind = sniff_binary(data)
    if kind:
        raise IngestError(f"binary file ({kind})")
    for bom, encoding in _UTF16_32_BOMS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(encoding), encoding), encoding
            except UnicodeDecodeError:
                raise IngestError(f"undecodable bytes (starts with a {encoding} byte-order mark)") from None
    if b"\x00" in data:
        raise IngestError("contains NUL bytes: binary data, not text")
    text, encoding = _decode_8bit(data, declared)
    return _checked(text, encoding), encoding


def _decode_8bit(data: bytes, declared: str | None) -> tuple[str, str]:
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    if declared:
        try:
            return data.decode(declared), declared
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong or unknown declaration: fall through to our guesses
    lenient = data.decode("utf-8", errors="replace")
    broken = lenient.count("\ufffd")
    multibyte = len(_NON_ASCII.findall(lenient)) - broken
    if multibyte >= 2 * broken:  # mostly valid UTF-8 with a few bad bytes
        return lenient.lstrip("\ufeff"), "utf-8 (with replacements)"
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _checked(text: str, encoding: str) -> str:
    if not text.strip():
        raise IngestError("empty file")
    controls = len(_CONTROLS.findall(text))
    if controls > _MAX_CONTROL_SHARE * len(text):
        raise IngestError(
            f"undecodable bytes: {controls} control characters in {len(text)} as {encoding}; not text"
        )
    return text


def declared_charset(markup_head: bytes) -> str | None:
    """The charset an HTML page declares in its first bytes (<meta charset=...>), if any."""
    m = _CHARSET.search(markup_head[:4096])
    return m.group(1).decode("ascii").lower() if m else None


_SURROGATE = re.compile("[\ud800-\udfff]")


def scrub_unicode(text: str) -> str:
    """Replace lone surrogates (from JSON escapes such as "\\udc80") with U+FFFD.

    They are not characters: UTF-8 cannot encode them, so spaCy, lxml, the stores
    and the output files would all fail on them. Decoded bytes never hold any.
    """
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def normalize_newlines(text: str) -> str:
    """One newline convention for every reader, so offsets mean the same everywhere."""
    return text.replace("\r\n", "\n").replace("\r", "\n")
