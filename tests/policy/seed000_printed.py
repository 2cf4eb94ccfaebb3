"""Seed 000's Tables 1–12 as printed, for the golden tests of the shipped spec.

Source: seed 000 (Yu, Wang, You 2024, J Med Internet Res 26:e47197),
``/work/shared/seeds/000_e6f48db32a589104.txt``, Tables 1–12. Each table is written as
the paper prints it, one row per line and ``" | "`` between cells; markup is dropped
(bold group rows, the ``a`` of the N/A footnote), and a group row is its label alone
(its cells are empty). Nothing else is changed, misprints included: the tests name
each misprint and the arithmetic that shows it.
"""

from __future__ import annotations

import re

__all__ = ["category_label", "category_rows", "cell_count", "column_label", "printed"]

TABLE1 = """\
Policy level | Policies (n=1345), n (%)
Provincial level | 659 (49)
National level | 275 (20.45)
Municipal level | 253 (18.81)
Shanghai | 158 (11.75)
"""

TABLE2 = """\
Policy nature | Policies (n=1345), n (%)
Planning policy | 674 (50.11)
Detailed regulations | 671 (49.89)
"""

TABLE3 = """\
Policy tool and secondary classification | Policy tools, n (%)
Supply-based (n=357)
Talent construction | 75 (3.89)
Financial guarantee | 37 (1.92)
Information support | 127 (6.58)
Technical support | 18 (0.93)
Rational layout | 100 (5.18)
Demand-based (n=483)
Medical insurance payment | 73 (3.78)
Medicine supply | 40 (2.07)
Price adjustment | 38 (1.97)
Ability building | 59 (3.06)
Adhere to public welfare | 24 (1.24)
Orderly medical treatment | 197 (10.21)
Demonstration project | 52 (2.7)
Environment-based (n=1089)
Objective programming | 223 (11.56)
Institutional building | 253 (13.12)
Incentive and restraint | 187 (9.69)
Policy promotion | 49 (2.54)
Functional localization | 241 (12.49)
Resource sharing | 136 (7.05)
"""

TABLE4 = """\
Stakeholders | Participation, n (%)
Governments | 1154 (57.16)
Grassroots hospitals | 461 (22.83)
Second-class-and-above hospitals | 328 (16.25)
Physicians | 65 (3.22)
Residents | 11 (0.54)
"""

TABLE5 = """\
Policy orientation | Policies (n=1345), n (%)
Medical association | 778 (57.84)
Graded diagnosis and treatment | 486 (36.13)
Smart health care | 36 (2.68)
Healthy community | 24 (1.78)
Healthy China | 21 (1.56)
"""

TABLE6 = """\
Policy tool and secondary classification | Governments, n (%) | Second-class-and-above hospitals, n (%) | Grassroots hospitals, n (%) | Physicians, n (%) | Residents, n (%)
Supply-based
Talent construction (n=143) | 53 (37.06) | 46 (32.17) | 36 (25.17) | 8 (5.59) | N/A
Financial guarantee (n=42) | 37 (88.1) | 2 (4.76) | 2 (4.76) | 1 (2.38) | N/A
Information support (n=225) | 121 (53.78) | 76 (33.78) | 27 (12) | 1 (0.44) | N/A
Technical support (n=30) | 15 (50) | 10 (33.33) | 5 (16.77) | N/A | N/A
Rational layout (n=180) | 90 (50) | 48 (26.67) | 40 (22.22) | 2 (1.11) | N/A
Total (n=620) | 316 (50.97) | 182 (29.35) | 110 (17.74) | 12 (1.94) | 0 (0)
Demand-based
Medical insurance payment (n=94) | 73 (77.66) | 11 (11.7) | 8 (8.51) | 2 (2.13) | N/A
Medicine supply (n=63) | 35 (55.56) | 15 (23.81) | 12 (19.05) | 1 (1.59) | N/A
Price adjustment (n=52) | 38 (73.08) | 8 (15.38) | 6 (11.54) | N/A | N/A
Ability building (n=117) | 43 (36.75) | 40 (34.19) | 33 (28.21) | 1 (0.85) | N/A
Adhere to public welfare (25) | 23 (92) | 1 (4) | 1 (4) | N/A | N/A
Orderly medical treatment (n=396) | 121 (30.56) | 118 (29.8) | 99 (25) | 48 (12.12) | 10 (2.53)
Demonstration project (n=80) | 52 (65) | 15 (18.75) | 13 (16.25) | N/A | N/A
Total (n=827) | 385 (46.55) | 208 (25.15) | 172 (20.8) | 52 (6.29) | 10 (1.21)
Environment-based
Objective programming (n=273) | 219 (80.22) | 30 (10.99) | 20 (7.33) | 3 (1.1) | 1 (0.37)
Institutional building (n=371) | 239 (64.42) | 64 (17.25) | 51 (13.75) | 14 (3.77) | 3 (0.81)
Incentive and restraint (n=241) | 169 (70.12) | 48 (19.92) | 20 (8.3) | 3 (1.24) | 1 (0.41)
Policy promotion (n=56) | 48 (85.71) | 3 (5.36) | 5 (8.93) | N/A | N/A
Functional localization (n=351) | 189 (53.85) | 94 (26.78) | 68 (19.37) | N/A | N/A
Resource sharing (n=258) | 128 (49.61) | 74 (28.68) | 52 (20.16) | 4 (1.55) | N/A
Total (n=1550) | 992 (64) | 313 (20.19) | 216 (13.94) | 24 (1.55) | 5 (0.32)
Grand total (n=2997) | 1693 (56.49) | 703 (23.46) | 498 (16.62) | 88 (2.94) | 15 (0.5)
"""

TABLE7 = """\
Policy tool and secondary classification | National level, n (%) | Provincial and municipal level, n (%) | Shanghai, n (%)
Supply-based
Talent construction (n=75) | 10 (13.33) | 59 (78.67) | 6 (8)
Financial guarantee (n=37) | 4 (10.81) | 28 (75.68) | 5 (13.51)
Information support (n=127) | 33 (25.98) | 77 (60.63) | 17 (13.39)
Technical support (n=18) | 2 (11.11) | 8 (44.44) | 8 (44.44)
Rational layout (n=100) | 12 (12) | 76 (76) | 12 (12)
Total (n=357) | 61 (17.09) | 248 (69.47) | 48 (13.45)
Demand-based
Medical insurance payment (n=73) | 6 (8.22) | 61 (84.56) | 6 (8.22)
Medicine supply (n=40) | 5 (12.5) | 34 (85) | 1 (2.5)
Price adjustment (n=38) | 2 (5.26) | 33 (86.84) | 3 (7.89)
Ability building (n=59) | 8 (13.56) | 39 (66.1) | 12 (20.34)
Adhere to public welfare (n=24) | 4 (16.67) | 17 (70.83) | 3 (12.5)
Orderly medical treatment (n=197) | 53 (26.9) | 131 (66.5) | 13 (6.6)
Demonstration project (n=52) | 16 (30.77) | 31 (59.62) | 5 (9.62)
Total (n=483) | 94 (19.46) | 346 (71.64) | 43 (8.9)
Environment-based
Objective programming (n=223) | 21 (9.42) | 173 (77.58) | 29 (13)
Institutional building (n=253) | 38 (15.02) | 193 (76.28) | 22 (8.7)
Incentive and restraint (n=187) | 41 (21.93) | 120 (64.17) | 26 (13.9)
Policy promotion (n=49) | 6 (12.24) | 36 (73.47) | 7 (14.29)
Functional localization (n=241) | 64 (26.56) | 150 (62.24) | 27 (11.2)
Resource sharing (n=136) | 26 (19.12) | 92 (67.65) | 18 (13.24)
Total (n=1089) | 196 (18) | 764 (70.16) | 129 (11.85)
Grand total (n=1929) | 351 (18.2) | 1358 (70.4) | 220 (11.4)
"""

TABLE8 = """\
Policy orientation | National level (n=275), n (%) | Shanghai (n=158), n (%) | Provincial and municipal level (n=912), n (%)
Graded diagnosis and treatment | 120 (43.6) | 49 (31) | 317 (34.8)
Healthy community | 9 (3.3) | 9 (5.7) | 6 (0.7)
Healthy China | 6 (2.2) | 4 (2.5) | 11 (1.2)
Medical association | 130 (47.3) | 92 (58.2) | 556 (61)
Smart health care | 10 (3.6) | 4 (2.5) | 22 (2.4)
"""

TABLE9 = """\
Policy tool and secondary classification | Planning policy, n (%) | Detailed regulations, n (%)
Supply-based
Talent construction (n=75) | 47 (63) | 28 (37)
Financial guarantee (n=37) | 21 (57) | 16 (43)
Information support (n=127) | 58 (45.7) | 69 (54.3)
Technical support (n=18) | 9 (50) | 9 (50)
Rational layout (n=100) | 46 (46) | 54 (54)
Total (n=357) | 181 (50.7) | 176 (49.3)
Demand-based
Medical insurance payment (n=73) | 45 (62) | 28 (38)
Medicine supply (n=40) | 20 (50) | 20 (50)
Price adjustment (n=38) | 24 (63) | 14 (37)
Ability building (n=59) | 40 (68) | 19 (32)
Adhere to public welfare (n=24) | 14 (58) | 10 (42)
Orderly medical treatment (n=197) | 112 (56.9) | 85 (43.1)
Demonstration project (n=52) | 15 (29) | 37 (71)
Total (n=483) | 270 (55.9) | 213 (44.1)
Environment-based
Objective programming (n=223) | 101 (45.3) | 122 (54.7)
Institutional building (n=253) | 123 (48.6) | 130 (51.4)
Incentive and restraint (n=187) | 67 (35.8) | 120 (64.2)
Policy promotion (n=49) | 29 (59) | 20 (41)
Functional localization (n=241) | 108 (44.8) | 133 (55.2)
Resource sharing (n=136) | 77 (56.6) | 59 (43.4)
Total (n=1089) | 505 (46.37) | 584 (53.63)
Grand total (n=1929) | 956 (49.56) | 973 (50.44)
"""

TABLE10 = """\
Policy orientation | Planning policy (n=674), n (%) | Detailed regulations (n=671), n (%)
Graded diagnosis and treatment | 345 (51.2) | 141 (21)
Healthy community | 8 (1.2) | 16 (2.4)
Healthy China | 11 (1.6) | 10 (1.5)
Medical association | 295 (43.8) | 483 (72)
Smart health care | 15 (2.2) | 21 (3.1)
"""

TABLE11 = """\
Policy tool and secondary classification | 2015 and before, n (%) | 2016, n (%) | 2017, n (%) | 2018, n (%) | 2019, n (%) | 2020, n (%) | 2021, n (%)
Supply-based
Talent construction (n=75) | 13 (17) | 12 (16) | 29 (39) | 8 (11) | 8 (11) | 1 (1) | 4 (5)
Financial guarantee (n=37) | 2 (5) | 6 (16) | 20 (54) | 1 (3) | 6 (16) | 2 (5) | N/A
Information support (n=127) | 11 (8.7) | 19 (15) | 39 (30.7) | 22 (17.3) | 19 (15) | 14 (11) | 3 (2.4)
Technical support (n=18) | 1 (6) | N/A | 9 (50) | 2 (11) | 1 (6) | 2 (11) | 3 (17)
Rational layout (n=100) | 9 (9) | 2 (2) | 71 (71) | 3 (3) | 5 (5) | 6 (6) | 4 (4)
Total (n=357) | 36 (10.1) | 39 (10.9) | 168 (47.1) | 36 (10.1) | 39 (10.9) | 25 (7) | 14 (3.9)
Demand-based
Medical insurance payment (n=73) | 9 (12) | 17 (23) | 35 (48) | 6 (8) | 6 (8) | N/A | N/A
Medicine supply (n=40) | 6 (15) | 5 (13) | 21 (53) | 6 (15) | 1 (3) | 1 (3) | N/A
Price adjustment (n=38) | 6 (16) | 15 (39) | 15 (39) | 1 (3) | 1 (3) | N/A | N/A
Ability building (n=59) | 9 (15) | 13 (22) | 17 (29) | 5 (8) | 10 (17) | 2 (3) | 3 (5)
Adhere to public welfare (n=24) | 1 (4) | 2 (8) | 17 (71) | 3 (13) | N/A | 1 (4) | N/A
Orderly medical treatment (n=197) | 43 (21.8) | 54 (27.4) | 71 (36) | 9 (4.6) | 15 (7.6) | 3 (1.5) | 2 (1)
Demonstration project (n=52) | 6 (12) | 10 (19) | 21 (40) | 2 (4) | 13 (25) | N/A | N/A
Total (n=483) | 80 (16.6) | 116 (24) | 197 (40.8) | 32 (6.6) | 46 (9.5) | 7 (1.4) | 5 (1)
Environment-based
Objective programming (n=223) | 24 (10.8) | 29 (13) | 132 (59.2) | 21 (9.4) | 9 (4) | 5 (2.2) | 3 (1.3)
Institutional building (n=253) | 25 (9.9) | 42 (16.6) | 127 (50.2) | 33 (13) | 10 (4) | 12 (4.7) | 4 (1.6)
Incentive and restraint (n=187) | 15 (8) | 23 (12.3) | 72 (38.5) | 56 (29.9) | 9 (4.8) | 9 (4.8) | 3 (1.6)
Policy promotion (n=49) | 9 (18) | 14 (29) | 19 (39) | 2 (4) | 3 (6) | 1 (2) | 1 (2)
Functional localization (n=241) | 23 (9.5) | 39 (16.2) | 103 (42.7) | 19 (7.9) | 28 (11.6) | 17 (7.1) | 12 (5)
Resource sharing (n=136) | 16 (11.8) | 16 (11.8) | 72 (52.9) | 7 (5.1) | 11 (8.1) | 10 (7.4) | 4 (2.9)
Total (n=1089) | 112 (10.28) | 163 (15.15) | 525 (48.21) | 138 (12.67) | 70 (6.43) | 54 (4.96) | 27 (2.48)
Grand total (n=1929) | 228 (11.82) | 318 (16.49) | 890 (46.14) | 206 (10.68) | 155 (8.04) | 86 (4.46) | 46 (2.38)
"""

TABLE12 = """\
Policy orientation | 2014 (n=9), n (%) | 2015 (n=168), n (%) | 2016 (n=234), n (%) | 2017 (n=531), n (%) | 2018 (n=149), n (%) | 2019 (n=135), n (%) | 2020 (n=77), n (%) | 2021 (n=42), n (%) | Total, n (%)
Graded diagnosis and treatment | 9 (100) | 104 (61.9) | 201 (85.9) | 54 (10.2) | 55 (36.9) | 57 (42.2) | N/A | 6 (14.3) | 486 (36.1)
Healthy community | N/A | 2 (1.2) | 1 (0.4) | 1 (0.2) | 1 (0.7) | 4 (3) | 10 (13) | 5 (11.9) | 24 (1.8)
Healthy China | N/A | N/A | 2 (0.9) | N/A | 1 (0.7) | 12 (8.9) | 5 (6.5) | 1 (2.4) | 21 (1.6)
Medical association | N/A | 61 (36.3) | 28 (12) | 475 (89.5) | 77 (51.7) | 53 (39.3) | 55 (71.4) | 29 (69) | 778 (57.8)
Smart health care | N/A | 1 (0.6) | 2 (1.2) | 1 (0.2) | 15 (10.1) | 9 (6.7) | 7 (9.1) | 1 (2.4) | 36 (2.7)
"""


def printed(text: str) -> tuple[tuple[str, ...], list[tuple[str, tuple[str, ...]]]]:
    """The header and the ``(label, cells)`` rows of a printed table; a group row's
    cells are empty strings."""
    header, *lines = text.strip("\n").split("\n")
    columns = tuple(header.split(" | "))
    rows = []
    for line in lines:
        label, *cells = line.split(" | ")
        rows.append((label, tuple(cells) if cells else ("",) * (len(columns) - 1)))
    return columns, rows


_N = re.compile(r" \((?:n=)?\d+\)$")


def category_label(label: str) -> str:
    """A row label without its ``(n=…)`` (Table 6 prints one as ``(25)``)."""
    return _N.sub("", label)


def column_label(header: str) -> str:
    """A column header without ``, n (%)`` and its ``(n=…)``."""
    return category_label(header.removesuffix(", n (%)"))


def cell_count(cell: str) -> int:
    """The count of a printed cell: ``"53 (37.06)"`` → 53, ``"N/A"`` → 0."""
    return 0 if cell == "N/A" else int(cell.split(" (")[0])


def category_rows(text: str) -> dict[str, list[int]]:
    """The counts of the category rows (not group headers or totals), by label."""
    _, rows = printed(text)
    return {
        category_label(label): [cell_count(c) for c in cells]
        for label, cells in rows
        if cells[0] and not label.startswith(("Total", "Grand total"))
    }
