"""Width folding: text typed in a Chinese input method's full-width mode as ASCII.

A county's spreadsheet holds ``２０１７``, ``１２．５％``, ``１，２３４`` and ideographic
spaces; they mean the ASCII characters. Only width is folded — not Unicode NFKC, which
also turns ``10²`` into ``102``, ``①`` into ``1`` and ``½`` into ``1⁄2``: a wrong number
read silently, where a refusal ("expected a number, got '10²'") is what the user needs.

Cheap to import (no pandas): the CLI's option parsing and :mod:`ihms.errors` use it.
"""

from __future__ import annotations

__all__ = ["fold_width", "written_alike_key"]

#: Full-width ASCII (U+FF01–FF5E: ``０``–``９``, ``％``, ``，``, ``．``, ``－``, ``Ａ``...) as
#: ASCII, and every space separator (Unicode category Zs: the ideographic space U+3000,
#: the no-break space an Excel export leaves, the typographic spaces) as a plain space.
_FOLD = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {
    code: 0x20 for code in (0xA0, 0x1680, *range(0x2000, 0x200B), 0x202F, 0x205F, 0x3000)
}


def fold_width(text: str) -> str:
    """``text`` with full-width ASCII forms as ASCII and every space as ``" "``.

    Examples
    --------
    >>> fold_width("１２．５％"), fold_width("\\u3000１，２３４"), fold_width("10² ① ½")
    ('12.5%', ' 1,234', '10² ① ½')
    """
    return text.translate(_FOLD)


def written_alike_key(text: str) -> str:
    """What two spellings of one name or id share when they differ only in width, case
    or outer blanks: ``ｙｘ-ｃｈ01 `` and ``YX-CH01`` have the key ``yx-ch01``.

    Examples
    --------
    >>> written_alike_key("ｙｘ-ｃｈ01 ") == written_alike_key("YX-CH01") == "yx-ch01"
    True
    """
    return fold_width(text).strip().casefold()
