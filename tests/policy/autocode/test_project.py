import json
from datetime import UTC, datetime

import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from ihms.errors import InputError
from ihms.policy.agreement import coder_agreement
from ihms.policy.autocode import (
    KeywordCoder,
    SegmentFeatures,
    TooFewCodesError,
    apply_to_project,
    codebook_version_of,
    default_coder,
    evaluate_on_project,
    policy_terms,
    project_codes,
    project_dictionary,
    rules_from_codebook,
    train_on_project,
)
from ihms.policy.coding import codings, review_codings
from ihms.policy.reconcile import final_codings

WHEN = datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)


@pytest.fixture(scope="module")
def stakeholders_model(read_only_project):
    """The stakeholders coder of the coded example project, trained once (at ``WHEN``)
    for the tests that apply it to their own copy (applying reads a model, never
    changes it)."""
    return train_on_project(read_only_project, "stakeholders", trained_at=WHEN)


def test_reconciled_codes_of_a_dimension(coded_project):
    data = project_codes(coded_project, "tools")
    final, _ = final_codings(coded_project)
    tools = final[final["dimension"] == "tools"]
    assert data.n_coded == len(coded_project.segments(scheme="paragraph"))
    assert data.n_unresolved == 0
    counts = {}
    for code in data.codes:
        for c in code:
            counts[c] = counts.get(c, 0) + 1
    assert counts == tools["value"].value_counts().to_dict()
    assert list(data.segments.columns) == ["id", "doc", "position", "text"]
    assert data.codebook_version == codebook_version_of(coded_project.codebook())
    assert repr(data) == (  # not every segment's text
        f"<ProjectCodes: dimension='tools', codebook_version={data.codebook_version!r}, "
        f"segments={len(data.segments)}, coded={data.n_coded}, unresolved=0>"
    )
    with pytest.raises(InputError, match="closed dimensions"):
        project_codes(coded_project, "year")


def test_too_few_reconciled_codes_say_which_categories_and_how_many_more(coded_project):
    final, _ = final_codings(coded_project)
    counts = final[final["dimension"] == "tools"]["value"].value_counts()
    short = counts[counts < 20]
    with pytest.raises(TooFewCodesError) as err:
        train_on_project(
            coded_project,
            "tools",
            coder=default_coder(coded_project.codebook().dimension("tools"), min_per_category=20),
        )
    assert err.value.shortfall == {c: (int(n), 20 - int(n)) for c, n in short.items()}


def test_machine_codes_enter_the_project_with_provenance(coded_project, stakeholders_model):
    trained = stakeholders_model
    result = apply_to_project(coded_project, trained)
    n_segments = len(coded_project.segments(scheme="paragraph"))
    assert result.coder == f"machine:{trained.model_id}"
    assert result.n_segments == n_segments and result.unchanged == 0
    coder = coded_project.coders().set_index("id").loc[result.coder]
    assert coder["kind"] == "machine" and coder["model_id"] == trained.model_id
    assert int(coder["training_size"]) == trained.training_size == n_segments
    assert coder["trained_at"] == "2024-05-06T07:08:09+00:00"
    machine = codings(coded_project, coders=[result.coder])
    assert machine["segment_id"].nunique() == n_segments
    prov = json.loads(machine["provenance"].iloc[0])
    assert prov["model_id"] == trained.model_id
    assert prov["training_size"] == n_segments
    assert prov["trained_at"] == "2024-05-06T07:08:09+00:00"
    assert prov["codebook_version"] == codebook_version_of(coded_project.codebook())
    assert all(0 <= p <= 1 for p in prov["probability"].values())
    # applying the same model again changes nothing
    again = apply_to_project(coded_project, trained)
    assert again.added == 0 and again.unchanged == n_segments


def test_agreement_and_reconciliation_treat_the_machine_like_a_person(
    coded_project, stakeholders_model
):
    trained = stakeholders_model
    result = apply_to_project(coded_project, trained)
    report = coder_agreement(coded_project, dimensions=["stakeholders"], include_machine=True)
    assert result.coder in report.coders and len(report.coders) == 3
    # machine codes count in the final codes only once a person accepted them
    before, _ = final_codings(coded_project)
    seg = coded_project.segments(scheme="paragraph")["id"].iloc[0]
    review_codings(
        coded_project,
        coder=result.coder,
        reviews={(seg, "stakeholders"): "rejected"},
        reviewed_by="lead",
    )
    after, _ = final_codings(coded_project)
    assert len(after) == len(before)
    row = codings(coded_project, coders=[result.coder])
    assert set(row.loc[row["segment_id"] == seg, "review_status"]) == {"rejected"}


def test_a_model_of_another_codebook_version_applies_nothing(coded_project, stakeholders_model):
    trained = stakeholders_model
    edited = coded_project.codebook().text.replace(
        "title_en: 6D framework", "title_en: 6D framework (edited)", 1
    )
    from ihms.policy.codebook import parse_codebook

    coded_project.update_codebook(parse_codebook(edited, name="6d"), note="edited title")
    coders_before = coded_project.coders()["id"].tolist()
    n_before = len(codings(coded_project))
    with pytest.raises(InputError, match="was trained on codebook 6d v1"):
        apply_to_project(coded_project, trained)
    assert coded_project.coders()["id"].tolist() == coders_before
    assert len(codings(coded_project)) == n_before


def test_a_failed_write_leaves_no_machine_coder_behind(coded_project, stakeholders_model):
    trained = stakeholders_model
    apply_to_project(coded_project, trained)
    # the same model again, but a person has since changed one of its stored answers:
    # re-applying contradicts the project and must not write anything
    from ihms.policy.coding import add_codings

    seg = coded_project.segments(scheme="paragraph")["id"].iloc[0]
    add_codings(
        coded_project,
        {
            (seg, "stakeholders", trained.coder_name): frozenset(
                {
                    "physicians",
                    "residents",
                    "governments",
                    "grassroots_hospitals",
                    "second_class_hospitals",
                }
            )
        },
        replace=True,
    )
    n_before = len(codings(coded_project))
    with pytest.raises(InputError, match="contradict"):
        apply_to_project(coded_project, trained)
    assert len(codings(coded_project)) == n_before


def test_evaluation_sets_machine_beside_human_kappa(coded_project):
    ev = evaluate_on_project(coded_project, "stakeholders", n_splits=4)
    table = ev.table
    assert table["dimension / category"].iloc[0] == "stakeholders"
    human = coder_agreement(coded_project, dimensions=["stakeholders"])
    assert ev.human_kappa == pytest.approx(human.row("stakeholders")["kappa"], abs=1e-12)
    pred = ev.evaluation.predictions
    assert ev.machine_kappa == pytest.approx(
        cohen_kappa_score(pred["human"], pred["machine"]), abs=1e-9
    )
    assert (pred.groupby("doc")["fold"].nunique() == 1).all()
    assert 0.2 < ev.machine_kappa < 1
    # shown with the codebook's names, as the agreement table shows them
    shown = ev.summary().to_frame().index
    assert shown[0] == "Stakeholders" and "  Governments" in shown
    assert "Machine vs human, Stakeholders" in ev.summary().title
    assert ev.to_dict()["human_coders"] == ["coder_a", "coder_b"]


def test_keyword_rules_from_the_codebook(coded_project):
    cb = coded_project.codebook()
    rules = rules_from_codebook(cb, "tools")
    talent = cb.dimension("tools").category("talent_construction")
    assert rules.rules[0].category == "talent_construction"
    assert set(rules.rules[0].any) == {*talent.keywords_zh, *talent.keywords_en}
    coder = KeywordCoder(rules).fit()
    hit = coder.code([f"加强{talent.keywords_zh[0]}。"]).codes
    assert "talent_construction" in set(hit["category"])
    assert hit["rule"].iloc[0].startswith("talent_construction#")
    with pytest.raises(InputError, match="no dimension"):
        rules_from_codebook(cb, "nonsense")
    # the example coders' codings started from these keywords: rules agree well
    data = project_codes(coded_project, "tools")
    pred = coder.predict(data.segments)
    human = np.array([[c in code for c in coder.classes_] for code in data.codes], dtype=int)
    kappas = [cohen_kappa_score(human[:, j], pred[:, j]) for j in range(len(coder.classes_))]
    assert np.mean(kappas) > 0.5


def _forget_document(project, doc_id):
    """Test set-up: as if nobody had coded one document yet."""
    segs = tuple(project.segments(scheme="paragraph").query("doc_id == @doc_id")["id"])
    marks = ",".join("?" * len(segs))
    with project.transaction() as conn:
        conn.execute(f"DELETE FROM codings WHERE segment_id IN ({marks})", segs)
        conn.execute(f"DELETE FROM decisions WHERE segment_id IN ({marks})", segs)
    return segs


def test_accepted_machine_codes_become_final_codes(coded_project):
    segs = _forget_document(coded_project, "M01")
    data = project_codes(coded_project, "stakeholders")
    assert data.n_coded == len(data.codes) - len(segs)
    trained = train_on_project(coded_project, "stakeholders")
    result = apply_to_project(coded_project, trained, only_uncoded=True)
    assert result.n_segments == len(segs)
    assert set(result.codes["segment"]) <= set(segs)
    review_codings(
        coded_project,
        coder=result.coder,
        reviews={(s, "stakeholders"): "accepted" for s in segs},
        reviewed_by="lead",
    )
    final, _ = final_codings(coded_project)
    mine = final[final["segment_id"].isin(segs) & (final["dimension"] == "stakeholders")]
    proposed = result.codes[result.codes["category"] != "(none)"]
    assert sorted(zip(mine["segment_id"], mine["value"], strict=True)) == sorted(
        zip(proposed["segment"], proposed["category"], strict=True)
    )
    assert set(mine["how"]) == {"single coder"}


def test_evaluation_grades_the_machine_against_people_not_accepted_machine_codes(coded_project):
    # Segments whose only code is an accepted machine answer train a coder, but an
    # evaluation that counted them would grade machines against a machine's answers.
    segs = _forget_document(coded_project, "M01")
    people = project_codes(coded_project, "stakeholders")
    trained = train_on_project(coded_project, "stakeholders")
    result = apply_to_project(coded_project, trained, only_uncoded=True)
    review_codings(
        coded_project,
        coder=result.coder,
        reviews={(s, "stakeholders"): "accepted" for s in segs},
        reviewed_by="lead",
    )
    with_machine = project_codes(coded_project, "stakeholders")
    assert with_machine.n_coded == people.n_coded + len(segs)
    assert with_machine.n_machine_only == len(segs)
    assert f"machine_only={len(segs)}>" in repr(with_machine)
    without = project_codes(coded_project, "stakeholders", accepted_machine=False)
    assert without.codes == people.codes
    assert without.n_machine_only == len(segs)

    ev = evaluate_on_project(coded_project, "stakeholders", n_splits=3)
    assert ev.evaluation.n_training == people.n_coded
    assert ev.n_machine_only == ev.to_dict()["n_machine_only"] == len(segs)
    assert any(f"Left out: {len(segs)} segments" in n for n in ev.summary().notes)


def test_a_write_that_fails_leaves_no_new_machine_coder(coded_project, monkeypatch):
    import ihms.policy.coding

    trained = train_on_project(coded_project, "stakeholders")
    before = coded_project.coders()["id"].tolist()

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(ihms.policy.coding, "add_codings", broken)
    with pytest.raises(OSError, match="disk full"):
        apply_to_project(coded_project, trained)
    assert coded_project.coders()["id"].tolist() == before


def test_the_coders_dictionary_holds_the_codebooks_chinese_terms(coded_project, tmp_path):
    tools = coded_project.codebook().dimension("tools")
    words = project_dictionary(tools)
    assert len(set(words)) == len(words)
    assert set(policy_terms()) <= set(words)
    talent = next(c for c in tools.categories if c.keywords_zh)
    assert talent.zh in words and set(talent.keywords_zh) <= set(words)
    assert not set(talent.keywords_en) & set(words)  # English keywords are not jieba words
    # a codebook term plain jieba splits is one word for the default coder
    term = "队伍建设"
    assert any(term in c.keywords_zh for c in tools.categories)
    texts = [f"加强{term}，落实经费。", f"完善{term}机制。"] * 3
    plain = SegmentFeatures(words=True, min_df=1).fit(texts)
    assert term not in plain.word_vectorizer_.vocabulary_
    features = default_coder(tools).features.set_params(min_df=1).fit(texts)
    assert term in features.word_vectorizer_.vocabulary_

    extra = tmp_path / "terms.txt"
    extra.write_text("# 课题组词典\n基层首诊责任制 20 n\n资金保障\n", encoding="utf-8")
    words = project_dictionary(tools, [extra])
    assert words[-1] == "基层首诊责任制" and words.count("资金保障") == 1
    coder = default_coder(tools, dictionary=[extra])
    assert "基层首诊责任制" in coder.features.user_dictionary
    with pytest.raises(InputError, match=r"user dictionary '.*missing\.txt' does not exist"):
        default_coder(tools, dictionary=[tmp_path / "missing.txt"])


def test_rules_covering_every_category_code_unmatched_segments_as_none(coded_project):
    from ihms.policy.autocode import apply_rules_to_project

    rules = rules_from_codebook(coded_project.codebook(), "stakeholders")
    dim = coded_project.codebook().dimension("stakeholders")
    assert set(rules.categories) == set(dim.category_keys)  # every category has keywords
    applied = apply_rules_to_project(coded_project, rules, "stakeholders")
    n = len(coded_project.segments(scheme="paragraph"))
    assert (applied.n_segments, applied.n_abstained) == (n, 0)
    stored = codings(coded_project, coders=[applied.coder])
    none = set(stored.loc[stored["value"] == "", "segment_id"])
    assert set(applied.codes["segment"]) <= set(stored["segment_id"])
    assert none and not none & set(applied.codes["segment"])  # "none": no rule matched
