""" "Table N" of a cited study is said 表N by one rule (:func:`ihms.sources.cited_zh`) in
every ``--lang zh`` translator (review zh34 #5): the indicator catalogue's sources, the
simulator's table cells and the calibration's figures had three rules, the last two of
which left a "Table N" in English where the citation was not "…, Table N" (cells) or did
not end there (figures)."""

from __future__ import annotations

import pandas as pd

from ihms.cli._indicator_zh import source_zh
from ihms.sim._calibration_zh import figures_zh
from ihms.sim._words_zh import in_zh
from ihms.sources import cited_zh
from ihms.summary import SummaryTable


def test_table_n_is_biao_n_after_a_full_width_comma_where_english_had_a_comma():
    assert cited_zh("Zhong et al. 2023, Table 4") == "Zhong et al. 2023，表4"
    assert cited_zh("Table 3") == "表3"
    assert cited_zh("Zhong et al. 2023, Table 4 (2016)") == "Zhong et al. 2023，表4 (2016)"
    # several tables, a range and a supplement's table (review 34b #7: left English)
    assert cited_zh("Tables 3 and 4 of a Timetable 5") == "表3和表4 of a Timetable 5"
    assert cited_zh("Zhong et al. 2023, Tables 3, 4 and 5") == "Zhong et al. 2023，表3、表4和表5"
    assert cited_zh("Tables 1, 2, 5 (counts)") == "表1、表2、表5 (counts)"
    assert cited_zh("Tables 1–12; Tables 4-5") == "表1至表12; 表4至表5"
    assert cited_zh("Yu et al. 2024, Table S1") == "Yu et al. 2024，表S1"
    assert cited_zh("Table 4, 2016") == "表4, 2016"  # one table, then a year
    assert cited_zh("Tables 1–5 and 7") == "表1至表5和表7"
    # a list ends at its "and" item (read 34a LOW 1: the year was read as 表2016)
    assert cited_zh("Zhong et al. 2023, Tables 3 and 4, 2016") == (
        "Zhong et al. 2023，表3和表4, 2016"
    )
    assert cited_zh("Tables 3 and 4, 12 months") == "表3和表4, 12 months"
    assert cited_zh("Table 3 and 4") == "表3和表4"  # was 表3 and 4


def test_every_translator_says_it_so():
    assert source_zh("Zhong et al. 2023, Table 3; Jia et al. 2021, Figure 6 (by tier)") == (
        "Zhong et al. 2023，表3；Jia et al. 2021，图6"
    )
    said = figures_zh("Zhong et al. 2023, Table 4 (2016): hospitalization rate in 2016")
    assert said.startswith("Zhong et al. 2023，表4 (2016)：")  # was …, Table 4 (2016)：
    table = SummaryTable(pd.DataFrame({"source": ["Table 4", "Zhong et al. 2023, Table 5"]}))
    assert in_zh(table, "zh").frame.iloc[:, 0].tolist() == ["表4", "Zhong et al. 2023，表5"]
