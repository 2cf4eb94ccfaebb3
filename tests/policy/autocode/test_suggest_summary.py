"""`suggest`'s printed table (review finding 14): texts below the table, cut to a
readable start, and the note on uncertainty fits the dimension."""

import pandas as pd

from ihms.policy.autocode.active import SHOWN, Suggestion


def _suggestion(multilabel):
    text = "完善网格化布局。" * 20
    frame = pd.DataFrame(
        {
            "rank": [1, 2], "row": [4, 9], "segment": ["s4", "s9"], "doc": ["d1", "d2"],
            "text": [text, "二、重点任务\n（一）完善"], "machine_guess": ["a;b", "a"],
            "uncertainty": [0.9, 0.5], "cluster": [0, 1],
        }
    )  # fmt: skip
    return Suggestion(segments=frame, n_coded=10, n_uncoded=30, multilabel=multilabel), text


def test_texts_go_below_the_table_cut_to_their_start():
    s, text = _suggestion(multilabel=True)
    table = s.summary()
    assert "text" not in table.frame.columns
    assert list(table.frame["machine_guess"]) == ["a; b", "a"]
    assert f"1. {text[: SHOWN - 1]}…" in table.notes
    assert "2. 二、重点任务 （一）完善" in table.notes  # one line
    assert table.notes[0].startswith("Uncertainty 1 = a category's score sits at its cut")
    assert len(s.segments.loc[0, "text"]) == 160  # the suggestion keeps the whole text


def test_single_label_note():
    s, _ = _suggestion(multilabel=False)
    assert (
        s.summary()
        .notes[0]
        .startswith("Uncertainty 1 = the model cannot tell its two best categories apart")
    )
