"""Chinese, circled and Roman numerals as they appear in policy documents.

Clause numbering (一、（一）1.（1）①), signature dates (二〇一七年四月二十六日) and Word's
automatic list numbering all need conversion between these numerals and integers.
"""

from __future__ import annotations

__all__ = [
    "CIRCLED",
    "cn_to_int",
    "int_to_circled",
    "int_to_cn",
    "int_to_roman",
    "roman_to_int",
]

_DIGITS = {
    "〇": 0,
    "○": 0,
    "零": 0,
    "Ｏ": 0,
    "O": 0,
    "一": 1,
    "壹": 1,
    "二": 2,
    "贰": 2,
    "两": 2,
    "三": 3,
    "叁": 3,
    "四": 4,
    "肆": 4,
    "五": 5,
    "伍": 5,
    "六": 6,
    "陆": 6,
    "七": 7,
    "柒": 7,
    "八": 8,
    "捌": 8,
    "九": 9,
    "玖": 9,
}
_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}

#: ① … ⑳ then ㉑ … ㉟ and ㊱ … ㊿ (Unicode's enclosed numbers up to 50).
CIRCLED = (
    "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
    + "".join(chr(c) for c in range(0x3251, 0x3260))
    + "".join(chr(c) for c in range(0x32B1, 0x32C0))
)

_ROMAN = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)


def cn_to_int(text: str) -> int:
    """Convert a Chinese numeral to an integer.

    Handles counting numerals (``二十六``, ``一百零五``, ``十二``), financial forms
    (``贰拾``) and digit-by-digit years (``二〇一七``).

    Examples
    --------
    >>> cn_to_int("二十六"), cn_to_int("十"), cn_to_int("二〇一七"), cn_to_int("一百零五")
    (26, 10, 2017, 105)

    Raises
    ------
    ValueError
        If ``text`` contains anything but Chinese numeral characters.
    """
    text = text.strip()
    if not text or any(ch not in _DIGITS and ch not in _UNITS for ch in text):
        raise ValueError(f"not a Chinese numeral: {text!r}")
    if not any(ch in _UNITS for ch in text):
        value = 0
        for ch in text:
            value = value * 10 + _DIGITS[ch]
        return value
    total = 0
    digit = 0
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        else:
            unit = _UNITS[ch]
            total += (digit or 1) * unit
            digit = 0
    return total + digit


def int_to_cn(value: int) -> str:
    """Write ``value`` (0 ≤ value < 10,000) as a Chinese counting numeral.

    Examples
    --------
    >>> int_to_cn(6), int_to_cn(10), int_to_cn(16), int_to_cn(105), int_to_cn(120)
    ('六', '十', '十六', '一百零五', '一百二十')
    """
    if not 0 <= value < 10_000:
        raise ValueError(f"value must be in [0, 10000), got {value}")
    digits = "零一二三四五六七八九"
    if value == 0:
        return "零"
    out = []
    units = ((1000, "千"), (100, "百"), (10, "十"), (1, ""))
    zero_pending = False
    for size, name in units:
        d = value // size % 10
        if d == 0:
            if out:
                zero_pending = True
            continue
        if zero_pending:
            out.append("零")
            zero_pending = False
        out.append(digits[d] + name)
    text = "".join(out)
    if text.startswith("一十"):
        text = text[1:]
    return text


def int_to_circled(value: int) -> str:
    """``1`` → ``①`` (up to 50)."""
    if not 1 <= value <= len(CIRCLED):
        raise ValueError(f"circled numbers go from 1 to {len(CIRCLED)}, got {value}")
    return CIRCLED[value - 1]


def int_to_roman(value: int) -> str:
    """``14`` → ``XIV``."""
    if not 0 < value < 4000:
        raise ValueError(f"Roman numerals go from 1 to 3999, got {value}")
    out = []
    for size, sym in _ROMAN:
        while value >= size:
            out.append(sym)
            value -= size
    return "".join(out)


def roman_to_int(text: str) -> int:
    """``XIV`` → ``14`` (case-insensitive; strict: ``IIII`` is rejected)."""
    upper = text.strip().upper()
    if not upper or any(ch not in "IVXLCDM" for ch in upper):
        raise ValueError(f"not a Roman numeral: {text!r}")
    value = 0
    i = 0
    for size, sym in _ROMAN:
        while upper.startswith(sym, i):
            value += size
            i += len(sym)
    if i != len(upper) or int_to_roman(value) != upper:
        raise ValueError(f"not a Roman numeral: {text!r}")
    return value
