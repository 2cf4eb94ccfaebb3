"""A machine coder's provenance in a REFI-QDA export (session 25): each machine answer's
codings refer to a ``Note`` (REFI-QDA 1.0 gives a ``Coding`` no description; a
``NoteRef`` is the standard's way to hang text on it, which NVivo and ATLAS.ti show as a
memo) saying what ``codes export`` writes beside it — probability or rule fired, training
segment, review, model, training size and date, codebook version — plus the record as
JSON; each machine coder has a model note and a user name naming its model. The file
validates against Project.xsd 1.0; importing the machine user into a fresh project gives
back its answers with the provenance the first project recorded, under its own machine
coder; a note edited in the QDA program, or the codings filed under a person, is refused
and nothing is imported.

The provenance is written by hand (the worked example in tests/policy/_machine_coded.py,
shared with the codes export's tests), so each expected line is the stored value
formatted: probabilities with 4 decimals.
"""

from __future__ import annotations

import json
import shutil
import zipfile

import pytest
from lxml import etree

from ihms.errors import DataError, InputError
from ihms.policy.coding import add_codings
from ihms.policy.project import Project
from ihms.policy.qdpx import export_qdpx, import_qdpx

from ._machine_coded import TRAINED_AT, M, R, code_machines, prov
from .autocode._content_project import build
from .test_qdpx import NS, XSD


@pytest.fixture
def coded(tmp_path):
    """A copy kept before any coder (the fresh project to import into), then machine:m1
    on actors for three segments (the first accepted by lead) and keyword rules on one."""
    p = build(tmp_path / "p.sqlite")
    p.close()
    shutil.copy(tmp_path / "p.sqlite", tmp_path / "fresh.sqlite")
    p = Project(tmp_path / "p.sqlite")
    s = p.segments(scheme="paragraph")["id"].tolist()
    code_machines(p, s)
    yield p, s, tmp_path
    p.close()


def _root(path):
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read("project.qde"))


def _notes_of(root, user_guid: str) -> dict[str, str]:
    return {
        n.get("guid"): n.findtext("q:PlainTextContent", namespaces=NS)
        for n in root.iterfind("q:Notes/q:Note", NS)
        if n.get("creatingUser") == user_guid
    }


def test_export_hangs_a_note_with_the_provenance_on_every_machine_coding(coded):
    p, _s, tmp = coded
    export_qdpx(p, tmp / "m.qdpx", coders=[M, R])
    root = _root(tmp / "m.qdpx")
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    assert schema.validate(root), schema.error_log
    users = {u.get("id"): u for u in root.iterfind("q:Users/q:User", NS)}
    assert users[M].get("name") == (
        "machine:m1 (ihms machine coder, model m1, 32 training segments, trained 2026-11-20)"
    )
    assert users[R].get("name") == "machine:rules-abc (ihms machine coder, model rules-abc)"
    notes = _notes_of(root, users[M].get("guid"))
    # three answers, one note each, and the model's own note
    assert len(notes) == 4
    model = [t for t in notes.values() if t.startswith("ihms machine coder: ")]
    assert model == [
        "ihms machine coder: machine:m1\nmachine model: m1\nmachine training size: 32\n"
        f"machine trained at: {TRAINED_AT}\nmachine codebook version: ycgt v1 (a1d615cc6a75)"
    ]
    # every coding of machine:m1 refers to its answer's note; the first answer's lines
    by_sel: dict[str, set[str]] = {}
    for sel in root.iter("{urn:QDA-XML:project:1.0}PlainTextSelection"):
        for c in sel.iterfind("q:Coding", NS):
            if c.get("creatingUser") == users[M].get("guid"):
                refs = [r.get("targetGUID") for r in c.iterfind("q:NoteRef", NS)]
                assert len(refs) == 1 and refs[0] in notes
                by_sel.setdefault(sel.get("guid"), set()).add(notes[refs[0]])
    assert len(by_sel) == 3 and all(len(t) == 1 for t in by_sel.values())
    first = next(t for (t,) in by_sel.values() if "0.9755" in t).splitlines()
    assert first[:9] == [
        "ihms machine coding: machine:m1",
        "Actors · machine probability: Government=0.9755; County hospital=0.6123",
        "Actors · machine in training: yes",
        "Actors · machine review: accepted (lead)",
        "machine model: m1",
        "machine training size: 32",
        f"machine trained at: {TRAINED_AT}",
        "machine codebook version: ycgt v1 (a1d615cc6a75)",
        first[8],
    ]
    record = json.loads(first[8].removeprefix("ihms provenance (read-only): "))
    assert record == {"provenance": prov({"government": 0.9755, "hospital": 0.6123}, True),
                      "review": "accepted", "reviewed_by": "lead"}  # fmt: skip
    rules = [
        t
        for t in _notes_of(root, users[R].get("guid")).values()
        if t.startswith("ihms machine coding")
    ]
    assert len(rules) == 1 and "Actors · machine rule: Government=政府 OR 局" in rules[0]


def test_export_in_chinese_uses_the_codes_export_headers(coded):
    p, _s, tmp = coded
    export_qdpx(p, tmp / "zh.qdpx", coders=[M], lang="zh")
    root = _root(tmp / "zh.qdpx")
    assert etree.XMLSchema(etree.parse(str(XSD))).validate(root)
    texts = [
        n.findtext("q:PlainTextContent", namespaces=NS) for n in root.iterfind("q:Notes/q:Note", NS)
    ]
    first = next(t for t in texts if "0.9755" in t)
    assert "主体 · 机器概率: 政府=0.9755; 县级医院=0.6123" in first
    assert "主体 · 机器编码审核: 接受（lead）" in first and "机器模型: m1" in first


def test_people_only_export_has_no_machine_notes(coded):
    p, s, tmp = coded
    add_codings(p, {(s[0], "actors", "alice"): frozenset({"government"})},
                new_coders={"alice": "human"})  # fmt: skip
    export_qdpx(p, tmp / "a.qdpx", coders=["alice"])
    root = _root(tmp / "a.qdpx")
    assert root.find("q:Notes", NS) is None and not root.findall(".//q:NoteRef", NS)


def _stored(p: Project, coder: str) -> dict:
    return {
        (seg, dim, value): (json.loads(prov) if prov else None, status)
        for seg, dim, value, prov, status in p.query(
            "SELECT segment_id, dimension, value, provenance, review_status FROM codings"
            " WHERE coder_id=?",
            (coder,),
        )
    }


def test_machine_user_imports_into_a_fresh_project_with_its_provenance(coded):
    p, _s, tmp = coded
    export_qdpx(p, tmp / "m.qdpx", coders=[M])
    with Project(tmp / "fresh.sqlite") as fresh:
        result = import_qdpx(fresh, tmp / "m.qdpx")  # no coder: its own machine coder
        assert result.coder == M and result.added == 4
        back, original = _stored(fresh, M), _stored(p, M)
        assert set(back) == set(original)
        for key, (prov, status) in back.items():
            assert {k: v for k, v in prov.items() if k != "qdpx"} == original[key][0]
            assert prov["qdpx"]["source"] == "qdpx" and status is None  # reviews not imported
        coder = fresh.query(
            "SELECT kind, model_id, training_size, trained_at FROM coders WHERE id=?", (M,)
        )
        assert coder == [("machine", "m1", 32, TRAINED_AT)]
        assert any("1 answer(s) were reviewed" in n for n in result.notes)
        assert any(
            "3 answer(s) of machine:m1 carry its model's provenance" in n for n in result.notes
        )
        # exported again from the fresh project: the same provenance lines
        export_qdpx(fresh, tmp / "again.qdpx", coders=[M])
    lines = {
        ln
        for n in _root(tmp / "again.qdpx").iterfind("q:Notes/q:Note", NS)
        for ln in n.findtext("q:PlainTextContent", namespaces=NS).splitlines()
        if "probability" in ln
    }
    assert "Actors · machine probability: Government=0.9755; County hospital=0.6123" in lines


def test_machine_user_into_its_own_project_is_unchanged(coded):
    p, _s, tmp = coded
    export_qdpx(p, tmp / "m.qdpx", coders=[M])
    before = _stored(p, M)
    result = import_qdpx(p, tmp / "m.qdpx", coder=M)
    assert (result.added, result.unchanged) == (0, 3) and _stored(p, M) == before


def _edit_note(path, old: str, new: str, out) -> None:
    with zipfile.ZipFile(path) as z, zipfile.ZipFile(out, "w") as w:
        for name in z.namelist():
            data = z.read(name)
            if name == "project.qde":
                assert old.encode() in data
                data = data.replace(old.encode(), new.encode(), 1)
            w.writestr(name, data)


def test_edited_note_or_machine_codings_under_a_person_are_refused(coded):
    p, _s, tmp = coded
    export_qdpx(p, tmp / "m.qdpx", coders=[M])
    _edit_note(tmp / "m.qdpx", "Government=0.9755", "Government=0.99", tmp / "edited.qdpx")
    with Project(tmp / "fresh.sqlite") as fresh:
        held = [fresh.query(f"SELECT * FROM {t}") for t in ("coders", "codings", "imports")]
        with pytest.raises(DataError) as err:
            import_qdpx(fresh, tmp / "edited.qdpx")
        assert any(
            "line 'Actors · machine probability' says 'Government=0.99; County hospital=0.6123'"
            in d
            and "read-only" in d
            for d in err.value.problems
        )
        with pytest.raises(InputError, match="file them under 'machine:m1'"):
            import_qdpx(fresh, tmp / "m.qdpx", coder="alice")
        # nothing was written: no coder, no codings, no import
        assert [fresh.query(f"SELECT * FROM {t}") for t in ("coders", "codings", "imports")] == held
        # a line a QDA user added to the memo is their own words, not provenance
        _edit_note(tmp / "m.qdpx", "machine model: m1", "checked by alice\nmachine model: m1",
                   tmp / "commented.qdpx")  # fmt: skip
        assert import_qdpx(fresh, tmp / "commented.qdpx").added == 4
