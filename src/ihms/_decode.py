"""Decoding text files from Chinese sources: UTF-8, GBK, GB18030 and the rest.

One implementation for every reader of text (policy documents, coding sheets, CSV
tables): strict UTF-8, then strict GBK/GB18030 checked for garbling with
charset-normalizer's mess ratio (GB18030 decodes almost any byte pair, Big5 included,
into private-use characters), then charset-normalizer's best guess; bytes that nothing
reads cleanly are an :class:`~ihms.errors.InputError` naming the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ihms.errors import InputError

__all__ = ["SQLITE_MAGIC", "decode_bytes", "is_sqlite_file", "read_csv", "read_text"]

SQLITE_MAGIC = b"SQLite format 3\x00"


def is_sqlite_file(path: str | Path) -> bool:
    """Whether ``path`` is an existing file that starts with SQLite's magic bytes."""
    path = Path(path)
    if not path.is_file():
        return False
    with path.open("rb") as f:
        return f.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC


_ENCODINGS = ("utf-8", "gbk", "gb18030")


def _first_bad_offset(data: bytes, encoding: str) -> int:
    try:
        data.decode(encoding)
    except UnicodeDecodeError as exc:
        return exc.start
    return -1


def decode_bytes(data: bytes, *, name: str, encoding: str | None = None) -> tuple[str, str, str]:
    """Decode ``data``; return ``(text, encoding, how)``.

    ``how`` is ``"given"``, ``"bom"``, ``"strict"`` (one of UTF-8, GBK, GB18030 decoded
    without error) or ``"charset-normalizer"`` (its best guess for anything else, e.g.
    UTF-16 or Big5).

    Raises
    ------
    InputError
        If the given encoding fails, or nothing decodes the bytes; the message names the
        file and the byte offset where UTF-8 and GB18030 fail.
    """
    if encoding:
        try:
            return data.decode(encoding), encoding, "given"
        except (UnicodeDecodeError, LookupError) as exc:
            raise InputError(f"{name}: cannot decode as {encoding!r}: {exc}") from None
    for bom, enc in (
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(enc), enc.replace("-sig", ""), "bom"
            except UnicodeDecodeError as exc:
                label = enc.replace("-sig", "").upper()
                # utf-8-sig reports offsets after the mark; utf-16 from the file's start
                offset = exc.start + (len(bom) if enc == "utf-8-sig" else 0)
                raise InputError(
                    f"{name}: starts with a {label} byte-order mark but byte offset "
                    f"{offset:,} is not valid {label} ({exc.reason}); re-save the file "
                    "as UTF-8 or pass the encoding explicitly"
                ) from None
    garbled: tuple[str, float] | None = None
    for enc in _ENCODINGS:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        mess = 0.0 if enc == "utf-8" else _mess(text)
        if mess < _MESS_LIMIT:
            return text, enc, "strict"
        # GB18030 gives a character to almost any byte pair: Big5 or other bytes decode
        # without error into private-use and rare characters. Ask charset-normalizer.
        garbled = (enc, mess)
        break
    from charset_normalizer import from_bytes

    # from_bytes already drops guesses whose mess ratio exceeds the threshold
    best = from_bytes(data, threshold=_MESS_LIMIT).best()
    if best is not None and best.encoding and _looks_textual(text := str(best)):
        return text, best.encoding, "charset-normalizer"
    if garbled is not None:
        raise InputError(
            f"{name}: the bytes decode as {garbled[0].upper()} only into garbled text "
            f"(charset-normalizer mess ratio {garbled[1]:.2f}; readable text stays below "
            f"{_MESS_LIMIT}) and no other encoding fits; pass the encoding explicitly "
            "(e.g. --encoding big5) or re-save the file as UTF-8"
        )
    raise InputError(
        f"{name}: undecodable bytes — not UTF-8 (first bad byte at offset "
        f"{_first_bad_offset(data, 'utf-8'):,}), not GBK/GB18030 (offset "
        f"{_first_bad_offset(data, 'gb18030'):,}) and no other encoding fits; "
        "pass the encoding explicitly or re-save the file as UTF-8"
    )


# charset-normalizer's own cut-off between readable text and mojibake.
_MESS_LIMIT = 0.2
_MESS_SAMPLE = 4_000


def _mess(text: str) -> float:
    """charset-normalizer's mess ratio (0 for clean text) of the text's first
    ``_MESS_SAMPLE`` characters."""
    from charset_normalizer.md import mess_ratio

    return float(mess_ratio(text[:_MESS_SAMPLE], maximum_threshold=1.0))


def _looks_textual(text: str) -> bool:
    if not text:
        return True
    bad = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\n\r\t\f") or ch == "\ufffd")
    return bad / len(text) < 0.01


def read_text(
    path: str | Path,
    *,
    name: str | None = None,
    encoding: str | None = None,
    error: type[InputError] = InputError,
) -> str:
    """The text of a file a person wrote (YAML, word lists), decoded as
    :func:`decode_bytes` tells: a GBK YAML file from a Chinese Windows editor reads like
    a UTF-8 one. A missing file, a folder, a SQLite database or another binary file is
    an ``error`` (an InputError class, e.g. ConfigError) naming it."""
    path = Path(path)
    label = name or str(path)
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise error(f"{label}: cannot read the file: it is a folder") from None
    except FileNotFoundError:
        raise error(f"{label}: cannot read the file: no such file") from None
    except OSError as exc:
        raise error(f"{label}: cannot read the file ({exc.strerror or exc})") from None
    if data.startswith(SQLITE_MAGIC):
        raise error(f"{label}: is a SQLite database, expected a text file")
    try:
        text, _, _ = decode_bytes(data, name=label, encoding=encoding)
    except InputError as exc:
        raise error(str(exc)) from None
    if not _looks_textual(text):
        raise error(f"{label}: is not a text file (it holds control bytes)")
    return text.removeprefix("\ufeff")


def read_csv(
    path: str | Path, *, encoding: str | None = None, name: str | None = None, **options: Any
):
    """``pandas.read_csv`` of a file in whatever encoding :func:`decode_bytes` tells
    (or ``encoding``): UTF-8 files (with or without BOM) are parsed directly, the rest
    decoded first. ``name`` is the file as error messages call it (default: the path);
    ``options`` go to ``pandas.read_csv``.

    A data row with more cells than the header is an InputError naming the row (pandas
    would otherwise take the first column as an index and shift every column left)."""
    import io
    import warnings

    import pandas as pd

    label = name or str(path)
    options.setdefault("index_col", False)

    def parse(source: Any, **extra: Any):
        with warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)
            return pd.read_csv(source, **options, **extra)

    try:
        if encoding is None:
            try:
                return parse(path, encoding="utf-8-sig")
            except UnicodeDecodeError:
                pass
        text, _, _ = decode_bytes(Path(path).read_bytes(), name=label, encoding=encoding)
        return parse(io.StringIO(text))
    except pd.errors.ParserWarning:  # a row longer than the header
        text, _, _ = decode_bytes(Path(path).read_bytes(), name=label, encoding=encoding)
        raise InputError(_long_row(text, label, options.get("sep", ","))) from None
    except pd.errors.ParserError as exc:
        raise _parser_error(exc, label) from None


def _parser_error(exc: Exception, label: str) -> Exception:
    """pandas' "Expected 3 fields in line 4, saw 4" as ``file row 4: ...``; any other
    parser error is passed on unchanged for the caller to word."""
    import re

    found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
    if not found:
        return exc
    want, line, saw = (int(v) for v in found.groups())
    return InputError(
        f"{label} row {line:,}: {saw} cells, but the header has {want} columns; "
        "remove the extra cells (or quote a cell that holds the separator)"
    )


def _long_row(text: str, label: str, sep: str) -> str:
    """Name the first row with more cells than the header."""
    import csv
    import io

    rows = csv.reader(io.StringIO(text), delimiter=sep or ",")
    header = next(rows, [])
    for number, row in enumerate(rows, start=2):
        if len(row) > len(header):
            return (
                f"{label} row {number:,}: {len(row)} cells, but the header has "
                f"{len(header)} columns ({', '.join(header)}); remove the extra cells"
            )
    return f"{label}: a row has more cells than the header has columns"
