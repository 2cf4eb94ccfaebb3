import pandas as pd
import pytest

from ihms.errors import DataError, InputError
from ihms.policy.coding import import_codings
from ihms.policy.reconcile import (
    coded_data,
    export_disagreements,
    final_codings,
    reconcile,
    record_decisions,
)


def _code(project, coder, rows):
    import_codings(project, pd.DataFrame(rows), coder=coder)


@pytest.fixture
def two_coders(project):
    s = list(project.segments()["id"][:4])
    _code(project, "a", [
        {"segment_id": s[0], "tools": "人才建设; 资金保障", "stakeholders": "Governments"},
        {"segment_id": s[1], "tools": "Price adjustment", "stakeholders": "-"},
        {"segment_id": s[2], "tools": "Policy promotion"},
    ])  # fmt: skip
    _code(project, "b", [
        {"segment_id": s[0], "tools": "Financial guarantee; Talent construction", "stakeholders": "Residents"},
        {"segment_id": s[1], "tools": "价格调整", "stakeholders": "-"},
        {"segment_id": s[3], "tools": "Policy promotion"},
    ])  # fmt: skip
    return project, s


def test_agreements_recorded_disagreements_listed(two_coders):
    project, s = two_coders
    rec = reconcile(project, coders=["a", "b"])
    assert (rec.agreed, rec.recorded, rec.incomplete) == (3, 3, 2)
    assert list(rec.disagreements["segment_id"]) == [s[0]]
    row = rec.disagreements.iloc[0]
    assert (row["dimension"], row["a"], row["b"]) == ("stakeholders", "governments", "residents")
    again = reconcile(project, coders=["a", "b"])
    assert (again.agreed, again.recorded) == (3, 0)
    assert rec.summary().frame.loc["disagreements to decide", "n"] == 1


def test_decisions_recorded_with_who(two_coders, tmp_path):
    project, s = two_coders
    rec = reconcile(project, coders=["a", "b"])
    path = export_disagreements(rec, tmp_path / "d.xlsx", project.codebook(), lang="zh")
    sheet = pd.read_excel(path, dtype=str, keep_default_na=False)
    assert sheet.loc[0, "a"] == "政府"
    sheet.loc[0, "decision"] = "政府; 居民"
    record_decisions(project, sheet, decided_by="lead")
    row = project.query(
        "SELECT value, method, decided_by FROM decisions WHERE segment_id=? AND dimension='stakeholders'",
        (s[0],),
    )
    assert row == [('["governments", "residents"]', "decision", "lead")]
    final, unresolved = final_codings(project)
    assert unresolved.empty
    got = final[final["segment_id"] == s[0]].groupby("dimension")["value"].apply(sorted).to_dict()
    assert got == {
        "stakeholders": ["governments", "residents"],
        "tools": ["financial_guarantee", "talent_construction"],
    }
    # Only one coder coded s[2] and s[3]: their answers stand, and the tables say so.
    assert set(final.loc[final["segment_id"] == s[2], "how"]) == {"single coder"}
    assert coded_data(project).single_coder == 2  # s[2] and s[3], tools


@pytest.mark.parametrize(("lang", "shown"), [("zh", "利益相关者"), ("en", "Stakeholders")])
def test_the_sheet_names_the_dimension_in_its_language_and_reads_back(
    two_coders, tmp_path, lang, shown
):
    """``reconcile --lang zh`` wrote the answers in Chinese beside the English key
    ``stakeholders``. The dimension is now named as the answers are, its key kept in
    ``dimension_key`` (what the sheet is read back by); the labels are the 6d
    codebook's (政策工具 / 利益相关者, seed 000's Table 3 headings)."""
    project, s = two_coders
    rec = reconcile(project, coders=["a", "b"])
    assert list(rec.disagreements["dimension"]) == ["stakeholders"]  # in memory: the key
    for suffix in ("xlsx", "csv"):
        path = export_disagreements(rec, tmp_path / f"d.{suffix}", project.codebook(), lang=lang)
        read = pd.read_excel if suffix == "xlsx" else pd.read_csv
        sheet = read(path, dtype=str, keep_default_na=False)
        assert list(sheet["dimension"]) == [shown]
        assert list(sheet["dimension_key"]) == ["stakeholders"]
        assert list(sheet.columns[:6]) == [
            "segment_id", "document", "code", "context", "text", "dimension"
        ]  # fmt: skip
    # filled in and read back from the file as a researcher saves it
    sheet.loc[0, "decision"] = "Governments"
    sheet.to_csv(tmp_path / "filled.csv", index=False, encoding="utf-8-sig")
    assert record_decisions(project, tmp_path / "filled.csv", decided_by="lead") == 1
    assert project.query(
        "SELECT value FROM decisions WHERE segment_id=? AND dimension='stakeholders'", (s[0],)
    ) == [('["governments"]',)]


def test_the_dimension_key_column_decides_which_dimension_a_row_is(two_coders):
    """A sheet's ``dimension_key`` names the dimension whatever its ``dimension`` cell
    shows; a sheet without it (an earlier export, or typed by hand) is read by its
    ``dimension`` (key or label), and a bad key is named with its row and column."""
    project, s = two_coders
    reconcile(project, coders=["a", "b"])
    sheet = pd.DataFrame(
        [{"segment_id": s[0], "dimension": "政策工具", "dimension_key": "stakeholders",
          "decision": "Residents"}]
    )  # fmt: skip
    assert record_decisions(project, sheet, decided_by="lead") == 1
    assert project.query(
        "SELECT value FROM decisions WHERE segment_id=? AND dimension='stakeholders'", (s[0],)
    ) == [('["residents"]',)]
    sheet.loc[0, "dimension_key"] = "nope"
    with pytest.raises(DataError) as err:
        record_decisions(project, sheet, decided_by="lead")
    assert "decisions row 2, column 'dimension_key': " in str(err.value.problems)
    without = sheet.drop(columns="dimension_key").assign(dimension="利益相关者")
    assert record_decisions(project, without, decided_by="lead") == 1


def test_bad_decisions_change_nothing(two_coders):
    project, s = two_coders
    reconcile(project, coders=["a", "b"])
    before = project.query("SELECT count(*) FROM decisions")
    bad = pd.DataFrame(
        [
            {"segment_id": s[0], "dimension": "stakeholders", "decision": "Governments"},
            {"segment_id": "nope", "dimension": "stakeholders", "decision": "Governments"},
            {"segment_id": s[0], "dimension": "tools", "decision": "Salary"},
        ]
    )
    with pytest.raises(DataError) as err:
        record_decisions(project, bad, decided_by="lead")
    assert len(err.value.problems) == 2
    assert project.query("SELECT count(*) FROM decisions") == before
    with pytest.raises(InputError, match="decided_by"):
        record_decisions(project, bad, decided_by=" ")


def test_unresolved_until_decided(two_coders):
    project, s = two_coders
    _final, unresolved = final_codings(project)
    assert list(unresolved["segment_id"]) == [s[0]]
    assert (unresolved["dimension"] == "stakeholders").all()


def test_reconcile_needs_two_known_coders(project):
    with pytest.raises(InputError, match="at least two"):
        reconcile(project, coders=["a"])
    with pytest.raises(InputError, match="unknown coder"):
        reconcile(project, coders=["a", "b"])


def test_coded_data_adds_metadata_dimensions(coded_project):
    data = coded_data(coded_project)
    assert data.unresolved == 0
    n_segments = len(data.segments)
    per_dim = data.long.groupby("dimension").size()
    for dim in ("level", "nature", "year", "orientation"):
        assert per_dim[dim] == n_segments
    assert per_dim["tools"] > n_segments  # multi-label: more codings than texts
    assert repr(data) == (  # not both tables and the whole codebook
        f"<CodedData: source='final', codebook='6d v1', segments={n_segments}, "
        f"codes={len(data.long)}, unresolved=0, single_coder={data.single_coder}>"
    )
    one = coded_data(coded_project, source="coder_a")
    assert one.source == "coder_a"
    with pytest.raises(InputError, match="source must be"):
        coded_data(coded_project, source="nobody")


def test_machine_codings_count_only_once_accepted(project):
    from ihms.errors import DataError as _DataError
    from ihms.policy.coding import add_codings, codings, review_codings

    s = list(project.segments()["id"][:2])
    project.add_coder(
        "machine:svm-2024",
        kind="machine",
        model_id="svm-2024",
        training_size=400,
        trained_at="2024-05-01",
    )
    answers = {(s[0], "tools", "machine:svm-2024"): frozenset({"price_adjustment"}),
               (s[1], "tools", "machine:svm-2024"): frozenset({"policy_promotion"})}  # fmt: skip
    provenance = {
        k: {"model": "svm-2024", "training_size": 400, "probability": 0.81} for k in answers
    }
    add_codings(project, answers, provenance=provenance, file="autocode")
    final, _ = final_codings(project)
    assert final.empty  # unreviewed machine answers do not count
    review_codings(project, coder="machine:svm-2024", reviews={(s[0], "tools"): "accepted", (s[1], "tools"): "rejected"},
                   reviewed_by="lead")  # fmt: skip
    final, _ = final_codings(project)
    assert final[["segment_id", "value"]].values.tolist() == [[s[0], "price_adjustment"]]
    stored = codings(project, coders=["machine:svm-2024"]).set_index("segment_id")
    assert (
        stored.loc[s[0], "review_status"] == "accepted"
        and stored.loc[s[0], "reviewed_by"] == "lead"
    )
    assert '"probability": 0.81' in stored.loc[s[0], "provenance"]
    with pytest.raises(_DataError, match="nothing changed"):
        review_codings(
            project,
            coder="machine:svm-2024",
            reviews={(s[0], "stakeholders"): "accepted"},
            reviewed_by="lead",
        )


def test_reconcile_with_decisions_is_one_transaction(two_coders):
    project, s = two_coders
    bad = pd.DataFrame(
        [{"segment_id": s[0], "dimension": "stakeholders", "decision": "Governmnets"}]
    )
    with pytest.raises(DataError, match="unknown category 'Governmnets'"):
        reconcile(project, coders=["a", "b"], decisions=bad, decided_by="lead")
    assert project.query("SELECT count(*) FROM decisions") == [(0,)]  # no agreement either
    good = bad.assign(decision="Residents")
    rec = reconcile(project, coders=["a", "b"], decisions=good, decided_by="lead")
    # 3 agreements (see test_agreements_recorded_disagreements_listed) + 1 decision
    assert (rec.recorded, rec.decided, len(rec.disagreements)) == (3, 1, 0)
    assert project.query("SELECT count(*) FROM decisions") == [(4,)]


def test_a_repeated_decision_must_agree(two_coders):
    project, s = two_coders
    rows = [
        {"segment_id": s[0], "dimension": "stakeholders", "decision": "Residents"},
        {"segment_id": s[0], "dimension": "利益相关者", "decision": "居民"},  # same, in Chinese
        {"segment_id": s[0], "dimension": "stakeholders", "decision": "Governments"},
    ]
    with pytest.raises(DataError) as err:
        record_decisions(project, pd.DataFrame(rows), decided_by="lead")
    assert err.value.problems == [
        "decisions row 4, column 'decision': segment "
        f"{s[0]!r} dimension 'stakeholders' is decided as {{governments}} but row 2 says "
        "{residents}; keep one of the two rows"
    ]
    assert record_decisions(project, pd.DataFrame(rows[:2]), decided_by="lead") == 1
    undecided = pd.DataFrame(rows).assign(decision="")
    with pytest.raises(DataError, match="the 'decision' column is empty in all 3 row"):
        record_decisions(project, undecided, decided_by="lead")


def test_a_changed_answer_withdraws_the_agreement_it_was_part_of(two_coders):
    project, s = two_coders
    reconcile(project, coders=["a", "b"])  # s[1] agreed in both dimensions
    sheet = pd.DataFrame([{"segment_id": s[0], "dimension": "stakeholders", "decision": "-"}])
    record_decisions(project, sheet, decided_by="lead")
    # coder a changes their mind on s[1] tools (agreed) and on s[0] stakeholders (decided);
    # with replace the sheet is a's whole answer for its rows (an empty cell would remove
    # the stored answer: test_coding_emptied), so the other cells say the answers again
    done = import_codings(
        project,
        pd.DataFrame([{"segment_id": s[1], "tools": "Policy promotion", "stakeholders": "-"},
                      {"segment_id": s[0], "tools": "人才建设; 资金保障", "stakeholders": "Physicians"}]),
        coder="a", replace=True,
    )  # fmt: skip
    assert done.replaced == 2 and done.agreements_withdrawn == 1 and not done.removed
    assert done.decisions_to_review == ((s[0], "stakeholders"),)
    left = {(r[0], r[1]) for r in project.query("SELECT segment_id, dimension FROM decisions")}
    assert (s[1], "tools") not in left and (s[1], "stakeholders") in left
    assert (s[0], "stakeholders") in left  # the lead's decision stands
    _final, unresolved = final_codings(project)
    assert (s[1], "tools") in set(
        zip(unresolved["segment_id"], unresolved["dimension"], strict=True)
    )
    rec = reconcile(project, coders=["a", "b"])
    assert list(
        zip(rec.disagreements["segment_id"], rec.disagreements["dimension"], strict=True)
    ) == [(s[1], "tools")]
    # a third coder's changed answer leaves the a-b agreements alone
    _code(project, "c", [{"segment_id": s[1], "stakeholders": "-"}])
    again = import_codings(
        project, pd.DataFrame([{"segment_id": s[1], "stakeholders": "Residents"}]),
        coder="c", replace=True,
    )  # fmt: skip
    assert again.agreements_withdrawn == 0 and again.decisions_to_review == ()


def test_a_scheme_the_project_has_no_segments_of_is_named_with_the_ones_it_has(coded_project):
    # Walk 17: `policy network P --from-text` (default --scheme clause) on a project
    # segmented into paragraphs printed "0 units, 0 links, 0 entries" and wrote empty files
    with pytest.raises(InputError) as err:
        coded_data(coded_project, scheme="clause")
    assert str(err.value) == (
        "the project has no 'clause' segments; it has paragraph (212): name those "
        "(parameter 'scheme', --scheme on the command line), or segment the documents "
        "that way first (ihms policy segment --scheme clause)"
    )
    assert len(coded_data(coded_project, scheme="paragraph").segments) == 212


def test_a_decision_replacing_what_the_coders_agreed_on_is_said(coded_project):
    # Walk 17: a decisions sheet with a row for a pair both coders had coded alike
    # replaced their answer in the final codes without a word ("126 decisions recorded")
    p = coded_project
    with p.transaction() as conn:  # the example project, before reconciliation
        conn.execute("DELETE FROM decisions")
    rec = reconcile(p, coders=["coder_a", "coder_b"])
    disagreements = rec.disagreements[["segment_id", "dimension"]].assign(decision="-")
    agreed = next(
        (s, d)
        for s, d in p.query("SELECT segment_id, dimension FROM decisions")
        if not ((disagreements.segment_id == s) & (disagreements.dimension == d)).any()
    )
    with p.transaction() as conn:
        conn.execute("DELETE FROM decisions")
    extra = pd.DataFrame([{"segment_id": agreed[0], "dimension": agreed[1], "decision": "-"}])
    sheet = pd.concat([disagreements, extra], ignore_index=True)
    rec = reconcile(p, coders=["coder_a", "coder_b"], decisions=sheet, decided_by="lead")
    assert rec.overridden == (agreed,)
    assert (
        f"1 decision replaces an answer the coders agreed on ({agreed[0]} {agreed[1]}); "
        "the decision is the final code"
    ) in rec.summary().notes


def test_the_chinese_summary_names_the_dimension_in_chinese(two_coders):
    # Review A #15: "维度 stakeholders 的分歧：3" under --lang zh; 6d names the dimension
    # 利益相关者 (its codebook's Chinese label)
    project, _ = two_coders
    rec = reconcile(project, coders=["a", "b"])
    zh = rec.summary(lang="zh").notes
    # review zh32 L9: said as Chinese puts it, 利益相关者维度的分歧：1 处 (not 维度 利益相关者 的分歧：1)
    assert "利益相关者维度的分歧：1 处" in zh
    assert not any("stakeholders" in n for n in zh)
    assert "disagreements in stakeholders: 1" in rec.summary().notes
