"""Finding a font that can draw Chinese, for figures and word clouds.

Matplotlib's default DejaVu fonts have no CJK glyphs, so Chinese labels come out as
empty boxes. :func:`find_cjk_font` looks, in order, at

1. an explicit path (argument, or the ``IHMS_CJK_FONT`` environment variable);
2. fonts installed on the system (what matplotlib's font manager sees, e.g. after
   ``apt-get install fonts-noto-cjk`` or ``fonts-wqy-microhei``), keeping the first
   one whose character map covers a test string of common policy characters;
3. Noto Sans SC shipped in the ``justmytype-intl-cjk`` wheel (SIL Open Font Licence
   1.1), a dependency of ihms, so a fresh machine with only Python can still draw.

If none is found, :class:`~ihms.errors.ConfigError` says how to install one.
"""

from __future__ import annotations

import logging
import os
from functools import lru_cache
from pathlib import Path

from ihms.errors import ConfigError

__all__ = ["CJK_TEST_TEXT", "cjk_font_properties", "find_cjk_font", "use_cjk_font"]

#: Characters a usable font must cover (all common in health policy texts).
CJK_TEST_TEXT = "医疗卫生服务体系规划国办发〔〕号"

# Families worth trying first among system fonts, best looking first.
_PREFERRED = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "SimHei",
    "Noto Serif CJK SC",
    "AR PL UMing CN",
)

_INSTALL_HINT = (
    "no font with Chinese characters was found. Install one, e.g. "
    "`sudo apt-get install fonts-noto-cjk` (Debian/Ubuntu), "
    "`sudo apt-get install fonts-wqy-microhei`, `sudo dnf install google-noto-sans-cjk-fonts` "
    "(Fedora), or reinstall ihms so that its dependency `justmytype-intl-cjk` is present; "
    "or point the IHMS_CJK_FONT environment variable at any .ttf/.otf/.ttc file that "
    "covers Chinese."
)


def _covers(path: str, text: str = CJK_TEST_TEXT) -> bool:
    from fontTools.ttLib import TTCollection, TTFont

    try:
        if path.lower().endswith(".ttc"):
            fonts = TTCollection(path, lazy=True).fonts[:1]
        else:
            fonts = [TTFont(path, lazy=True, fontNumber=0)]
        cmap = fonts[0].getBestCmap() or {}
    except Exception:  # an unreadable font file is simply not a candidate
        return False
    return all(ord(ch) in cmap for ch in text)


def _system_candidates() -> list[str]:
    from matplotlib import font_manager

    # "Last Resort" maps every code point to a placeholder box: it covers all and
    # draws nothing readable.
    entries = [e for e in font_manager.fontManager.ttflist if "Last Resort" not in e.name]
    rank = {name: i for i, name in enumerate(_PREFERRED)}
    hinted = [e for e in entries if any(k in e.name for k in ("CJK", "Hei", "Han", "Song", "SC"))]
    hinted.sort(key=lambda e: (rank.get(e.name, len(rank)), e.fname))
    rest = [e for e in entries if e not in hinted]
    return [e.fname for e in hinted] + [e.fname for e in rest]


def _bundled_candidate() -> str | None:
    try:
        from importlib.resources import files

        base = files("justmytype_intl_cjk") / "fonts" / "ofl" / "notosanssc"
    except ModuleNotFoundError:
        return None
    path = Path(str(base)) / "NotoSansSC[wght].ttf"
    return str(path) if path.is_file() else None


@lru_cache(maxsize=8)
def _find(explicit: str | None) -> str:
    if explicit:
        path = Path(explicit).expanduser()
        if not path.is_file():
            raise ConfigError(f"CJK font file {str(path)!r} does not exist")
        if not _covers(str(path)):
            raise ConfigError(
                f"font file {str(path)!r} does not cover Chinese characters "
                f"(tested {CJK_TEST_TEXT!r})"
            )
        return str(path)
    for cand in _system_candidates():
        if _covers(cand):
            return cand
    bundled = _bundled_candidate()
    if bundled is not None and _covers(bundled):
        return bundled
    raise ConfigError(_INSTALL_HINT)


def find_cjk_font(path: str | os.PathLike[str] | None = None) -> str:
    """Return the path of a font file that covers Chinese characters.

    Parameters
    ----------
    path
        Use this font file (checked for coverage). Default: the ``IHMS_CJK_FONT``
        environment variable, then system fonts, then the bundled Noto Sans SC.

    Raises
    ------
    ConfigError
        When no usable font exists; the message says how to install one.
    """
    explicit = str(path) if path is not None else os.environ.get("IHMS_CJK_FONT") or None
    return _find(explicit)


def cjk_font_properties(path: str | os.PathLike[str] | None = None):
    """A :class:`matplotlib.font_manager.FontProperties` for the CJK font."""
    from matplotlib import font_manager

    return font_manager.FontProperties(fname=find_cjk_font(path))


def use_cjk_font(path: str | os.PathLike[str] | None = None) -> str:
    """Register the CJK font with matplotlib and put it first in ``font.sans-serif``.

    Latin text keeps DejaVu Sans; matplotlib takes each glyph DejaVu lacks (all CJK)
    from the CJK font. Switches matplotlib to the Agg backend.

    Parameters
    ----------
    path
        A font file, as :func:`find_cjk_font` takes it; by default ``IHMS_CJK_FONT``,
        then system fonts, then the bundled Noto Sans SC.

    Returns
    -------
    str
        The font's family name (``"Noto Sans SC"``).

    Raises
    ------
    ConfigError
        No usable font (:func:`find_cjk_font`).
    """
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager

    fname = find_cjk_font(path)
    # A variable font's weights are not separate files; matplotlib logs a warning for
    # every bold label it renders at the regular weight. That is expected here.
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    font_manager.fontManager.addfont(fname)
    name = font_manager.FontProperties(fname=fname).get_name()
    rc = matplotlib.rcParams
    # Latin glyphs from DejaVu Sans, everything it lacks (CJK) from the CJK font:
    # matplotlib falls back glyph by glyph along this list.
    rest = [f for f in rc["font.sans-serif"] if f not in (name, "DejaVu Sans")]
    rc["font.sans-serif"] = ["DejaVu Sans", name, *rest]
    # Fallback runs along font.family itself (a generic "sans-serif" would resolve to
    # one font only), so the families are listed there explicitly.
    rc["font.family"] = ["DejaVu Sans", name]
    rc["axes.unicode_minus"] = False
    # TrueType (Type 42) embedding keeps a real text layer in PDF output.
    rc["pdf.fonttype"] = 42
    return name
