import dataclasses
import datetime as dt
import re

import pytest

from ihms.errors import DataError, InputError
from ihms.policy.corpus import ImportFailure
from ihms.policy.dedupe import find_duplicates
from ihms.policy.prisma import (
    ScreeningCriteria,
    prisma_figure,
    read_screening_decisions,
    screen,
)

from .conftest import EXAMPLES


@pytest.fixture(scope="module")
def screening(example_corpus):
    docs = example_corpus.documents
    decisions = read_screening_decisions(EXAMPLES / "screening.csv", known_ids=[d.id for d in docs])
    return screen(
        docs,
        duplicates=find_duplicates(docs),
        failures=[ImportFailure("locked.pdf", "locked.pdf: the PDF is encrypted")],
        decisions=decisions,
        criteria=ScreeningCriteria(date_to=dt.date(2021, 12, 31)),
    )


def test_flow_counts_add_up(screening):
    f = screening.flow()
    assert f["identified"] == 37
    assert f["duplicates"] == 2
    assert f["screened"] == 35
    assert f["excluded_title"] == 2
    assert f["sought"] == 33
    assert f["not_retrieved"] == 1
    assert f["assessed"] == 32
    assert f["excluded_fulltext_reasons"] == {"published after 2021-12-31": 1}
    assert f["included"] == 31
    assert f["included"] == f["assessed"] - f["excluded_fulltext"]
    assert sum(f["identified_by_source"].values()) == f["identified"]
    # 37 identified = 2 duplicates + 2 + 1 excluded + 1 not retrieved + 31 included
    assert repr(screening) == (
        "<Screening: documents=37, duplicate=2, excluded=3, included=31, not_retrieved=1>"
    )


def test_statuses(screening):
    assert screening.status_of("X01").status == "duplicate"
    assert screening.status_of("X01").duplicate_of == "N02"
    e01 = screening.status_of("E01")
    assert (e01.status, e01.stage, e01.reason) == ("excluded", "title", "政策解读，非政策文件")
    assert screening.status_of("E03").stage == "fulltext"
    assert screening.status_of("locked.pdf").status == "not_retrieved"
    assert len(screening.included) == 31
    assert screening.summary().frame.loc["Documents included", "n"] == 31


def test_rules_without_decisions(example_corpus):
    s = screen(example_corpus.documents)
    # The default title patterns catch the interpretation and the news report.
    assert s.status_of("E01").reason.startswith("policy interpretation")
    assert s.status_of("E02").reason.startswith("media report")
    assert s.status_of("E03").status == "included"  # no date window given


def test_decisions_override_rules(example_corpus, tmp_path):
    sheet = tmp_path / "d.csv"
    sheet.write_text(
        "编号,阶段,决定,理由\nE01,初筛,纳入,\nN01,全文,排除,与主题无关\n", encoding="utf-8"
    )
    decisions = read_screening_decisions(sheet)
    s = screen(example_corpus.documents, decisions=decisions)
    assert s.status_of("E01").status == "included"
    assert (s.status_of("N01").status, s.status_of("N01").reason) == ("excluded", "与主题无关")


def test_bad_decisions_are_all_reported(tmp_path):
    sheet = tmp_path / "d.csv"
    sheet.write_text(
        "id,stage,decision,reason\nZZ,title,exclude,x\nN01,later,exclude,x\nN02,title,maybe,\nN03,title,exclude,\nN04,title,include,\nN04,title,exclude,dup\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as err:
        read_screening_decisions(sheet, known_ids=["N01", "N02", "N03", "N04"])
    assert err.value.problems == [
        "d.csv row 2, field 'id': 'ZZ' is not a document of the corpus",
        "d.csv row 3, field 'stage': expected title or fulltext (标题/初筛, 全文), got 'later'",
        "d.csv row 4, field 'decision': expected include or exclude (纳入/排除), got 'maybe'",
        "d.csv row 5, field 'reason': excluding 'N03' needs a reason",
        "d.csv row 7, field 'id': 'N04' was already decided at the title stage in row 6",
    ]


def test_criteria_validation():
    with pytest.raises(InputError, match="after"):
        ScreeningCriteria(date_from=dt.date(2020, 1, 1), date_to=dt.date(2019, 1, 1))
    with pytest.raises(InputError, match="invalid"):
        ScreeningCriteria(title_exclusions=(("(", "x"),))


def test_figure(screening):
    fig = prisma_figure(screening)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert any("(n = 31)" in t and "included" in t for t in texts)
    assert any(t == "Reports not retrieved\n(n = 1)" for t in texts)


def test_undated_documents_passing_a_date_window_are_named(example_corpus, screening):
    assert screening.notes == ()  # every example document has a date
    docs = [d for d in example_corpus.documents if d.id in ("N01", "N02")]
    undated = dataclasses.replace(docs[0], date=None)
    s = screen([undated, docs[1]], criteria=ScreeningCriteria(date_to=dt.date(2000, 1, 1)))
    assert s.status_of(undated.id).status == "included"
    assert s.status_of(docs[1].id).status == "excluded"
    assert s.notes == (
        f"1 included document(s) have no date, so the date window was not applied to them: "
        f"{undated.id} (give their 发布日期 in the metadata sheet, or exclude them with a "
        "screening decision)",
    )
    assert s.notes[0] in s.summary().to_text()
    assert screen([undated]).notes == ()  # no window, nothing to say


def test_the_example_reviewers_sheets(example_corpus, screening):
    """examples/policies/screening_reviewer_{a,b}.csv and the lead's resolutions (the
    demo's screening) end where the single researcher's sheet does."""
    from ihms.policy.screening_sheets import read_resolutions, read_reviewer_decisions

    docs = example_corpus.documents
    ids = [d.id for d in docs]
    s = screen(
        docs,
        duplicates=find_duplicates(docs),
        failures=[ImportFailure("locked.pdf", "locked.pdf: the PDF is encrypted")],
        decisions=read_reviewer_decisions(
            [EXAMPLES / f"screening_reviewer_{r}.csv" for r in "ab"], known_ids=ids
        ),
        resolutions=read_resolutions(EXAMPLES / "screening_resolutions.csv", known_ids=ids),
        criteria=ScreeningCriteria(date_to=dt.date(2021, 12, 31)),
    )
    assert s.flow() == screening.flow()
    title, full = s.method.stages
    # Title, 34 records: both exclude E01, E02; a alone P11, b alone S03; 30 both include.
    # p_o = 32/34; each includes 31/34, so p_e = (31^2 + 3^2) / 34^2 = 970/1156;
    # kappa = (1088 - 970) / (1156 - 970) = 118/186.
    assert title.kappa == pytest.approx(118 / 186, rel=1e-12)
    # Full text, 32 reports: both exclude E03, a alone P07. p_o = 31/32; a includes 30/32,
    # b 31/32: p_e = (30*31 + 2*1) / 32^2 = 932/1024; kappa = (992 - 932) / (1024 - 932) = 60/92.
    assert full.kappa == pytest.approx(60 / 92, rel=1e-12)
    assert (title.settled, full.settled) == ((("lead", 2),), (("lead", 1),))
    assert title.n_recorded == 68 and full.n_recorded == 64  # complete sheets: no rules' verdicts


def test_figure_in_chinese(screening):
    # Review A #7: under --lang zh the diagram stayed English ("Records identified from",
    # Chinese reasons inside English boxes). The terms are the console flow's
    # (ihms._words, "flow ..."), the phases PRISMA 2020's Chinese 识别/筛选/纳入.
    fig = prisma_figure(screening, lang="zh")
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "未能获取全文的报告\n(n = 1)" in texts
    assert any(t.startswith("纳入的文件\n(n = 31)") for t in texts)
    assert any(t.startswith("检索到的记录：") for t in texts)
    assert any(t.startswith("筛选前删除的记录：\n  重复记录 (n = ") for t in texts)
    assert {"识别", "筛选", "纳入"} <= set(texts)
    assert fig.axes[0].get_title() == "PRISMA 2020 流程图"
    boxes = [t for t in texts if "(n = " in t]
    assert not [t for t in boxes if re.search("Records|Reports|Documents|Total", t)]
    # the methods statement below the boxes follows the language too
    assert any("名评审员" in t for t in texts)
