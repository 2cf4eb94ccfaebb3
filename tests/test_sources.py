"""The source studies' citations (ihms.sources). Every expected string is taken from the
study's own "to cite this article" line or header in /work/shared/seeds/*.txt."""

import pytest

from ihms.errors import InputError
from ihms.sources import SOURCE_STUDIES, cite, reference, study_ids_cited


def test_cite_names_authors_year_journal_and_the_table():
    # 002: "Zhong Z, Yao Q, ... International Journal of Integrated Care, 2023; 23(2): 15"
    assert cite("002", "Table 3") == "Zhong et al. 2023, Table 3"
    # 004: "Jia M, Wang F, ... International Journal of Integrated Care, 2021; 21(3): 7"
    assert cite("004") == "Jia et al. 2021"
    # 000: "(J Med Internet Res 2024;26:e47197)"
    assert cite("000", "Table 1") == "Yu et al. 2024, Table 1"


def test_reference_holds_volume_issue_and_doi():
    assert "23(2):15" in reference("002") and "https://doi.org/10.5334/ijic.7011" in reference(
        "002"
    )
    assert "21(3):7" in reference("004") and "10.5334/ijic.5605" in reference("004")
    assert "26:e47197" in reference("000") and "10.2196/47197" in reference("000")
    assert reference("000").startswith("Yu Y, Wang S, You L (2024). Understanding")


def test_what_the_copies_do_not_give_is_said_not_guessed():
    assert "not named" in reference("001") and "doi" not in reference("001")
    assert SOURCE_STUDIES["003"].year is None and "not given" in reference("003")


def test_unknown_study_is_refused_naming_the_valid_ids():
    with pytest.raises(InputError, match=r"'005'.*000, 001, 002, 003, 004"):
        cite("005")


def test_study_ids_cited_finds_the_short_names():
    text = f"As {cite('004', 'Table 2')} and {cite('002')} found"
    assert study_ids_cited(text) == ["002", "004"]


def test_cited_rewrites_the_ids_that_data_files_use():
    # a county's rule file copied from an older template, and two definitions in the
    # built-in codebooks, still say "seed 002": what the report and the CLI show of them
    # is said as a paper cites
    from ihms.sources import cited

    note = "Premium: 640 yuan (seed 002 gives no figure); Seed 004, Table 1; seed 20171001"
    assert cited(note) == (
        "Premium: 640 yuan (Zhong et al. 2023 gives no figure); Jia et al. 2021, Table 1; "
        "seed 20171001"
    )


def test_as_study_ids_undoes_cited_for_the_rule_files_wording():
    # the wording of the built-in rule files before they cited by author and year
    from ihms.sources import as_study_ids, cited

    for old in (
        "Seed 002, Introduction: ...; seed 004 Table 1: fee for service",
        "Premium: 640 yuan (seed 002 gives no figure).",
        "VI-HQMR rule; seed 003",
    ):
        assert as_study_ids(cited(old)) == old
    # a text of one's own that opens with "seed 002" keeps its lower case, and one
    # without a citation is left as it is
    assert as_study_ids("seed 002, Table 1") == "seed 002, Table 1"
    assert as_study_ids("42 CFR 425.610; seed 20171001") == "42 CFR 425.610; seed 20171001"
