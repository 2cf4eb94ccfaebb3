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


def test_policy_words_prints_the_stop_list_note_as_a_note(coded_project, tmp_path):
    # it went to Python's warning printer: "<string>:8: IhmsWarning: ..." (the dataclass's
    # __init__), then with the caller's frame a line of typer's source; now a note
    from typer.testing import CliRunner

    from ihms.cli.main import app

    stop = tmp_path / "keep.txt"
    stop.write_text("!notastopword\n", encoding="utf-8")
    path = coded_project.path
    coded_project.close()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = CliRunner().invoke(
            app, ["policy", "words", str(path), "--top", "3", "--stopwords", str(stop)]
        )
    assert result.exit_code == 0, result.output
    said = " ".join(result.stderr.split())
    assert f"note: stop-word file '{stop}' line 1: 'notastopword' is not a stop word" in said
    assert not [w for w in caught if issubclass(w.category, IhmsWarning)]
