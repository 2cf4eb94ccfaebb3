import pytest

from ihms import fonts
from ihms.errors import ConfigError


def test_a_cjk_font_is_found_and_covers_chinese():
    path = fonts.find_cjk_font()
    assert fonts._covers(path)


def test_explicit_font_must_exist_and_cover_chinese():
    from pathlib import Path

    import matplotlib

    dejavu = str(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf")
    with pytest.raises(ConfigError, match="does not cover Chinese"):
        fonts.find_cjk_font(dejavu)
    with pytest.raises(ConfigError, match="does not exist"):
        fonts.find_cjk_font("/no/such/font.ttf")


def test_no_font_anywhere_says_how_to_install(monkeypatch):
    monkeypatch.setattr(fonts, "_system_candidates", lambda: [])
    monkeypatch.setattr(fonts, "_bundled_candidate", lambda: None)
    monkeypatch.delenv("IHMS_CJK_FONT", raising=False)
    fonts._find.cache_clear()
    try:
        with pytest.raises(ConfigError, match="apt-get install fonts-noto-cjk"):
            fonts.find_cjk_font()
    finally:
        fonts._find.cache_clear()


def test_use_cjk_font_sets_matplotlib_fallback():
    import matplotlib

    name = fonts.use_cjk_font()
    assert matplotlib.rcParams["font.family"] == ["DejaVu Sans", name]
    assert matplotlib.rcParams["pdf.fonttype"] == 42
