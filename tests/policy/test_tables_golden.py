"""Golden tests: seed 000's Tables 6 and 7 reproduced cell by cell.

Source: seed 000 (Yu, Wang, You 2024, J Med Internet Res 26:e47197),
``/work/shared/seeds/000_e6f48db32a589104.txt``, Table 6 (policy tools × stakeholders,
n = 2,997) and Table 7 (policy tools × policy level, n = 1,929). The counts below are
the printed counts; the codings set is built so that each printed cell count is the
number of coded texts (Table 7) or co-occurring tool–stakeholder pairs (Table 6). Every
printed percentage is checked, except two misprints in the paper, where the printed
value contradicts the printed counts and the row's other percentages:

* Table 7, Medical insurance payment, provincial and municipal: printed 84.56, but
  61/73 = 0.835616… → 83.56 (the row then sums to 8.22 + 83.56 + 8.22 = 100).
* Table 6, Technical support, grassroots hospitals: printed 16.77, but
  5/30 = 0.166666… → 16.67 (50 + 33.33 + 16.67 = 100).
"""

import pandas as pd
import pytest

from ihms.policy.codebook import load_codebook
from ihms.policy.coding import import_codings
from ihms.policy.corpus import Document
from ihms.policy.project import Project
from ihms.policy.reconcile import coded_data
from ihms.policy.tables import crosstab_table

TOOLS = [
    "Talent construction", "Financial guarantee", "Information support", "Technical support",
    "Rational layout", "Medical insurance payment", "Medicine supply", "Price adjustment",
    "Ability building", "Adhere to public welfare", "Orderly medical treatment",
    "Demonstration project", "Objective programming", "Institutional building",
    "Incentive and restraint", "Policy promotion", "Functional localization", "Resource sharing",
]  # fmt: skip

# Seed 000, Table 7: counts (national, provincial and municipal, Shanghai) per tool and
# the printed cells of the table, row by row.
TABLE7_COUNTS = [
    (10, 59, 6), (4, 28, 5), (33, 77, 17), (2, 8, 8), (12, 76, 12),
    (6, 61, 6), (5, 34, 1), (2, 33, 3), (8, 39, 12), (4, 17, 3), (53, 131, 13), (16, 31, 5),
    (21, 173, 29), (38, 193, 22), (41, 120, 26), (6, 36, 7), (64, 150, 27), (26, 92, 18),
]  # fmt: skip
TABLE7_PRINTED = [
    ("Supply-based", ("", "", "")),
    ("Talent construction (n=75)", ("10 (13.33)", "59 (78.67)", "6 (8)")),
    ("Financial guarantee (n=37)", ("4 (10.81)", "28 (75.68)", "5 (13.51)")),
    ("Information support (n=127)", ("33 (25.98)", "77 (60.63)", "17 (13.39)")),
    ("Technical support (n=18)", ("2 (11.11)", "8 (44.44)", "8 (44.44)")),
    ("Rational layout (n=100)", ("12 (12)", "76 (76)", "12 (12)")),
    ("Total (n=357)", ("61 (17.09)", "248 (69.47)", "48 (13.45)")),
    ("Demand-based", ("", "", "")),
    (
        "Medical insurance payment (n=73)",
        ("6 (8.22)", "61 (83.56)", "6 (8.22)"),
    ),  # printed 84.56: misprint
    ("Medicine supply (n=40)", ("5 (12.5)", "34 (85)", "1 (2.5)")),
    ("Price adjustment (n=38)", ("2 (5.26)", "33 (86.84)", "3 (7.89)")),
    ("Ability building (n=59)", ("8 (13.56)", "39 (66.1)", "12 (20.34)")),
    ("Adhere to public welfare (n=24)", ("4 (16.67)", "17 (70.83)", "3 (12.5)")),
    ("Orderly medical treatment (n=197)", ("53 (26.9)", "131 (66.5)", "13 (6.6)")),
    ("Demonstration project (n=52)", ("16 (30.77)", "31 (59.62)", "5 (9.62)")),
    ("Total (n=483)", ("94 (19.46)", "346 (71.64)", "43 (8.9)")),
    ("Environment-based", ("", "", "")),
    ("Objective programming (n=223)", ("21 (9.42)", "173 (77.58)", "29 (13)")),
    ("Institutional building (n=253)", ("38 (15.02)", "193 (76.28)", "22 (8.7)")),
    ("Incentive and restraint (n=187)", ("41 (21.93)", "120 (64.17)", "26 (13.9)")),
    ("Policy promotion (n=49)", ("6 (12.24)", "36 (73.47)", "7 (14.29)")),
    ("Functional localization (n=241)", ("64 (26.56)", "150 (62.24)", "27 (11.2)")),
    ("Resource sharing (n=136)", ("26 (19.12)", "92 (67.65)", "18 (13.24)")),
    ("Total (n=1089)", ("196 (18)", "764 (70.16)", "129 (11.85)")),
    ("Grand total (n=1929)", ("351 (18.2)", "1358 (70.4)", "220 (11.4)")),
]

# Seed 000, Table 6: counts (governments, second-class-and-above hospitals, grassroots
# hospitals, physicians, residents) per tool, and the printed cells.
TABLE6_COUNTS = [
    (53, 46, 36, 8, 0), (37, 2, 2, 1, 0), (121, 76, 27, 1, 0), (15, 10, 5, 0, 0), (90, 48, 40, 2, 0),
    (73, 11, 8, 2, 0), (35, 15, 12, 1, 0), (38, 8, 6, 0, 0), (43, 40, 33, 1, 0), (23, 1, 1, 0, 0),
    (121, 118, 99, 48, 10), (52, 15, 13, 0, 0),
    (219, 30, 20, 3, 1), (239, 64, 51, 14, 3), (169, 48, 20, 3, 1), (48, 3, 5, 0, 0),
    (189, 94, 68, 0, 0), (128, 74, 52, 4, 0),
]  # fmt: skip
NA = "N/A"
TABLE6_PRINTED = [
    ("Supply-based", ("", "", "", "", "")),
    ("Talent construction (n=143)", ("53 (37.06)", "46 (32.17)", "36 (25.17)", "8 (5.59)", NA)),
    ("Financial guarantee (n=42)", ("37 (88.1)", "2 (4.76)", "2 (4.76)", "1 (2.38)", NA)),
    ("Information support (n=225)", ("121 (53.78)", "76 (33.78)", "27 (12)", "1 (0.44)", NA)),
    (
        "Technical support (n=30)",
        ("15 (50)", "10 (33.33)", "5 (16.67)", NA, NA),
    ),  # printed 16.77: misprint
    ("Rational layout (n=180)", ("90 (50)", "48 (26.67)", "40 (22.22)", "2 (1.11)", NA)),
    ("Total (n=620)", ("316 (50.97)", "182 (29.35)", "110 (17.74)", "12 (1.94)", "0 (0)")),
    ("Demand-based", ("", "", "", "", "")),
    ("Medical insurance payment (n=94)", ("73 (77.66)", "11 (11.7)", "8 (8.51)", "2 (2.13)", NA)),
    ("Medicine supply (n=63)", ("35 (55.56)", "15 (23.81)", "12 (19.05)", "1 (1.59)", NA)),
    ("Price adjustment (n=52)", ("38 (73.08)", "8 (15.38)", "6 (11.54)", NA, NA)),
    ("Ability building (n=117)", ("43 (36.75)", "40 (34.19)", "33 (28.21)", "1 (0.85)", NA)),
    ("Adhere to public welfare (n=25)", ("23 (92)", "1 (4)", "1 (4)", NA, NA)),  # printed "(25)"
    (
        "Orderly medical treatment (n=396)",
        ("121 (30.56)", "118 (29.8)", "99 (25)", "48 (12.12)", "10 (2.53)"),
    ),
    ("Demonstration project (n=80)", ("52 (65)", "15 (18.75)", "13 (16.25)", NA, NA)),
    ("Total (n=827)", ("385 (46.55)", "208 (25.15)", "172 (20.8)", "52 (6.29)", "10 (1.21)")),
    ("Environment-based", ("", "", "", "", "")),
    (
        "Objective programming (n=273)",
        ("219 (80.22)", "30 (10.99)", "20 (7.33)", "3 (1.1)", "1 (0.37)"),
    ),
    (
        "Institutional building (n=371)",
        ("239 (64.42)", "64 (17.25)", "51 (13.75)", "14 (3.77)", "3 (0.81)"),
    ),
    (
        "Incentive and restraint (n=241)",
        ("169 (70.12)", "48 (19.92)", "20 (8.3)", "3 (1.24)", "1 (0.41)"),
    ),
    ("Policy promotion (n=56)", ("48 (85.71)", "3 (5.36)", "5 (8.93)", NA, NA)),
    ("Functional localization (n=351)", ("189 (53.85)", "94 (26.78)", "68 (19.37)", NA, NA)),
    ("Resource sharing (n=258)", ("128 (49.61)", "74 (28.68)", "52 (20.16)", "4 (1.55)", NA)),
    ("Total (n=1550)", ("992 (64)", "313 (20.19)", "216 (13.94)", "24 (1.55)", "5 (0.32)")),
    (
        "Grand total (n=2997)",
        ("1693 (56.49)", "703 (23.46)", "498 (16.62)", "88 (2.94)", "15 (0.5)"),
    ),
]
STAKEHOLDERS = [
    "Governments",
    "Second-class-and-above hospitals",
    "Grassroots hospitals",
    "Physicians",
    "Residents",
]
LEVEL_DOCS = [("nat", "国务院办公厅"), ("prov", "浙江省人民政府"), ("sh", "上海市人民政府")]


def _document(doc_id, issuer, n):
    text = "\n".join(f"第{i}段政策文本。" for i in range(1, n + 1))
    return Document(
        id=doc_id, file=f"{doc_id}.txt", fmt="txt", sha256=doc_id, text=text, issuer=issuer
    )


@pytest.fixture(scope="module")
def golden_project(tmp_path_factory):
    path = tmp_path_factory.mktemp("golden") / "golden.sqlite"
    project = Project.create(path, load_codebook("6d"))
    per_level = [sum(row[j] for row in TABLE7_COUNTS) for j in range(3)]
    docs = [_document(d, issuer, n) for (d, issuer), n in zip(LEVEL_DOCS, per_level, strict=True)]
    docs.append(_document("pairs", "国务院办公厅", sum(map(sum, TABLE6_COUNTS))))
    project.add_documents(docs)
    project.segment("paragraph")
    segs = project.segments()
    by_doc = {d: list(segs.loc[segs["doc_id"] == d, "id"]) for d, _ in [*LEVEL_DOCS, ("pairs", "")]}
    rows = []
    for j, (doc, _) in enumerate(LEVEL_DOCS):
        ids = iter(by_doc[doc])
        for tool, counts in zip(TOOLS, TABLE7_COUNTS, strict=True):
            rows += [
                {"segment_id": next(ids), "tools": tool, "coder": "table7"}
                for _ in range(counts[j])
            ]
    ids = iter(by_doc["pairs"])
    for tool, counts in zip(TOOLS, TABLE6_COUNTS, strict=True):
        for who, n in zip(STAKEHOLDERS, counts, strict=True):
            rows += [
                {"segment_id": next(ids), "tools": tool, "stakeholders": who, "coder": "table6"}
                for _ in range(n)
            ]
    import_codings(project, pd.DataFrame(rows))
    yield project
    project.close()


def _printed(table):
    return [(label, cells) for label, _, cells in table.rows]


def test_table7_tools_by_level(golden_project):
    data = coded_data(golden_project, source="table7")
    table = crosstab_table(
        data,
        "tools",
        "level",
        percent="row",
        digits=2,
        merge_cols={"Provincial and municipal level": ["provincial", "municipal", "county"]},
        col_order=["national", "Provincial and municipal level", "shanghai"],
    )
    assert table.header[1:] == (
        "National level, n (%)",
        "Provincial and municipal level, n (%)",
        "Shanghai, n (%)",
    )
    assert _printed(table) == TABLE7_PRINTED
    assert table.counts.loc["Grand total (n=1929)"].tolist() == [351, 1358, 220]


def test_table6_tools_by_stakeholders_counts_pairs(golden_project):
    data = coded_data(golden_project, source="table6")
    table = crosstab_table(data, "tools", "stakeholders", percent="row", digits=2)
    assert table.header[1:] == tuple(f"{s}, n (%)" for s in STAKEHOLDERS)
    assert _printed(table) == TABLE6_PRINTED
    assert "N/A: not applicable (no text)." in table.notes
