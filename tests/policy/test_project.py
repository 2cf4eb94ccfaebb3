import sqlite3

import pandas as pd
import pytest

from ihms.errors import DataError, InputError
from ihms.policy.codebook import load_codebook, parse_codebook
from ihms.policy.corpus import import_folder
from ihms.policy.project import Project

from .conftest import EXAMPLES


def test_project_is_wal_with_schema(project):
    assert project.query("PRAGMA journal_mode")[0][0] == "wal"
    tables = {r[0] for r in project.query("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {
        "documents",
        "segments",
        "codebooks",
        "coders",
        "codings",
        "decisions",
        "imports",
    } <= tables
    assert project.codebook().name == "6d"


def test_statuses_and_codes(project):
    docs = project.documents().set_index("id")
    assert docs.loc["X01", "status"] == "duplicate" and docs.loc["X01", "duplicate_of"] == "N02"
    assert docs.loc["E03", "status"] == "excluded"
    assert (docs["status"] == "included").sum() == 31
    # Entry codes: national documents are 00, Shanghai 31, Fujian cities 35 (sheet region).
    assert docs.loc["N01", "level_code"] == "00" and docs.loc["N01", "file_code"] == 1
    assert docs.loc["S01", "level_code"] == "31"
    assert docs.loc["M01", "level_code"] == "35"
    segs = project.segments(scheme="paragraph")
    assert set(segs["doc_id"]) == set(docs.index[docs["status"] == "included"])
    assert segs.loc[segs["doc_id"] == "N01", "code"].iloc[0] == "00-01-P1"


def test_resegmenting_keeps_ids_and_never_loses_codings(project):
    from ihms.policy.coding import import_codings

    before = set(project.segments(scheme="paragraph")["id"])
    again = project.segment("paragraph")
    assert again["new"] == 0 and again["kept"] == len(before)
    seg = project.segments(scheme="paragraph").iloc[0]
    import_codings(project, _sheet(seg.id, "Talent construction"), coder="x")
    # The document's text changes under the coded segment: it is retired, not deleted.
    doc = next(d for d in project.load_documents() if d.id == seg.doc_id)
    from dataclasses import replace

    project.add_documents([replace(doc, text=doc.text.replace(seg.text, seg.text + "（修订）"))])
    counts = project.segment("paragraph")
    assert counts["retired"] == 1 and counts["new"] == 1
    assert project.query("SELECT retired FROM segments WHERE id=?", (seg.id,))[0][0] == 1
    assert project.query("SELECT count(*) FROM codings WHERE segment_id=?", (seg.id,))[0][0] == 1


def _sheet(segment_id, tools, coder=None):
    import pandas as pd

    row = {"segment_id": segment_id, "Policy tools": tools}
    if coder:
        row["coder"] = coder
    return pd.DataFrame([row])


def test_reimporting_the_corpus_changes_nothing(project):
    corpus = import_folder(EXAMPLES / "corpus", metadata=EXAMPLES / "metadata.xlsx")
    counts = project.add_documents(corpus.documents)
    assert counts["unchanged"] == 36 and counts["added"] == 0


def test_coders_human_and_machine(project):
    project.add_coder("alice")
    project.add_coder(
        "machine:svm-v1",
        kind="machine",
        model_id="svm-v1",
        training_size=400,
        trained_at="2024-01-01",
    )
    coders = project.coders().set_index("id")
    assert coders.loc["machine:svm-v1", "training_size"] == 400
    with pytest.raises(InputError, match="machine:<model id>"):
        project.add_coder("bot", kind="machine", model_id="svm-v1")
    with pytest.raises(InputError, match="looks like a machine coder"):
        project.add_coder("machine:x")
    assert project.add_coder("alice") == "alice"  # registering again is a no-op
    assert len(project.coders()) == 2
    # a slip of the shift key is refused, not registered as a second person
    with pytest.raises(InputError, match=r"differs only in letter case.*'alice'"):
        project.add_coder("Alice")
    assert len(project.coders()) == 2


def test_import_refuses_a_coder_spelt_in_another_case(project):
    from ihms.policy.coding import import_codings

    seg = project.segments(scheme="paragraph").iloc[0]
    import_codings(project, _sheet(seg.id, "Talent construction"), coder="coder_a")
    with pytest.raises(InputError, match="DataFrame: coder 'Coder_A' differs only in letter"):
        import_codings(project, _sheet(seg.id, "Talent construction", coder="Coder_A"))
    assert set(project.coders()["id"]) == {"coder_a"}
    # two spellings of one new coder inside one sheet
    segs = project.segments(scheme="paragraph")["id"].iloc[1:3].tolist()
    both = pd.concat([_sheet(segs[0], "Talent construction", "Bob"), _sheet(segs[1], "-", "bob")])
    with pytest.raises(InputError, match="coders 'Bob' and 'bob' differ only in letter case"):
        import_codings(project, both)
    assert set(project.coders()["id"]) == {"coder_a"}


def test_codebook_versions(coded_project):
    cb = coded_project.codebook()
    assert coded_project.update_codebook(cb) == 1
    edited = parse_codebook(cb.text.replace("en: Talent construction", "en: Talent development"))
    assert coded_project.update_codebook(edited, note="renamed a label") == 2
    assert (
        coded_project.codebook().dimension("tools").category("talent development").key
        == "talent_construction"
    )
    broken = parse_codebook(cb.text.replace("key: talent_construction", "key: talent"))
    with pytest.raises(DataError, match="orphan"):
        coded_project.update_codebook(broken)
    assert coded_project.codebook_version == 2


def test_open_and_create_errors(tmp_path, project):
    with pytest.raises(InputError, match="does not exist"):
        Project(tmp_path / "none.sqlite")
    junk = tmp_path / "junk.sqlite"
    sqlite3.connect(junk).execute("CREATE TABLE x(a)").connection.close()
    with pytest.raises(InputError, match="not an ihms policy project"):
        Project(junk)
    with pytest.raises(InputError, match="already exists"):
        Project.create(project.path, load_codebook("6d"))
