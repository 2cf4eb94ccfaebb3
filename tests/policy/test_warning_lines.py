"""The policy layer's warnings point at the caller's line when another ihms function
reached them: a stop-word file's ``!word`` taking off a word that is not stopped, warned
in ``PolicyTokenizer``'s ``__post_init__``, pointed at the dataclass's generated
``__init__`` (``<string>``) with its fixed ``stacklevel=3``."""

from __future__ import annotations

import warnings

from ihms.errors import IhmsWarning
from ihms.policy.project_stopwords import project_tokenizer


def test_a_stop_list_note_through_the_project_tokenizer_points_at_the_caller(
    coded_project, tmp_path
):
    stop = tmp_path / "keep.txt"
    stop.write_text("!医联体\n", encoding="utf-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        project_tokenizer(coded_project, stopwords=[stop])
    hits = [w for w in caught if issubclass(w.category, IhmsWarning)]
    assert [str(w.message).split(": ", 1)[-1] for w in hits] == [
        "'医联体' is not a stop word; '!' takes a word off the list"
    ]
    assert [w.filename for w in hits] == [__file__]
