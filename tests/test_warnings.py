"""Where ihms's warnings point (:mod:`ihms._warnings`): at the caller's line, through
any number of ihms frames, a dataclass's generated ``__init__`` among them."""

from __future__ import annotations

import warnings

import pytest

from ihms._warnings import caller_stacklevel
from ihms.errors import IhmsWarning


def test_the_former_home_gives_the_same_function():
    from ihms import _renamed

    assert _renamed.caller_stacklevel is caller_stacklevel
    assert "caller_stacklevel" in _renamed.__all__


def test_a_warning_given_outside_ihms_points_at_its_own_line():
    with pytest.warns(UserWarning) as caught:
        warnings.warn("here", UserWarning, stacklevel=caller_stacklevel())
    assert caught[0].filename == __file__


def test_a_post_init_warning_points_past_the_dataclass_init(tmp_path):
    # PolicyTokenizer is a dataclass: its __post_init__ is called by an __init__ the
    # dataclass compiled from "<string>", which a fixed stacklevel=3 pointed at
    from ihms.policy.textstats import PolicyTokenizer

    stop = tmp_path / "keep.txt"
    stop.write_text("!医联体\n", encoding="utf-8")
    with pytest.warns(IhmsWarning, match="is not a stop word") as caught:
        PolicyTokenizer(stopwords=[stop])
    ours = [w for w in caught if issubclass(w.category, IhmsWarning)]  # not jieba's
    assert [w.filename for w in ours] == [__file__]
