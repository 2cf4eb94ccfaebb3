"""``policy agreement`` leaves out the codings of retired segments, as the tables and the
dataset do, and says how many (it compared a paragraph whose text had since changed)."""

from dataclasses import replace

import pytest

from ihms.errors import InputError
from ihms.policy.agreement import agreement_table, coder_agreement


def _retire_first(project):
    seg = project.segments(scheme="paragraph").iloc[0]
    doc = next(d for d in project.load_documents() if d.id == seg.doc_id)
    project.add_documents([replace(doc, text=doc.text.replace(seg.text, seg.text + "（修订）"))])
    assert project.segment("paragraph")["retired"] == 1
    return seg.id


def test_retired_segments_are_left_out_and_counted_in_a_note(coded_project):
    before = coder_agreement(coded_project)
    assert before.row("tools")["n_units"] == 212
    retired = _retire_first(coded_project)
    after = coder_agreement(coded_project)
    # the new paragraph is uncoded: 211 units, where the report said 212 with the old one
    assert after.row("tools")["n_units"] == 211
    note = (
        f"the codings of 1 retired segment ({retired}: the text changed or left the corpus "
        "at a re-import) are left out, as the tables and the dataset leave it out"
    )
    assert note in after.notes
    assert note in agreement_table(after, coded_project.codebook()).notes
    assert retired not in set(coded_project.segments()["id"])  # as the tables read them


def test_codings_only_on_retired_segments_are_refused(project):
    import pandas as pd

    from ihms.policy.coding import import_codings

    seg = project.segments(scheme="paragraph").iloc[0].id
    for coder in ("a", "b"):
        import_codings(
            project,
            pd.DataFrame({"segment_id": [seg], "tools": ["Talent construction"]}),
            coder=coder,
        )
    _retire_first(project)
    with pytest.raises(InputError, match=r"coded only retired segments \(" + seg):
        coder_agreement(project)
