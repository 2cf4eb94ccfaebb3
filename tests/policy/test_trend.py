from dataclasses import dataclass

import pandas as pd
import pytest

from ihms.errors import InputError
from ihms.policy.codebook import load_codebook
from ihms.policy.reconcile import coded_data
from ihms.policy.trend import (
    SEED000_PERIODS,
    SEED000_STAGES,
    Stage,
    TimeEvolution,
    stages_from_counts,
    time_evolution,
)

# Seed 000, Table 12: texts per orientation and year, 2014–2021 (graded diagnosis and
# treatment, healthy community, Healthy China, medical association, smart health care).
TABLE12 = pd.DataFrame(
    {
        "graded_diagnosis": [9, 104, 201, 54, 55, 57, 0, 6],
        "healthy_community": [0, 2, 1, 1, 1, 4, 10, 5],
        "healthy_china": [0, 0, 2, 0, 1, 12, 5, 1],
        "medical_association": [0, 61, 28, 475, 77, 53, 55, 29],
        "smart_health_care": [0, 1, 2, 1, 15, 9, 7, 1],
    },
    index=range(2014, 2022),
)


@dataclass(frozen=True)
class _Coded:
    long: pd.DataFrame
    codebook: object


def _coded(rows: list[tuple[str, str, str]]) -> _Coded:
    """The coded data `time_evolution` reads: (segment, dimension, value) rows, 6d."""
    frame = pd.DataFrame(rows, columns=["segment_id", "dimension", "value"])
    return _Coded(frame, load_codebook("6d"))


def test_table12_column_totals_match_the_printed_n():
    # Seed 000, Table 12 header: 2014 (n=9) ... 2021 (n=42), total 1,345.
    assert TABLE12.sum(axis=1).tolist() == [9, 168, 234, 531, 149, 135, 77, 42]


def test_stages_from_seed000_table12():
    # ihms's rule (trend.STAGE_RULE) on seed 000's Table 12, by hand.
    stages = {s.name: s for s in stages_from_counts(TABLE12, SEED000_STAGES, min_year_n=10)}
    # Disease-centred share of the whole period: (486 + 778) / 1345 = 0.9398 (years with
    # n >= 10; 2014 has 9 texts and is left out: (477 + 778) / 1336 = 0.9394). Years
    # above it: 2015 (165/168), 2016 (229/234), 2017 (529/531): 2015–2017.
    assert (stages["disease-centred"].start, stages["disease-centred"].end) == (2015, 2017)
    assert stages["disease-centred"].overall_share == pytest.approx(1255 / 1336)
    # Smart health care overall 36/1336 = 2.69 %: above in 2018 (10.1 %), 2019 (6.7 %),
    # 2020 (9.1 %).
    assert (stages["e-health technology"].start, stages["e-health technology"].end) == (2018, 2020)
    # Healthy China + community 45/1336 = 3.37 %: above in 2019 (11.9 %), 2020 (19.5 %),
    # 2021 (14.3 %).
    assert (stages["health-centred"].start, stages["health-centred"].end) == (2019, 2021)


def test_seed000_states_other_periods_than_ihms_rule_gives():
    # Seed 000 states its periods in the Abstract (line 39 of the seed) and the
    # Discussion (line 550), without saying how it drew them.
    assert SEED000_PERIODS == {
        "disease-centred": (2014, 2017),
        "e-health technology": (2017, 2019),
        "health-centred": (2018, 2021),
    }
    ihms = {s.name: (s.start, s.end) for s in stages_from_counts(TABLE12, SEED000_STAGES)}
    assert ihms == {
        "disease-centred": (2015, 2017),
        "e-health technology": (2018, 2020),
        "health-centred": (2019, 2021),
    }
    # Keeping 2014 (9 texts, all graded diagnosis: 100 % > (486 + 778)/1345 = 93.98 %)
    # gives the paper's disease-centred period; the other two stay a year late.
    kept = {
        s.name: (s.start, s.end) for s in stages_from_counts(TABLE12, SEED000_STAGES, min_year_n=0)
    }
    assert kept == {**ihms, "disease-centred": (2014, 2017)}
    assert kept != SEED000_PERIODS


def test_no_threshold_on_a_yearly_share_or_count_gives_seed000s_e_health_period():
    # A stage drawn as the years where a group's share (or count) of the year exceeds
    # some threshold needs every year inside above every year outside. Seed 000's
    # e-health technology period 2017–2019 takes 2017 and leaves 2020, yet smart health
    # care had less of 2017 than of 2020 by share (1/531 = 0.19 % < 7/77 = 9.09 %) and by
    # count (1 < 7). So ihms does not claim the paper's periods (trend.rule_note).
    shc = TABLE12["smart_health_care"]
    share = shc / TABLE12.sum(axis=1)
    assert shc[2017] < shc[2020] and share[2017] < share[2020]
    assert share[2017] == pytest.approx(1 / 531) and share[2020] == pytest.approx(7 / 77)
    # Health-centred 2018–2021 by count would take 2018 (2 texts) and leave 2016 (3).
    health = TABLE12[["healthy_china", "healthy_community"]].sum(axis=1)
    assert (health[2018], health[2016]) == (2, 3)


def test_the_notes_say_whose_rule_placed_the_stages():
    stages = tuple(stages_from_counts(TABLE12, SEED000_STAGES, min_year_n=10))
    shares = TABLE12.div(TABLE12.sum(axis=1), axis=0)
    peaks = pd.DataFrame({"category": [], "peak_year": []})
    evo = TimeEvolution("orientation", TABLE12, shares, peaks, stages, {})
    note = (
        "Stages by ihms's rule, not a study's: the longest run of consecutive years in "
        "which a group's share of the year exceeds its share over the whole period, a tie "
        "going to the run with the higher mean share (years with at least 10 texts). Yu et al. 2024 states its periods without a rule: "
        "disease-centred 2014–2017, e-health technology 2017–2019, health-centred 2018–2021."
    )
    assert evo.rule_note() == note
    assert note in evo.summary().notes
    own = TimeEvolution("orientation", TABLE12, shares, peaks, stages[:1], {})
    assert (
        own.rule_note().startswith("Stages by ihms's rule")
        and "Yu et al. 2024" not in own.rule_note()
    )
    none = TimeEvolution("orientation", TABLE12, shares, peaks, (), {})
    assert none.rule_note() == "" and not any("rule" in n for n in none.summary().notes)


def test_stages_sharing_years_are_said_to_overlap_as_seed000s_periods_do():
    # Review of the demo report: 2019 fell in two stages with nothing saying so. Seed
    # 000's periods overlap themselves (Abstract and Discussion: disease-centred
    # 2014-2017, e-health technology 2017-2019, health-centred 2018-2021). On its Table
    # 12 the stages are 2015-2017, 2018-2020 and 2019-2021 (see the test above): the
    # last two share 2019 and 2020.
    stages = tuple(stages_from_counts(TABLE12, SEED000_STAGES, min_year_n=10))
    shares = TABLE12.div(TABLE12.sum(axis=1), axis=0)
    peaks = pd.DataFrame({"category": [], "peak_year": []})
    evo = TimeEvolution("orientation", TABLE12, shares, peaks, stages, {})
    assert evo.overlaps == [("e-health technology", "health-centred", 2019, 2020)]
    note = (
        "Stages overlap: e-health technology and health-centred in 2019–2020 (both groups "
        "above their overall share). Yu et al. 2024's own periods overlap too: disease-centred "
        "2014–2017, e-health technology 2017–2019, health-centred 2018–2021."
    )
    assert evo.overlap_note() == note
    assert evo.summary().notes[-1] == note
    apart = TimeEvolution("orientation", TABLE12, shares, peaks, stages[:2], {})
    assert apart.overlaps == [] and apart.overlap_note() == ""
    assert not any("overlap" in n for n in apart.summary().notes)


def test_peak_order_reproduces_seed000_reading(tmp_path):
    rows = []
    k = 0
    for year, counts in TABLE12.iterrows():
        for cat, n in counts.items():
            for _ in range(n):
                rows += [(f"s{k}", "orientation", cat), (f"s{k}", "year", str(year))]
                k += 1
    data = _coded(rows)
    evo = time_evolution(data, "orientation")
    # Seed 000: highest shares in 2016 (graded diagnosis), 2017 (medical association),
    # 2018 (smart health care), 2019 (Healthy China); healthy community grows to 2020.
    peaks = dict(zip(evo.peaks["category"], evo.peaks["peak_year"], strict=True))
    assert peaks == {
        "graded_diagnosis": 2016,
        "medical_association": 2017,
        "smart_health_care": 2018,
        "healthy_china": 2019,
        "healthy_community": 2020,
    }
    assert list(evo.peaks["category"]) == list(peaks)  # in order of peak year
    assert evo.counts.loc[2017, "medical_association"] == 475
    assert evo.shares.loc[2020].sum() == pytest.approx(1.0)
    notes = evo.summary().notes
    assert "Stage disease-centred: 2015–2017" in notes[2]
    # Table 12: 2014 has n=9, below the default minimum of 10 texts
    assert notes[1] == (
        "Years with fewer than 10 texts coded in orientation are left out of peaks and "
        "stages: 2014 (9)"
    )
    fig = evo.figure()
    assert len(fig.axes[0].lines) == 5


def test_example_project_trend(coded_project):
    evo = time_evolution(coded_data(coded_project), "tools")
    assert list(evo.counts.index) == list(range(2014, 2022))
    assert evo.stages == ()
    with pytest.raises(InputError, match="no counts"):
        stages_from_counts(evo.counts, {"x": ["nonexistent"]})


def test_a_one_year_stage_is_printed_as_one_year():
    one = Stage("disease-centred", ("graded_diagnosis",), 2015, 2015, 0.655, 0.741)
    assert one.span == "2015"
    assert Stage("x", ("a",), 2018, 2019, 0.1, 0.3).span == "2018–2019"
    assert Stage("x", ("a",), None, None, 0.1, float("nan")).span.startswith("no year")
    # 2016 alone is above the group's overall share in this count table
    counts = pd.DataFrame({"a": [5, 9, 5], "b": [5, 1, 5]}, index=[2015, 2016, 2017])
    (stage,) = stages_from_counts(counts, {"a": ["a"]})
    assert stage.span == "2016"


def test_thin_years_of_a_multi_label_dimension_count_texts_not_codings():
    # Walk 17: `policy trend P tools` on the example project said "Years with fewer than
    # 10 texts are left out ... (none here)" although 2014 has 6 texts: a year's total
    # of codings (14, several tools per text) was taken for its texts, so a year of three
    # texts coded with four tools each (12 codings) ranked the peaks.
    rows = []
    four = ["talent_construction", "financial_guarantee", "information_support", "rational_layout"]
    talent, layout, funds = ["talent_construction"], ["rational_layout"], ["financial_guarantee"]
    plan = [(2018, [four] * 3), (2019, [layout] * 10 + [talent] * 2), (2020, [funds] * 12)]
    k = 0
    for year, codes in plan:
        for cats in codes:
            rows += [(f"s{k}", "tools", c) for c in cats] + [(f"s{k}", "year", str(year))]
            k += 1
    data = _coded(rows)
    evo = time_evolution(data, "tools")
    assert evo.counts.loc[2018].sum() == 12  # codings, as the table shows them
    assert evo.thin_years == {2018: 3}  # texts
    peaks = dict(zip(evo.peaks["category"], evo.peaks["peak_year"], strict=True))
    # with 2018 ranked, its 3 texts made it the peak of talent construction (25 % of the
    # year's codings, against 2 of 12 in 2019)
    assert peaks["talent_construction"] == 2019
    assert peaks["financial_guarantee"] == 2020
    assert "2018 (3)" in evo.summary().notes[1]


def test_a_category_not_coded_in_any_ranked_year_has_no_peak_year():
    # Walk 17: information support, coded only in the thin year 2018, was said to peak in
    # 2019 (the first year ranked: the largest of shares that are all 0)
    rows = []
    plan = [(2018, ["information_support"] * 3), (2019, ["rational_layout"] * 12)]
    plan += [(2020, ["financial_guarantee"] * 6 + ["rational_layout"] * 6)]
    k = 0
    for year, cats in plan:
        for cat in cats:
            rows += [(f"s{k}", "tools", cat), (f"s{k}", "year", str(year))]
            k += 1
    evo = time_evolution(_coded(rows), "tools")
    peaks = dict(zip(evo.peaks["category"], evo.peaks["peak_year"], strict=True))
    assert {k: v for k, v in peaks.items() if v is not None} == {
        "rational_layout": 2019,
        "financial_guarantee": 2020,
    }
    assert peaks["information_support"] is None
    note = evo.summary().notes[0]
    assert note.startswith(
        "Peak share of the year: Rational layout 2019; Financial guarantee 2020; "
        "not coded in the years ranked: Talent construction, Information support, "
    )


def test_the_chart_of_a_multi_label_dimension_counts_codings():
    # Walk 17: the y axis said "Texts" for stakeholders (several per text): only a
    # dimension whose key ends in 'tools' was labelled "Codings"
    rows = []
    for k in range(12):
        cats = ["governments", "residents"] if k % 2 else ["physicians"]
        rows += [(f"s{k}", "stakeholders", c) for c in cats] + [(f"s{k}", "year", "2018")]
    evo = time_evolution(_coded(rows), "stakeholders")
    assert evo.figure().axes[0].get_ylabel() == "Codings"
    five = list(SEED000_STAGES["disease-centred"] + SEED000_STAGES["health-centred"])
    five += SEED000_STAGES["e-health technology"]
    one = [(f"s{k}", "orientation", five[k % 5]) for k in range(12)]
    one += [(f"s{k}", "year", "2018") for k in range(12)]
    assert time_evolution(_coded(one), "orientation").figure().axes[0].get_ylabel() == "Texts"


def test_orientation_with_a_category_nobody_coded_still_places_the_stages():
    # Walk 17: a corpus without any graded-diagnosis text (a study of 2019-2021 policies)
    # failed `policy trend P orientation` with "stage 'disease-centred' names categories
    # with no counts": a closed dimension's uncoded categories were dropped from the count
    # table the seed-000 stages are read from
    cats = ["healthy_china"] * 8 + ["medical_association"] * 4 + ["smart_health_care"] * 2
    rows = [(f"s{k}", "orientation", c) for k, c in enumerate(cats)]
    rows += [(f"s{k}", "year", str(2019 + k % 2)) for k in range(len(cats))]
    evo = time_evolution(_coded(rows), "orientation")
    assert list(evo.counts.columns) == list(
        load_codebook("6d").dimension("orientation").category_keys
    )
    assert evo.counts["graded_diagnosis"].sum() == 0
    assert {s.name for s in evo.stages} == set(SEED000_STAGES)


def test_equal_runs_go_to_the_stronger_run():
    # The demo corpus's counts, 2015-2021 (group = graded diagnosis + medical
    # association), by hand: shares 20/27 = 74.1 %, 21/42 = 50.0 %, 62/62 = 100 %,
    # 13/25, 13/27, 0/11, 6/12; overall 135/206 = 65.5 %. 2015 and 2017 are two one-year
    # runs above it; the stage is the run with the higher mean share (2017), not the
    # earlier one.
    counts = pd.DataFrame(
        {
            "graded_diagnosis": [20, 7, 0, 6, 0, 0, 0],
            "medical_association": [0, 14, 62, 7, 13, 0, 6],
            "other": [7, 21, 0, 12, 14, 11, 6],
        },
        index=range(2015, 2022),
    )
    (stage,) = stages_from_counts(
        counts, {"g": ["graded_diagnosis", "medical_association"]}, min_year_n=10
    )
    assert stage.overall_share == pytest.approx(135 / 206)
    assert (stage.start, stage.end) == (2017, 2017)
    assert stage.stage_share == pytest.approx(1.0)


def test_equal_runs_of_equal_share_go_to_the_earlier():
    # 2015 and 2017 both 100 %, 2016 0 %: overall 2/3, two equal one-year runs.
    counts = pd.DataFrame({"a": [10, 0, 10], "b": [0, 10, 0]}, index=[2015, 2016, 2017])
    (stage,) = stages_from_counts(counts, {"g": ["a"]}, min_year_n=10)
    assert (stage.start, stage.end) == (2015, 2015)


def _three_thin_years() -> _Coded:
    """Session 19's review project: 6, 3 and 4 texts in 2019–2021, every one coded
    medical association (13 codings)."""
    rows = []
    for k, year in enumerate([2019] * 6 + [2020] * 3 + [2021] * 4):
        rows += [(f"s{k}", "orientation", "medical_association"), (f"s{k}", "year", str(year))]
    return _coded(rows)


def test_no_year_with_enough_texts_says_peaks_and_stages_are_not_determined():
    # review F8: "not coded in the years ranked: … Medical association" (coded 13 times)
    # and "share nan% against nan% overall" when no year had 10 texts
    notes = time_evolution(_three_thin_years(), "orientation").summary().notes
    said = "\n".join(notes)
    assert "nan" not in said and "not coded" not in said
    assert notes[0] == ("Peak share of the year: not determined, no year has at least 10 texts")
    assert "Stages not determined: no year has at least 10 texts" in said
    assert not [n for n in notes if n.startswith("Stage ")]  # no stage line of its own
    zh = time_evolution(_three_thin_years(), "orientation", lang="zh").summary().notes
    assert zh[0] == "各类目占当年比重的峰值年份：无法确定，没有任何年份的文本达到 10 条"
    assert "阶段无法确定：没有任何年份的文本达到 10 条" in "\n".join(zh)
    assert "nan" not in "\n".join(zh)


def test_a_stage_without_a_year_above_its_share_prints_no_nan():
    # a group above its overall share in no year: its share inside the stage is NaN
    evo = TimeEvolution(
        "orientation", TABLE12, TABLE12, pd.DataFrame({"category": [], "peak_year": []}),
        (Stage("health-centred", ("healthy_china",), None, None, 0.034, float("nan")),),
        {},
    )  # fmt: skip
    (line,) = [n for n in evo.summary().notes if n.startswith("Stage health")]
    assert line == "Stage health-centred: no year above its overall share (3.4% overall)"


def test_stage_share_is_pooled_over_the_stage_years_not_a_mean_of_yearly_shares():
    # session 23 review F12: a content analysis reports a stage's share as its texts
    # over all texts of the stage's years (seed 000's Table 12 percentages are of
    # pooled counts). By hand: 2015 9/10 and 2016 30/100 exceed the overall 43/170
    # (25.3 %), so the stage is 2015–2016; pooled (9 + 30)/(10 + 100) = 35.5 %, where the
    # mean of the yearly shares would be (90 % + 30 %)/2 = 60 %.
    counts = pd.DataFrame({"a": [2, 9, 30, 2], "b": [18, 1, 70, 38]}, index=range(2014, 2018))
    (stage,) = stages_from_counts(counts, {"g": ["a"]}, min_year_n=0)
    assert (stage.start, stage.end) == (2015, 2016)
    assert stage.overall_share == pytest.approx(43 / 170)
    assert stage.stage_share == pytest.approx(39 / 110)


def test_stage_line_says_how_both_shares_are_computed():
    # F12: "share 58.6 % against 65.5 % overall" said neither how the stage's share was
    # taken nor that "overall" leaves out the thin years. Seed 000 Table 12, by hand:
    # disease-centred 2015–2017 pooled (165 + 229 + 529)/(168 + 234 + 531) = 923/933 =
    # 98.9 %; overall 1255/1336 = 93.9 % (2014, 9 texts, left out).
    stages = tuple(stages_from_counts(TABLE12, SEED000_STAGES, min_year_n=10))
    shares = TABLE12.div(TABLE12.sum(axis=1), axis=0)
    peaks = pd.DataFrame({"category": [], "peak_year": []})
    evo = TimeEvolution("orientation", TABLE12, shares, peaks, stages, {})
    assert stages[0].stage_share == pytest.approx(923 / 933)
    assert (
        "Stage disease-centred: 2015–2017 (98.9% of the stage's texts, pooled over its "
        "years, against 93.9% over all years with at least 10 texts)"
    ) in evo.summary().notes
