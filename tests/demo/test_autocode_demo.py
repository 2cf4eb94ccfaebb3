"""The autocode section's words: its heading and the active-vs-random curve said as they
came out, not as hoped."""

from __future__ import annotations

import pandas as pd

from ihms.demo._autocode import curve_text, section_title

# The demo of 2026-11-24 (seed 20171001), tables/autocode-autocode_learning_curve.csv:
# stakeholders, mean kappa of three folds after n hand-coded paragraphs.
CURVE = pd.DataFrame(
    {
        "active": [0.0364, 0.0958, 0.2440, 0.3225, 0.3748],
        "random": [0.0364, 0.0624, 0.3612, 0.3492, 0.4544],
    },
    index=pd.Index([30, 60, 90, 120, 150], name="n_coded"),
)


def test_active_learning_behind_random_at_most_points_is_said_to_be():
    text = curve_text(CURVE)
    # after the shared start of 30: ahead at 60, behind at 90, 120 and 150
    assert "active selection was ahead of random at 1 of the 4 points (60)" in text
    assert "behind at 3 (90, 120 and 150)" in text
    assert "kappa 0.375 with active and 0.454 with random selection" in text
    assert "did not beat random choice" in text


def test_active_learning_ahead_at_most_points_is_said_to_be():
    ahead = CURVE.assign(active=CURVE["random"] + [0.0, 0.05, 0.05, 0.05, -0.01])
    text = curve_text(ahead)
    assert "ahead of random at 3 of the 4 points" in text
    assert "did not beat random choice" not in text


def test_the_heading_says_whether_the_machine_reaches_the_coders():
    # the demo of 2026-11-24: learned coder 0.344, the two coders 0.660
    assert "earns its place" not in section_title(machine=0.344, human=0.660)
    assert "not yet a coder" in section_title(machine=0.344, human=0.660)
    assert "not yet" not in section_title(machine=0.70, human=0.66)


def test_the_development_set_figures_are_those_benchmarks_readme_gives():
    # review of 2026-11-25, finding 4: the report said kappa 0.759 and named
    # benchmarks/README.md, which says 0.758 since it was measured again (1c4d5679)
    import re
    from pathlib import Path

    from ihms.demo._autocode import DEV_SET_TEXT

    readme = (Path(__file__).resolve().parents[2] / "benchmarks" / "README.md").read_text(
        encoding="utf-8"
    )
    row = next(line for line in readme.splitlines() if line.startswith("| `bench_autocode.py"))
    every = re.search(r"\| κ (0\.\d+), 95 %", row).group(1)
    share, kappa = re.search(r"at 0\.65 (\d+) % at κ (0\.\d+)", row).groups()
    assert (
        f"gives {share} % of sentences at kappa {kappa} (minimum probability 0.65), "
        f"against {every} for all of them"
    ) in DEV_SET_TEXT
    script = (Path(__file__).resolve().parents[2] / "benchmarks" / "bench_autocode.py").read_text(
        encoding="utf-8"
    )
    assert "3,873 policy sentences" in DEV_SET_TEXT and "(3,873 sentences" in script
