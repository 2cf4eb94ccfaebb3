"""Decoding text files from Chinese sources: UTF-8, GBK, GB18030 and the rest.

One implementation for every reader of text (policy documents, coding sheets, CSV
tables): strict UTF-8, then strict GBK/GB18030 checked for garbling, then Big5, then
charset-normalizer's best guess; bytes that nothing reads cleanly are an
:class:`~ihms.errors.InputError` naming the file.

GBK and GB18030 give a character to almost any byte pair, so Big5 (and often Latin-1)
bytes decode without error. The garbling check therefore judges the non-ASCII characters
alone (a CSV table is mostly ASCII digits and ids, which would dilute any ratio over the
whole text): Chinese text in GBK is almost all GB2312 hanzi and punctuation, while Big5
bytes read as GBK give kana, Cyrillic, vertical forms, private-use and GBK-extension
characters (``高血壓`` becomes ``蔼﹀溃``). A reading that is not at least
:data:`_COMMON_SHARE` common characters is tried as Big5 (whose common characters are
its level-1 hanzi and punctuation), then handed to charset-normalizer, and refused if
nothing reads cleanly.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Any

from ihms.errors import InputError, Problem

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
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_NON_ASCII_WORD = re.compile(r"[^\s,;|\"']*[^\x00-\x7f][^\s,;|\"']*")


def _first_bad_offset(data: bytes, encoding: str) -> int:
    try:
        data.decode(encoding)
    except UnicodeDecodeError as exc:
        return exc.start
    return -1


def decode_bytes(data: bytes, *, name: str, encoding: str | None = None) -> tuple[str, str, str]:
    """Decode ``data``; return ``(text, encoding, how)``.

    ``how`` is ``"given"``, ``"bom"``, ``"strict"`` (one of UTF-8, GBK, GB18030 decoded
    without error into common Chinese characters), ``"common characters"`` (Big5, whose
    reading is common characters where GBK's is garble) or ``"charset-normalizer"`` (its
    best guess for anything else that is not a single-byte code page, e.g. UTF-16
    without a byte-order mark).

    Raises
    ------
    InputError
        If the given encoding fails, or nothing decodes the bytes into readable text
        (GBK/GB18030 only into garble, or only a single-byte code page fits, which one
        cannot be told); the message names the file, why, and the option to pass.
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
    garbled: tuple[str, str] | None = None
    for enc in _ENCODINGS:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if enc == "utf-8":
            _refuse_two_readings(data, text, name)
            return text, enc, "strict"
        share, rare = _common_share(text, enc)
        if share >= _COMMON_SHARE and _looks_textual(text):
            return text, enc, "strict"
        garbled = (
            enc,
            f"{1 - share:.0%} of its non-ASCII characters are ones Chinese text rarely "
            f"uses, e.g. {rare}"
            if rare
            else "control characters",
        )
        break
    if garbled is not None:
        big5 = _as_big5(data)
        if big5 is not None:
            return big5, "big5", "common characters"
    from charset_normalizer import from_bytes

    # from_bytes already drops guesses whose mess ratio exceeds the threshold; its ratio
    # over a mostly-ASCII table stays low even for mojibake (Big5 read as ISO-8859-16),
    # so the words holding non-ASCII characters are judged alone
    best = from_bytes(data, threshold=_MESS_LIMIT).best()
    if (
        best is not None
        and best.encoding
        and _looks_textual(text := str(best))
        and _mess(_non_ascii_words(text)) < _MESS_LIMIT
    ):
        if not _single_byte(best.encoding):
            return text, best.encoding, "charset-normalizer"
        # Latin-1, CP1250, ISO-8859-16, ... all read any byte, and which one a file is
        # cannot be told from a few accented letters (Latin-1's Ærø reads as CP1250's
        # Ćrř): name the guess rather than store it
        raise InputError(
            f"{name}: not UTF-8 or a Chinese encoding (GBK, GB18030, Big5); it reads as "
            f"a single-byte code page (charset-normalizer's guess: {best.encoding}), which "
            "cannot be told apart from the others reliably; pass the encoding explicitly "
            "(e.g. --encoding latin-1, cp1252 or big5) or re-save the file as UTF-8"
        )
    if garbled is not None:
        raise InputError(
            f"{name}: the bytes decode as {garbled[0].upper()} only into garbled text "
            f"({garbled[1]}) and no other encoding fits; pass the encoding explicitly "
            "(e.g. --encoding big5 for a file from Taiwan or Hong Kong, --encoding latin-1 "
            f"for a Western European one, --encoding {garbled[0]} if it is "
            f"{garbled[0].upper()} after all) or re-save the file as UTF-8"
        )
    raise InputError(
        f"{name}: undecodable bytes — not UTF-8 (first bad byte at offset "
        f"{_first_bad_offset(data, 'utf-8'):,}), not GBK/GB18030 (offset "
        f"{_first_bad_offset(data, 'gb18030'):,}) and no other encoding fits; "
        "pass the encoding explicitly or re-save the file as UTF-8"
    )


#: Chinese characters, their punctuation and full-width forms: a UTF-8 reading with any
#: of them is Chinese text in UTF-8, not GBK bytes that happen to be valid UTF-8.
_CHINESE = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]")


def _refuse_two_readings(data: bytes, text: str, name: str) -> None:
    """Refuse bytes that read as UTF-8 without a Chinese character and as GBK into
    common Chinese characters only. GBK's 女 (C5 AE) is also UTF-8's Ů: a GBK file
    whose few Chinese cells happen to form valid UTF-8 was read as Latin letters
    without a word; which reading is meant cannot be told from the bytes. Latin letters
    inside a word of ASCII letters (Zürich, Ærø) are taken as UTF-8: GBK's reading of
    them puts a hanzi inside a Latin word."""
    if text.isascii() or _CHINESE.search(text):
        return
    words = _NON_ASCII_WORD.findall(text[: _NON_ASCII_SAMPLE * 10])
    if all(re.search(r"[A-Za-z]", word) for word in words):
        return
    try:
        gbk = data.decode("gbk")
    except UnicodeDecodeError:
        return
    share, _ = _common_share(gbk, "gbk")
    if share < 1 or not _CHINESE.search(gbk):
        return
    as_utf8 = next(w for w in words if not re.search(r"[A-Za-z]", w))
    as_gbk = next(m.group() for m in _NON_ASCII_WORD.finditer(gbk))
    raise InputError(
        f"{name}: the bytes read both as UTF-8 ({as_utf8!r}) and as GBK ({as_gbk!r}), and "
        "which is meant cannot be told; pass the encoding (--encoding gbk or utf-8 where "
        "the command has it) or re-save the file as UTF-8 (Excel: CSV UTF-8)"
    )


# charset-normalizer's own cut-off between readable text and mojibake.
_MESS_LIMIT = 0.2
_MESS_SAMPLE = 4_000


def _mess(text: str) -> float:
    """charset-normalizer's mess ratio (0 for clean text) of the text's first
    ``_MESS_SAMPLE`` characters."""
    from charset_normalizer.md import mess_ratio

    return float(mess_ratio(text[:_MESS_SAMPLE], maximum_threshold=1.0))


#: The least share of common characters among a Chinese reading's non-ASCII ones. Chinese
#: text in GBK is all but entirely GB2312 hanzi and punctuation (the example policy
#: corpus: 99.8-100%); Big5 bytes read as GBK give about a quarter (tests/test_decode.py).
_COMMON_SHARE = 0.9
_NON_ASCII_SAMPLE = 20_000
#: Punctuation outside the Chinese code pages' own rows that Chinese text uses (en dash,
#: curly quotes, bullets, middle dot, degree, multiplication sign, ...).
_SHARED_PUNCTUATION = range(0x2000, 0x2070)
_LATIN1_SYMBOLS = {0xA7, 0xB0, 0xB1, 0xB7, 0xD7, 0xF7}


def _non_ascii(text: str) -> list[str]:
    return [m.group() for m in itertools.islice(_NON_ASCII.finditer(text), _NON_ASCII_SAMPLE)]


def _non_ascii_words(text: str) -> str:
    """The text's words (between spaces and separators) that hold a non-ASCII
    character, one per line (at most a sample)."""
    return "\n".join(
        m.group() for m in itertools.islice(_NON_ASCII_WORD.finditer(text), _NON_ASCII_SAMPLE)
    )


def _common_in_gb(ch: str, encoding: str) -> bool:
    """GB2312's hanzi (both levels) and punctuation rows A1-A3, a GB18030 four-byte
    character (a rare hanzi GBK lacks), or shared punctuation; not kana, Greek,
    Cyrillic, box drawing or vertical forms (rows A4-A9), GBK's extension areas or the
    private-use area, which is what other encodings' bytes turn into."""
    code = ord(ch)
    if code in _SHARED_PUNCTUATION or code in _LATIN1_SYMBOLS:
        return True
    if 0xE000 <= code <= 0xF8FF:
        return False
    raw = ch.encode(encoding)
    if len(raw) == 4:
        return True
    lead, trail = raw[0], raw[-1]
    return trail >= 0xA1 and (0xA1 <= lead <= 0xA3 or 0xB0 <= lead <= 0xF7)


def _common_in_big5(ch: str) -> bool:
    """Big5's punctuation (A140-A3BF) and level-1, frequently used hanzi (A440-C67E)."""
    code = ord(ch)
    if code in _SHARED_PUNCTUATION or code in _LATIN1_SYMBOLS:
        return True
    try:
        raw = int.from_bytes(ch.encode("big5"), "big")
    except UnicodeEncodeError:
        return False
    return 0xA140 <= raw <= 0xA3BF or 0xA440 <= raw <= 0xC67E


def _common_share(text: str, encoding: str) -> tuple[float, str]:
    """The share of common characters among the non-ASCII ones of a GBK or GB18030
    reading, and a few of the uncommon ones (for messages)."""
    chars = _non_ascii(text)
    if not chars:
        return 1.0, ""
    rare = [ch for ch in chars if not _common_in_gb(ch, encoding)]
    return 1 - len(rare) / len(chars), "".join(dict.fromkeys(rare))[:8]


def _as_big5(data: bytes) -> str | None:
    """The Big5 reading of bytes GBK/GB18030 read only as garble, if it decodes and its
    non-ASCII characters are common Big5 ones (a Taiwanese or Hong Kong export)."""
    try:
        text = data.decode("big5")
    except UnicodeDecodeError:
        return None
    chars = _non_ascii(text)
    if not chars or not _looks_textual(text):
        return None
    common = sum(1 for ch in chars if _common_in_big5(ch))
    return text if common / len(chars) >= _COMMON_SHARE else None


def _single_byte(encoding: str) -> bool:
    """Whether every byte is a character of its own in ``encoding`` (Latin-1, CP1252,
    KOI8-R, ...), unlike UTF-16 or the CJK encodings."""
    high = bytes(range(0x80, 0x100))
    try:
        return len(high.decode(encoding, errors="replace")) == len(high)
    except LookupError:
        return False


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
    path: str | Path,
    *,
    encoding: str | None = None,
    name: str | None = None,
    titles: str = "refuse",
    blank_above: bool = False,
    **options: Any,
):
    """``pandas.read_csv`` of a file in whatever encoding :func:`decode_bytes` tells
    (or ``encoding``): UTF-8 files (with or without BOM) are parsed directly, the rest
    decoded first. ``name`` is the file as error messages call it (default: the path);
    ``options`` go to ``pandas.read_csv``, except that an empty line is read as a row
    of empty cells (``skip_blank_lines=False`` unless given): skipped, as pandas skips
    it, it shifts every row below it one up, and a reader numbering rows by position
    names each of them one too early. Each reader skips such rows itself.

    A data row with more cells than the header is an InputError naming the row (pandas
    would otherwise take the first column as an index and shift every column left).
    Title lines above the header (:func:`ihms._layout.title_lines`: a sheet's title, a
    unit line) are an InputError naming them, or with ``titles="skip"`` are left out:
    the frame's ``attrs["title_lines"]`` then says how many, so the caller can number
    rows as the file does. With ``blank_above``, blank lines above the header count as
    such lines (the data, statistics, payment and policy sheets' readers).
    A header naming a column twice is an InputError naming both
    (pandas would call the second ``name.1`` and readers take the first). Header names
    lose their outer blanks, as an ``.xlsx`` header's do (``year, value``)."""
    import contextlib
    import io
    import warnings

    import pandas as pd

    from ihms._layout import (
        blank_title,
        duplicate_names,
        looks_renamed,
        title_lines,
        title_message,
    )

    label = name or str(path)
    options.setdefault("index_col", False)
    options.setdefault("skip_blank_lines", False)
    decoded: list[str] = []

    def text() -> str:
        if not decoded:
            raw = Path(path).read_bytes()
            decoded.append(decode_bytes(raw, name=label, encoding=encoding)[0])
        return decoded[0]

    def parse(source: Any, **extra: Any):
        with warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)
            return pd.read_csv(source, **options, **extra)

    def titled(rows: list) -> Any:
        count = title_lines(rows, blank=blank_above)
        if not count:
            return None
        if titles != "skip":
            raise InputError(title_message(label, rows, count))
        try:
            frame = parse(io.StringIO(text()), skiprows=count)
        except pd.errors.ParserWarning:
            sep = options.get("sep", ",")
            raise InputError(_long_row(text(), label, sep, titled=count)) from None
        except pd.errors.ParserError as exc:  # pandas counts the skipped lines too
            raise _parser_error(exc, label) from None
        frame.attrs["title_lines"] = count
        frame.attrs["title_blank"] = blank_title(rows, count)
        return frame

    def head_rows() -> list:
        import csv

        lines = text().removeprefix("\ufeff").splitlines()[:8]
        return list(csv.reader(lines, delimiter=options.get("sep") or ","))

    try:
        frame = None
        if encoding is None:
            with contextlib.suppress(UnicodeDecodeError):
                frame = parse(path, encoding="utf-8-sig")
        if frame is None:
            frame = parse(io.StringIO(text()))
    except pd.errors.ParserWarning:  # a row longer than the header
        frame = titled(head_rows())
        if frame is None:
            raise InputError(_long_row(text(), label, options.get("sep", ","))) from None
    except pd.errors.ParserError as exc:
        frame = titled(head_rows())
        if frame is None:
            raise _parser_error(exc, label) from None
    except pd.errors.EmptyDataError:
        # two empty lines (no commas) above the header: pandas finds no columns
        frame = titled(head_rows()) if blank_above and text().strip() else None
        if frame is None:
            raise
    head = [list(frame.columns), *frame.head(7).to_numpy().tolist()]
    if blank_above and frame.shape[1] <= 1 and not frame.attrs.get("title_lines"):
        # a blank first line is read as an empty header: look at the file's lines
        found = titled(head_rows())
        frame = frame if found is None else found
    if (
        frame.shape[1] >= 2
        and not frame.attrs.get("title_lines")
        and title_lines(head, blank=blank_above)
    ):
        # the title became the header ("2019年…", "Unnamed: 1", ...): count the file's lines
        found = titled(head_rows())
        frame = frame if found is None else found
    if looks_renamed(frame.columns):  # "value", "value.1": the file repeats a name
        header = head_rows()[frame.attrs.get("title_lines", 0)]
        if message := duplicate_names(label, header):
            raise InputError(message)
    names = [c.strip() if isinstance(c, str) else c for c in frame.columns]
    if names != list(frame.columns):
        # "year, value" (a blank after the comma) named a column " value", found by no
        # option, where an .xlsx header (ihms._sheets) and Stata's import are trimmed
        if message := duplicate_names(label, names):
            raise InputError(message)
        frame.columns = names
    return frame


def _parser_error(exc: Exception, label: str) -> Exception:
    """pandas' "Expected 3 fields in line 4, saw 4" as ``file row 4: ...``; any other
    parser error is passed on unchanged for the caller to word."""
    import re

    found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
    if not found:
        return exc
    want, line, saw = (int(v) for v in found.groups())
    return InputError(
        Problem(
            f"{label} row {line}: {saw} cells, but the header has {want} columns; "
            "remove the extra cells (or quote a cell that holds the separator)",
            row=line,
        )
    )


def _long_row(text: str, label: str, sep: str, *, titled: int = 0) -> str:
    """Name the first row with more cells than the header, below ``titled`` title
    lines (rows keep the file's numbers)."""
    import csv
    import io

    rows = csv.reader(io.StringIO(text), delimiter=sep or ",")
    for _ in range(titled):
        next(rows, None)
    header = next(rows, [])
    for number, row in enumerate(rows, start=titled + 2):
        if len(row) > len(header):
            return Problem(
                f"{label} row {number}: {len(row)} cells, but the header has "
                f"{len(header)} columns ({', '.join(header)}); remove the extra cells",
                row=number,
            )
    return f"{label}: a row has more cells than the header has columns"
