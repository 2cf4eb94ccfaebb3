"""The trend chart's lines and axis, tied peak years and what the thin-year note counts
(session 21 user review A, findings 8, 11 and 12)."""

import math

from tests.policy.test_trend import _coded

from ihms.policy.codebook import load_codebook
from ihms.policy.trend import time_evolution


def _every_tool_every_year() -> object:
    """Each of 6d's policy tools coded once in each of 2015-2017, plus one extra coding
    in 2016 so the counts run 1..2 (a count axis auto-ticked 0.25 / 0.5 apart)."""
    tools = load_codebook("6d").dimension("tools").category_keys
    rows, k = [], 0
    for year in (2015, 2016, 2017):
        for tool in tools:
            rows += [(f"s{k}", "tools", tool), (f"s{k}", "year", str(year))]
            k += 1
    rows += [(f"s{k}", "tools", tools[0]), (f"s{k}", "year", "2016")]
    return _coded(rows)


def test_every_category_line_has_its_own_colour_and_style():
    # Review A #8: 18 tools shared matplotlib's 10-colour cycle, so two tools were the
    # same blue and the legend could not be read.
    evo = time_evolution(_every_tool_every_year(), "tools", min_year_n=1)
    lines = evo.figure().axes[0].get_lines()
    assert len(lines) == len(evo.counts.columns) == 18
    colours = {line.get_color() for line in lines}
    assert len(colours) == 18
    styles = {(line.get_color(), line.get_linestyle(), line.get_marker()) for line in lines}
    assert len(styles) == 18


def test_the_count_axis_has_whole_numbers_only():
    # Review A #8: the count axis read 0.5, 1.5, 2.5 for counts of codings.
    evo = time_evolution(_every_tool_every_year(), "tools", min_year_n=1)
    fig = evo.figure()
    fig.canvas.draw()
    ticks = fig.axes[0].get_yticks()
    assert len(ticks) >= 2
    assert all(math.isclose(t, round(t)) for t in ticks)


def _talent_ties() -> object:
    """Review A #11's shape: talent construction 1 of 4 codings in 2015, 2016 and 2017
    (tied), rational layout the rest; each year 4 texts."""
    rows, k = [], 0
    for year in (2015, 2016, 2017):
        for tool in ["talent_construction"] + ["rational_layout"] * 3:
            rows += [(f"s{k}", "tools", tool), (f"s{k}", "year", str(year))]
            k += 1
    return _coded(rows)


def test_tied_peak_years_are_all_named():
    # Review A #11: talent construction was 1/7 of codings in 2015, 2018 and 2022 and
    # only 2015 (the first) was reported.
    evo = time_evolution(_talent_ties(), "tools", min_year_n=1)
    row = evo.peaks.set_index("category").loc["talent_construction"]
    assert row["peak_year"] == 2015
    assert list(row["peak_years"]) == [2015, 2016, 2017]
    assert "Talent construction 2015, 2016, 2017 (tied)" in evo.peak_note()
    zh = time_evolution(_talent_ties(), "tools", min_year_n=1, lang="zh")
    assert "人才建设 2015、2016、2017（并列）" in zh.peak_note()


def test_the_thin_year_note_says_it_counts_texts_coded_in_the_dimension():
    # Review A #12: "文本少于 10 条的年份 ... 2018 (4)" counted the texts with a tools
    # code (the year had 5 texts) without saying so.
    evo = time_evolution(_talent_ties(), "tools")
    assert evo.summary().notes[1] == (
        "Years with fewer than 10 texts coded in tools are left out of peaks and stages: "
        "2015 (4), 2016 (4), 2017 (4)"
    )
    zh = time_evolution(_talent_ties(), "tools", lang="zh")
    assert zh.summary().notes[1] == (
        "有政策工具编码的文本少于 10 条的年份不纳入峰值与阶段：2015（4）、2016（4）、2017（4）"
    )
