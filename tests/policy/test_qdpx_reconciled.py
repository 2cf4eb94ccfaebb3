"""The reconciled coding an export writes as user 'reconciled' reads back as the
project's reconciliation (its decisions), not as one more coder."""

from __future__ import annotations

import json
import shutil
import zipfile

import pytest

from ihms.errors import DataError, InputError
from ihms.policy._reconciled_decisions import RECONCILED_NOTE
from ihms.policy.agreement import coder_agreement
from ihms.policy.coding import add_codings
from ihms.policy.project import Project
from ihms.policy.qdpx import export_qdpx, import_qdpx
from ihms.policy.reconcile import final_codings


def _final(project) -> set[tuple[str, str, str, str]]:
    final, unresolved = final_codings(project, keep_none=True)
    assert unresolved.empty
    return set(zip(final["segment_id"], final["dimension"], final["value"], final["how"],
                   strict=True))  # fmt: skip


def _decisions(project) -> dict[tuple[str, str], tuple[frozenset[str], str, str]]:
    return {
        (seg, dim): (frozenset(json.loads(value)), method, by)
        for seg, dim, value, method, by in project.query(
            "SELECT segment_id, dimension, value, method, decided_by FROM decisions"
        )
    }


def test_export_then_import_gives_the_same_final_codes_and_coders(coded_project, project, tmp_path):
    path = tmp_path / "all.qdpx"
    assert export_qdpx(coded_project, path).users == ("coder_a", "coder_b", "reconciled")
    for coder in ("coder_a", "coder_b"):
        import_qdpx(project, path, coder=coder, user=coder)
    result = import_qdpx(project, path, user="reconciled")
    assert result.reconciliation and result.coder == "" and result.unplaced == ()
    assert not [n for n in result.notes if "match no" in n]  # filed under the file's names
    # the same coders (the reconciled user is no coder of the project) ...
    assert list(project.coders()["id"]) == list(coded_project.coders()["id"])
    assert list(project.coders()["id"]) == ["coder_a", "coder_b"]
    assert project.query("SELECT count(*) FROM codings WHERE coder_id='reconciled'") == [(0,)]
    # ... and the same final codes, each the same kind of reconciliation: where both
    # coders agreed an agreement of theirs, else a decision by the lead who made it (the
    # export's note on its codings names them)
    original, back = _final(coded_project), _final(project)
    assert back == original and len(original) > 400
    before, after = _decisions(coded_project), _decisions(project)
    assert {k: v[:2] for k, v in after.items()} == {k: v[:2] for k, v in before.items()}
    assert {by for _, method, by in after.values() if method == "agreement"} == {
        "agreement of coder_a, coder_b"
    }
    assert {by for _, method, by in after.values() if method == "decision"} == {"lead"}
    assert result.added == len(before) and result.answers == len(before)
    # agreement is between the two people only
    report = coder_agreement(project)
    assert tuple(report.coders) == ("coder_a", "coder_b")
    # a second import of the same file changes nothing
    again = import_qdpx(project, path, user="reconciled")
    assert (again.added, again.unchanged) == (0, len(before))


def test_reconciled_user_is_not_filed_under_a_coder(coded_project, project, tmp_path):
    path = tmp_path / "all.qdpx"
    export_qdpx(coded_project, path)
    with pytest.raises(InputError, match="project's reconciliation, not a coder's codings"):
        import_qdpx(project, path, coder="agreed", user="reconciled")
    with pytest.raises(InputError, match="name the coder to file"):
        import_qdpx(project, path, user="coder_a")
    assert project.query("SELECT count(*) FROM coders") == [(0,)]


def test_a_reconciliation_that_differs_is_not_overwritten_without_replace(
    coded_project, project, tmp_path
):
    path = tmp_path / "all.qdpx"
    export_qdpx(coded_project, path)
    import_qdpx(project, path, user="reconciled")
    (seg, dim), (values, *_) = next(iter(_decisions(project).items()))
    with project.transaction() as conn:
        conn.execute("UPDATE decisions SET value='[\"x\"]' WHERE segment_id=? AND dimension=?",
                     (seg, dim))  # fmt: skip
    with pytest.raises(DataError, match="contradict the project's reconciliation") as err:
        import_qdpx(project, path, user="reconciled")
    assert f"segment {seg!r} dimension {dim!r} is reconciled as x" in str(err.value.problems)
    result = import_qdpx(project, path, user="reconciled", replace=True)
    assert result.replaced == 1 and _decisions(project)[seg, dim][0] == values


def test_the_reconciled_user_gives_the_same_decision_kinds_before_or_after_the_coders(
    coded_project, project, tmp_path
):
    # The finding of 2026-11-23: imported before the coders, every pair stayed a decision
    # by the file's user; imported after them, a pair both coders agreed on became their
    # agreement. The kinds (and so the reconciliation statistics) must not hang on order.
    path = tmp_path / "all.qdpx"
    export_qdpx(coded_project, path)
    import_qdpx(project, path, user="reconciled")
    for coder in ("coder_a", "coder_b"):
        import_qdpx(project, path, coder=coder, user=coder)
    before = {k: v[1:] for k, v in _decisions(project).items()}
    kinds = {method for method, _ in before.values()}
    assert kinds == {"agreement", "decision"}
    # the same values and kinds as the coders-first import (the first test: as reconciled)
    assert {k: v[:2] for k, v in _decisions(coded_project).items()} == {
        k: v[:2] for k, v in _decisions(project).items()
    }
    assert {by for method, by in before.values() if method == "agreement"} == {
        "agreement of coder_a, coder_b"
    }
    assert {by for method, by in before.values() if method == "decision"} == {"lead"}


def _answer(project, seg, dim, coder) -> frozenset[str]:
    return frozenset(
        v
        for (v,) in project.query(
            "SELECT value FROM codings WHERE segment_id=? AND dimension=? AND coder_id=?",
            (seg, dim, coder),
        )
        if v
    )


def test_a_coder_reimported_with_replace_resettles_the_reconciled_decisions(
    coded_project, project, tmp_path
):
    """The reconciled coding's decisions are the file user's; where the coders agree
    with one it reads as their agreement. When coder_b changes answers, each such
    decision is settled again: one the coders no longer all give is the file user's
    decision again, named for review — it was deleted as if an automatic agreement,
    losing the file's answer — and one the coders now all give becomes their
    agreement, named for review too: this test first asserted only the first, but a
    person's decision that silently turns into "the coders agreed" (session 17 review)
    changes the reconciliation statistics as much as the other way round, so every
    pair whose kind changed is named."""
    path = tmp_path / "all.qdpx"
    export_qdpx(coded_project, path)
    for coder in ("coder_a", "coder_b"):
        import_qdpx(project, path, coder=coder, user=coder)
    import_qdpx(project, path, user="reconciled")
    before = _decisions(project)
    cb = project.codebook()
    agreed = next(k for k, v in sorted(before.items()) if v[1] == "agreement" and v[0])
    decided = next(
        k for k, v in sorted(before.items())
        if v[1] == "decision" and _answer(project, *k, "coder_a") == v[0]
    )  # fmt: skip
    other = next(c for c in cb.dimension(agreed[1]).category_keys if c not in before[agreed][0])
    result = add_codings(
        project,
        {(*agreed, "coder_b"): frozenset({other}), (*decided, "coder_b"): before[decided][0]},
        replace=True,
    )
    after = _decisions(project)
    assert after[agreed] == (before[agreed][0], "decision", "reconciled (all.qdpx)")
    assert after[decided] == (before[decided][0], "agreement", "agreement of coder_a, coder_b")
    assert result.agreements_withdrawn == 0
    assert result.decisions_to_review == tuple(sorted((agreed, decided)))
    assert {k: v for k, v in after.items() if k not in (agreed, decided)} == {
        k: v for k, v in before.items() if k not in (agreed, decided)
    }


def test_who_decided_and_their_notes_come_back_with_the_reconciled_coding(
    coded_project, project, project_templates, tmp_path
):
    """The lead's decisions (decided_by 'lead', a note each) read back as the file
    user's, their notes lost: the export now hangs a REFI-QDA note on each decision's
    codings — who decided and the note — and the import restores both (the note after
    the line saying where the decision came from). An agreement's note comes back too;
    its author stays the coders' agreement, derived from their codings."""
    decisions = _decisions(coded_project)
    decided = sorted(k for k, v in decisions.items() if v[1] == "decision")
    agreed = next(k for k, v in sorted(decisions.items()) if v[1] == "agreement")
    assert len(decided) == 125
    with coded_project.transaction() as conn:
        conn.execute(
            "UPDATE decisions SET note=? WHERE segment_id=? AND dimension=?",
            ("two lines:\nread with the 2019 guideline", *decided[0]),
        )
        conn.execute(
            "UPDATE decisions SET note='checked again' WHERE segment_id=? AND dimension=?",
            agreed,
        )
    notes = {
        (seg, dim): note
        for seg, dim, note in coded_project.query(
            "SELECT segment_id, dimension, note FROM decisions"
        )
    }
    path = tmp_path / "all.qdpx"
    export_qdpx(coded_project, path)
    for coder in ("coder_a", "coder_b"):
        import_qdpx(project, path, coder=coder, user=coder)
    import_qdpx(project, path, user="reconciled")
    assert _decisions(project) == decisions  # values, kinds and who decided
    back = {
        (seg, dim): note
        for seg, dim, note in project.query("SELECT segment_id, dimension, note FROM decisions")
    }
    assert back[decided[0]] == f"{RECONCILED_NOTE}lead\ntwo lines:\nread with the 2019 guideline"
    assert back[decided[1]] == f"{RECONCILED_NOTE}lead\n{notes[decided[1]]}"
    assert notes[decided[1]] == "decided against the definitions in the codebook"
    assert back[agreed] == f"{RECONCILED_NOTE}reconciled (all.qdpx)\nchecked again"
    # exported again and read back before the coders: the same authors, and the notes
    # not wrapped in a second line of where they came from
    again = tmp_path / "again.qdpx"
    export_qdpx(project, again)
    (tmp_path / "other").mkdir()
    other = Project(shutil.copy(project_templates["segmented"], tmp_path / "other"))
    import_qdpx(other, again, user="reconciled")
    for coder in ("coder_a", "coder_b"):
        import_qdpx(other, again, coder=coder, user=coder)
    assert _decisions(other) == decisions
    third = dict(other.query("SELECT segment_id || '/' || dimension, note FROM decisions"))
    assert third["/".join(decided[0])] == back[decided[0]]
    # the agreement's note names the first file's user, who it came from
    assert third["/".join(agreed)] == back[agreed]
    other.close()


def _round_trip(coded_project, project, tmp_path):
    path = tmp_path / "all.qdpx"
    export_qdpx(coded_project, path)
    for coder in ("coder_a", "coder_b"):
        import_qdpx(project, path, coder=coder, user=coder)
    import_qdpx(project, path, user="reconciled")
    return path


@pytest.mark.parametrize(
    ("coder", "kind"), [("machine:m1", "machine"), ("coder_c", "human")], ids=["machine", "third"]
)
def test_a_coder_the_reconciliation_was_not_between_leaves_its_kinds_alone(
    coded_project, project, tmp_path, coder, kind
):
    """The finding of 2026-11-23 (session 17 review): every coding of a pair counted, so
    an autocoder's answers awaiting review (or a third person's, coded later) changed a
    reconciled decision's kind — agreeing, the pair became "agreement of coder_a,
    coder_b, machine:m1"; disagreeing, an agreement became a decision — with nothing
    to review. The reconciled coding was between the file's people, coder_a and coder_b."""
    _round_trip(coded_project, project, tmp_path)
    before = _decisions(project)
    cb = project.codebook()
    agreed = [k for k, v in sorted(before.items()) if v[1] == "agreement" and v[0]][:2]
    other = next(
        c for c in cb.dimension(agreed[1][1]).category_keys if c not in before[agreed[1]][0]
    )
    decided = next(
        k for k, v in sorted(before.items())
        if v[1] == "decision" and _answer(project, *k, "coder_a") == v[0]
    )  # fmt: skip
    result = add_codings(
        project,
        {(*agreed[0], coder): before[agreed[0]][0], (*agreed[1], coder): frozenset({other}),
         (*decided, coder): before[decided][0]},
        new_coders={coder: kind},
    )  # fmt: skip
    assert _decisions(project) == before
    assert result.decisions_to_review == ()


def test_a_third_coder_who_coded_before_the_reconciled_file_is_not_part_of_it(
    coded_project, project, tmp_path
):
    """Order does not matter: coder_c's answers, given before the reconciled coding is
    read, are not its coders' either (the file named coder_a and coder_b)."""
    path = tmp_path / "all.qdpx"
    export_qdpx(coded_project, path)
    for coder in ("coder_a", "coder_b"):
        import_qdpx(project, path, coder=coder, user=coder)
    # coder_c gives coder_a's answers everywhere: with them the agreements would widen
    import_qdpx(project, path, coder="coder_c", user="coder_a")
    import_qdpx(project, path, user="reconciled")
    assert _decisions(project) == _decisions(coded_project)


def _rewrite_note(path, old: str, new: str) -> None:
    """Edit the first note holding ``old`` as NVivo would, in place."""
    with zipfile.ZipFile(path) as z:
        members = {i.filename: z.read(i.filename) for i in z.infolist()}
    qde = members["project.qde"].decode("utf-8")
    assert old in qde
    members["project.qde"] = qde.replace(old, new, 1).encode("utf-8")
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)


def test_a_note_edited_on_an_unchanged_answer_is_reported_not_lost_silently(
    coded_project, project, tmp_path
):
    """The finding of 2026-11-23 (session 17 review): a memo edited in the QDA program
    on a pair whose answer did not change was dropped without a word. The project keeps
    its note (as it keeps its answers without replace) and the import says so."""
    path = _round_trip(coded_project, project, tmp_path)
    notes = dict(project.query("SELECT segment_id || '/' || dimension, note FROM decisions"))
    _rewrite_note(path, "decided against the definitions in the codebook", "read again in NVivo")
    result = import_qdpx(project, path, user="reconciled")
    assert result.unchanged == len(notes) and result.added == 0
    assert [n for n in result.notes if "note" in n] == [
        "1 decision note(s) in the file differ from the project's on pairs whose answer is "
        "unchanged: not applied (the project keeps its own)"
    ]
    assert (
        dict(project.query("SELECT segment_id || '/' || dimension, note FROM decisions")) == notes
    )


def test_a_reconciled_coding_read_before_its_coders_were_recorded_counts_every_person(
    coded_project, project, tmp_path
):
    """A project whose reconciled coding was read before the import log named its
    coders (note empty) settles against all its human coders, as it did then — but
    never a machine coder."""
    _round_trip(coded_project, project, tmp_path)
    with project.transaction() as conn:
        conn.execute("UPDATE imports SET note=NULL WHERE kind='decisions'")
    before = _decisions(project)
    agreed = next(k for k, v in sorted(before.items()) if v[1] == "agreement" and v[0])
    add_codings(project, {(*agreed, "machine:m1"): before[agreed][0]},
                new_coders={"machine:m1": "machine"})  # fmt: skip
    assert _decisions(project) == before
    add_codings(project, {(*agreed, "coder_c"): before[agreed][0]}, new_coders={"coder_c": "human"})
    assert _decisions(project)[agreed][2] == "agreement of coder_a, coder_b, coder_c"


def test_file_users_matching_no_coder_are_named_on_import(coded_project, project, tmp_path):
    """Coders are matched to the file's users by id or name only (the import has no
    option saying which coder a file user is): coder_a and coder_b imported as alice
    and bob leave every reconciled pair a decision by the file's user. The import
    says which file users matched no coder, rather than leaving it to be found in the
    decisions table."""
    path = tmp_path / "all.qdpx"
    export_qdpx(coded_project, path)
    for coder, name in (("coder_a", "alice"), ("coder_b", "bob")):
        import_qdpx(project, path, coder=name, user=coder)
    result = import_qdpx(project, path, user="reconciled")
    assert {method for _, method, _ in _decisions(project).values()} == {"decision"}
    unmatched = [n for n in result.notes if "match no" in n]
    assert unmatched == [
        "file user(s) 'coder_a', 'coder_b' match no human coder of the project by id or "
        "name (coders: alice, bob), so a pair they agreed on stays a decision by "
        f"'reconciled ({path.name})'; the coders of a reconciled coding are matched by "
        "name only: file each one's codings under the file's name (coder=... / --coder "
        "NAME) for their agreements to count"
    ]


def test_a_coder_filed_under_another_name_after_the_reconciled_coding_is_named(
    coded_project, project, tmp_path
):
    """The other order: the reconciled coding read first (between coder_a and coder_b),
    then coder_a's codings filed as alice — her answers settle none of its pairs, and
    the import says so; coder_b filed under the file's name is not mentioned."""
    path = tmp_path / "all.qdpx"
    export_qdpx(coded_project, path)
    import_qdpx(project, path, user="reconciled")
    alice = import_qdpx(project, path, coder="alice", user="coder_a")
    assert [n for n in alice.notes if "filed as" in n] == [
        "file user 'coder_a' is filed as coder 'alice', but the project's reconciled coding "
        "was between file users by name (coder_a, coder_b): 'alice''s answers settle none "
        "of its pairs (file them as 'coder_a' for them to count)"
    ]
    bob = import_qdpx(project, path, coder="coder_b", user="coder_b")
    assert not [n for n in bob.notes if "filed as" in n]
    assert {method for _, method, _ in _decisions(project).values()} == {"decision"}
