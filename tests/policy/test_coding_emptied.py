"""A cell emptied in a coder's sheet imported again (session 19 user review, F15: the
old code stayed, "0 answers replaced, 25 unchanged", even with ``--replace``).

With ``replace`` the sheet is the coder's whole answer for its rows and columns: an
emptied cell removes the answer stored there (``removed``). Without it the stored answer
stays, and the import names it (``kept_empty``) rather than keeping it without a word.
A column the sheet does not have, or a segment it does not list, is left alone."""

import pandas as pd
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.policy.coding import codings, import_codings


def _sheet(segs, tools, stakeholders):
    return pd.DataFrame({"segment_id": segs, "Policy tools": tools, "Stakeholders": stakeholders})


def _held(project, coder="alice"):
    long = codings(project, coders=[coder])
    return {(r.segment_id, r.dimension) for r in long.itertuples()}


def _first(project):
    s1, s2 = list(project.segments(scheme="paragraph")["id"][:2])
    first = _sheet([s1, s2], ["Talent construction", "Price adjustment"], ["Governments", "-"])
    import_codings(project, first, coder="alice")
    return s1, s2


def test_with_replace_an_emptied_cell_removes_the_stored_answer(project):
    s1, s2 = _first(project)
    again = _sheet([s1, s2], ["", "Price adjustment"], ["Governments", "-"])
    result = import_codings(project, again, coder="alice", replace=True)
    assert result.removed == ((s1, "tools", "alice"),)
    assert result.replaced == 0 and result.unchanged == 3
    assert (s1, "tools") not in _held(project)
    assert _held(project) == {(s1, "stakeholders"), (s2, "tools"), (s2, "stakeholders")}
    assert result.left_empty == ()  # said once, as removed
    # a sheet without the stakeholders column leaves them alone
    only_tools = pd.DataFrame({"segment_id": [s2], "Policy tools": ["Price adjustment"]})
    assert import_codings(project, only_tools, coder="alice", replace=True).removed == ()
    assert (s2, "stakeholders") in _held(project)


def test_without_replace_the_stored_answer_stays_and_is_named(project):
    s1, s2 = _first(project)
    again = _sheet([s1, s2], ["", "Price adjustment"], ["Governments", "-"])
    result = import_codings(project, again, coder="alice")
    assert result.removed == () and result.kept_empty == ((s1, "tools", "alice"),)
    assert (s1, "tools") in _held(project)
    assert result.left_empty == ()


def test_the_cli_says_removed_or_kept(project, tmp_path):
    s1, s2 = _first(project)
    path = str(project.path)
    project.close()
    sheet = tmp_path / "again.csv"
    _sheet([s1, s2], ["", "Price adjustment"], ["Governments", "-"]).to_csv(sheet, index=False)
    runner = CliRunner()
    kept = runner.invoke(app, ["policy", "codes", "import", path, str(sheet), "--coder", "alice"])
    said = " ".join(kept.output.split())
    assert kept.exit_code == 0, kept.output
    assert (
        f"1 answer stored earlier has an empty cell in the sheet and was kept: {s1}/tools" in said
    )
    assert "--replace" in said
    gone = runner.invoke(
        app, ["policy", "codes", "import", path, str(sheet), "--coder", "alice", "--replace"]
    )
    said = " ".join(gone.output.split())
    assert gone.exit_code == 0, gone.output
    assert f"0 answers replaced, 1 answer removed ({s1}/tools), 3 unchanged" in said
    helped = " ".join(runner.invoke(app, ["policy", "codes", "import", "--help"]).output.split())
    assert "removes" in helped


def test_a_wholly_blank_row_removes_nothing_even_with_replace(project):
    # A reused blank template (session-19 review): its rows list every segment, the ones
    # not coded in this batch wholly blank. They are not this sheet's answer, so nothing
    # stored under them is removed, nor named as kept.
    s1, s2 = _first(project)
    again = _sheet([s1, s2], ["", "Price adjustment"], ["", "-"])
    for replace in (True, False):
        result = import_codings(project, again, coder="alice", replace=replace)
        assert result.removed == () and result.kept_empty == ()
    assert _held(project) == {
        (s1, "tools"),
        (s1, "stakeholders"),
        (s2, "tools"),
        (s2, "stakeholders"),
    }


def test_with_replace_each_coder_of_a_shared_sheet_loses_only_its_emptied_cells(project):
    # one sheet, a coder column: bob empties one of his cells, alice none
    s1, s2 = _first(project)
    bob = _sheet([s1], ["Price adjustment"], ["-"]).assign(coder="bob")
    import_codings(project, bob)
    both = pd.concat(
        [
            _sheet(
                [s1, s2], ["Talent construction", "Price adjustment"], ["Governments", "-"]
            ).assign(coder="alice"),
            _sheet([s1], [""], ["-"]).assign(coder="bob"),
        ]
    )
    result = import_codings(project, both, replace=True)
    assert result.removed == ((s1, "tools", "bob"),) and result.kept_empty == ()
    assert _held(project, "bob") == {(s1, "stakeholders")}
    assert len(_held(project)) == 4  # alice's answers untouched
