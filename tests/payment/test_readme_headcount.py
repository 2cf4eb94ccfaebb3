"""The README's payment example gives ``--staff-headcount`` as the county's health
personnel in the year it settles (review session 24, finding 11: the 2019 ``distribute``
example used 2018's 1,911).

Seed 002 (Zhong et al. 2023) Table 2, Youxi: health personnel per 1,000 residents and
resident population (10,000s) — 2018: 5.28 and 36.2 (5.28 × 362 = 1,911.36 → 1,911);
2019: 4.97 and 36.3 (4.97 × 363 = 1,804.11 → 1,804).
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"
#: seed 002 Table 2: year → (health personnel per 1,000, resident population in 10,000s)
TABLE_2 = {
    2016: ("5.96", "35.8"),
    2017: ("6.21", "36.1"),
    2018: ("5.28", "36.2"),
    2019: ("4.97", "36.3"),
}


def _headcount(year: int) -> int:
    per_1000, ten_thousands = (Decimal(v) for v in TABLE_2[year])
    return int((per_1000 * ten_thousands * 10).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def test_every_readme_headcount_is_the_settled_years_staff():
    assert (_headcount(2018), _headcount(2019)) == (1911, 1804)
    # each command of the README's shell examples, its continuation lines joined
    text = README.read_text("utf-8").replace("\\\n", " ")
    commands = [line for line in text.splitlines() if "--staff-headcount " in line]
    found = 0
    for line in commands:
        year = re.search(r"--year (\d{4})", line)
        count = re.search(r"--staff-headcount (\d+)", line)
        if year is None or count is None:
            continue
        found += 1
        assert int(count.group(1)) == _headcount(int(year.group(1))), line
        said = re.search(r"all ([\d,]+) staff", line)
        if said is not None:
            assert int(said.group(1).replace(",", "")) == int(count.group(1)), line
    assert found  # the example is still there
