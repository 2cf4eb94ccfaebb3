"""Projects made before the environment was open-coded keep working.

A project stores the codebook it was coded with (``codebooks`` table); an older
symbiosis project holds ``tests/policy/data/symbiosis_v1.yaml``, whose environment is a
closed multi-label dimension (policy / technology / economy / society) with no answer
text. Such a project opens and reports with its own codebook (read both: nothing is
migrated, because the answer text the new codebook stores was never coded). Its closed
codes are what the group level of a new project gives: the same agreement, the same
counts. Moving it to the new codebook is refused, naming the codes it cannot read.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from tests.policy.test_symbiosis_study import CODER_A, CODER_B, COLS, _sheet, build_study

from ihms.errors import DataError, InputError
from ihms.policy.agreement import coder_agreement
from ihms.policy.answer_views import group_level
from ihms.policy.cluster import cluster_dimension
from ihms.policy.codebook import load_codebook
from ihms.policy.coding import codings, import_codings
from ihms.policy.coding_export import export_codings
from ihms.policy.coverage import coverage_table
from ihms.policy.project import Project
from ihms.policy.reconcile import coded_data
from ihms.policy.table_specs import build_tables

V1 = Path(__file__).parent / "data" / "symbiosis_v1.yaml"
ENV = "symbiotic_environment"
# the old closed codes of the same entries: the groups of CODER_A's and CODER_B's answers
OLD_ENV = {
    "a": {"00-06-3-2": "政策环境", "00-10-2-4": "技术环境; 政策环境"},
    "b": {"00-06-3-2": "政策环境", "00-10-2-1": "政策环境", "00-10-2-4": "技术环境；政策环境"},
}


def _old(answers: dict, coder: str) -> dict:
    env = COLS.index("共生环境")
    return {
        code: (*row[:env], OLD_ENV[coder].get(code, "-"), *row[env + 1 :])
        for code, row in answers.items()
    }


@pytest.fixture(scope="module")
def old_template(tmp_path_factory, example_corpus):
    path = tmp_path_factory.mktemp("v1") / "old.sqlite"
    p = Project.create(path, load_codebook(V1))
    p.add_documents(example_corpus.documents)
    p.segment("clause")
    import_codings(p, _sheet(p, _old(CODER_A, "a")), coder="a")
    import_codings(p, _sheet(p, _old(CODER_B, "b")), coder="b")
    p.close()
    return path


@pytest.fixture
def old(old_template, tmp_path):
    with Project(shutil.copy(old_template, tmp_path / "old.sqlite")) as p:
        yield p


def test_the_old_codebook_is_the_projects_own(old):
    env = old.codebook().dimension(ENV)
    assert (env.kind, env.category_keys) == (
        "closed",
        ("policy", "technology", "economy", "society"),
    )
    assert load_codebook("symbiosis").dimension(ENV).kind == "open"


def test_an_old_project_reports_as_before(old):
    data = coded_data(old, source="a", scheme="clause")
    tables = {t.name: t for t in build_tables(data)}
    # coder a: 00-06-3-2 policy, 00-10-2-4 policy and technology; the closed categories
    # all listed, society 0 as seed 003 reports it
    env = tables[ENV].counts["n"].to_dict()
    assert env == {"Policy": 2, "Technology": 1, "Economy": 0, "Society": 0}
    # no grouped open dimension: the views pass it through, the coverage has no group rows
    assert group_level(data).codebook.dimensions == data.codebook.dimensions
    cov = coverage_table(data).counts
    assert cov.loc["Symbiotic environment"].tolist() == [2, 3, 2]
    assert not any(":" in label for label in cov.index)


def test_old_codes_agree_as_a_new_projects_groups(old, tmp_path, example_corpus):
    # whole sets of groups over the six entries: a {} {} P {} PT {}, b {} {} P P PT {};
    # p_o = 5/6; p_e = (4·3 + 1·2 + 1·1)/36 = 15/36; kappa = (30/36 − 15/36)/(21/36) = 15/21
    old_row = coder_agreement(old, dimensions=[ENV]).row(ENV)
    assert old_row["kappa"] == pytest.approx(15 / 21)
    # its closed codes are the groups already: the group level is refused, not the same
    # output quietly (a user walk), naming the codebook
    with pytest.raises(InputError, match=r"dimension\(s\) symbiotic_environment of codebook"):
        coder_agreement(old, dimensions=[ENV], level="group")
    with Project(build_study(tmp_path / "new.sqlite", example_corpus.documents)) as new:
        groups = coder_agreement(new, dimensions=[ENV], level="group")
        answers = coder_agreement(new, dimensions=[ENV])
    assert groups.row(ENV)["kappa"] == pytest.approx(old_row["kappa"])
    # policy present/absent: a 0 0 1 0 1 0, b 0 0 1 1 1 0; p_o = 5/6, p_e = (2·3 + 4·3)/36
    # = 1/2; kappa = (5/6 − 1/2)/(1/2) = 2/3, as the old closed 'policy' category
    assert groups.row(ENV, "policy")["kappa"] == pytest.approx(2 / 3)
    assert coder_agreement(old, dimensions=[ENV]).row(ENV, "policy")["kappa"] == pytest.approx(
        2 / 3
    )
    # the answers: a {} {} M {} {R, I} {}, b {} {} M {S} {R, I} {} (M 多点执业, S 编制,
    # R 互认, I 信息化); p_o = 5/6; p_e = (4·3 + 1·1 + 0·1 + 1·1)/36 = 14/36;
    # kappa = (30/36 − 14/36)/(22/36) = 16/22
    assert answers.row(ENV)["kappa"] == pytest.approx(16 / 22)
    assert "compared on their answers" in " ".join(answers.notes)


def test_an_old_project_round_trips_its_sheets(old, tmp_path):
    path = export_codings(old, tmp_path / "old.xlsx", coders=["a"], scheme="clause", lang="zh")
    sheet = pd.read_excel(path, dtype=str, keep_default_na=False).set_index("code")
    assert sheet.loc["00-10-2-4", "共生环境"] == "政策环境; 技术环境"
    import_codings(old, sheet.reset_index().assign(coder="c"))
    key = ["segment_id", "dimension", "value"]
    got = codings(old, coders=["c"])[key].sort_values(key).reset_index(drop=True)
    want = codings(old, coders=["a"])[key].sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, want)


def test_old_codes_hold_no_text_to_cluster(old):
    data = coded_data(old, source="b", scheme="clause")
    with pytest.raises(
        InputError,
        match=r"'symbiotic_environment' is closed in this codebook \(its codes are the categories Policy, Technology",
    ):
        cluster_dimension(data, ENV, group="policy")


def test_moving_an_old_project_to_the_new_codebook_is_refused(old):
    before = old.codebook_version
    with pytest.raises(DataError) as err:
        old.update_codebook(load_codebook("symbiosis"))
    problems = "\n".join(err.value.problems)
    assert "coding(s) of 'symbiotic_environment' give 'policy'" in problems
    assert "give 'technology'" in problems and "the answer text was never coded" in problems
    assert old.codebook_version == before


def test_an_old_sheet_into_a_new_project_names_the_missing_answers(tmp_path, example_corpus):
    p = Project.create(tmp_path / "new.sqlite", load_codebook("symbiosis"))
    p.add_documents(example_corpus.documents)
    p.segment("clause")
    with pytest.raises(DataError) as err:
        import_codings(p, _sheet(p, _old(CODER_A, "a")), coder="a")
    # the rows of 00-06-3-2 and 00-10-2-4 (the third and fifth of the sheet)
    assert [m.split(":")[0] for m in err.value.problems] == [
        "codings row 4, column '共生环境'",
        "codings row 6, column '共生环境'",
    ]
    assert "'政策环境' names group 'policy' but no answer" in err.value.problems[0]
    assert p.query("SELECT count(*) FROM codings")[0][0] == 0
    p.close()
