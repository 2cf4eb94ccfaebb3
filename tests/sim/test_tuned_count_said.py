"""Where the docs count the tuned parameters, the count is :data:`ihms.sim.tune.TUNED`'s:
the help of `sim sensitivity` said "the 23 tuned parameters" as a literal (now it names
the default without a count), which a change to the tuned set would have left wrong
(session 36's review)."""

from __future__ import annotations

from pathlib import Path

from ihms.sim.tune import TUNED

ROOT = Path(__file__).resolve().parents[2]


def test_the_readme_counts_the_tuned_parameters_and_the_comparisons_they_take():
    n = len(TUNED)
    text = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert f"without `--vary` the {n} tuned ones ({1 + 2 * n} comparisons" in text
    arch = " ".join((ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8").split())
    assert f"without `--vary` the {n} tuned keys" in arch
