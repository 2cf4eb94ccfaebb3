"""The quality gate of shared savings checks its scores as the other rule objects check
theirs (session 35): ``standard`` and ``alternative`` are quality scores, 0 to 1. Neither
the rule file's model nor the dataclass refused 1.5 before; a standard of 150 % can never
be met, so the rule shared nothing without a word. Nor an ``alternative`` nothing reads
(session 36): without the sliding scale, or at or above the standard."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from ihms.errors import ConfigError
from ihms.payment import builtin_rules_text, load_rules
from ihms.payment.rules import QualityGate

D = Decimal


@pytest.mark.parametrize(
    ("quality", "message"),
    [
        ({"standard": D("1.5")}, "shared_savings.quality.standard: expected a quality score "
         ">= 0 and <= 1 (0% to 100%), got 1.5"),
        ({"standard": D("-0.05")}, "shared_savings.quality.standard: expected a quality score "
         ">= 0 and <= 1 (0% to 100%), got -0.05"),
        ({"sliding_scale": True, "alternative": D("1.5")}, "shared_savings.quality.alternative: "
         "expected a quality score >= 0 and <= 1 (0% to 100%), got 1.5"),
        ({"standard": D("0.6"), "sliding_scale": True, "alternative": D("-1")},
         "shared_savings.quality.alternative: expected a quality score >= 0 and <= 1 "
         "(0% to 100%), got -1"),
    ],
)  # fmt: skip
def test_a_score_beyond_0_to_1_is_refused_in_code(quality, message):
    with pytest.raises(ConfigError) as info:
        QualityGate(**quality)
    assert str(info.value) == message
    with pytest.raises(ConfigError, match=r"shared_savings\.quality"):
        dataclasses.replace(QualityGate(), **quality)


def test_scores_at_the_bounds_and_none_are_kept():
    assert QualityGate(D(0), True).standard == 0
    assert QualityGate(D(1), True, D(0)).alternative == 0
    assert QualityGate(None, True, D(1)).alternative == 1  # the standard the payer's
    assert QualityGate() == QualityGate(None, False, None)


def test_a_rule_file_with_a_standard_of_150_percent_is_refused_at_its_line(tmp_path):
    text = builtin_rules_text("mssp")
    written = "quality: {sliding_scale: true}"
    assert written in text
    line = text[: text.index(written)].count("\n") + 1
    path = tmp_path / "mssp.yaml"
    path.write_text(text.replace(written, "quality: {standard: 150%}"), encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_rules(path)
    assert str(info.value) == (
        f"{path} line {line}: shared_savings.quality.standard: expected a quality score "
        ">= 0 and <= 1 (0% to 100%), got 1.5"
    )


def test_the_built_in_gates_still_load():
    assert load_rules("mssp").shared_savings.quality == QualityGate(sliding_scale=True)
    assert load_rules("deqing-shared-savings").shared_savings.quality.standard is not None


@pytest.mark.parametrize(
    ("score", "shown"), [("0.5", "'0.5'"), (True, "True"), (D("NaN"), "Decimal('NaN')")]
)
def test_a_score_that_is_no_number_is_refused_naming_the_field(score, shown):
    # a text or a NaN raised a bare TypeError / decimal.InvalidOperation from the comparison
    with pytest.raises(ConfigError) as info:
        QualityGate(standard=score)
    assert str(info.value) == (
        "shared_savings.quality.standard: expected a quality score >= 0 and <= 1 "
        f"(0% to 100%), got {shown}"
    )


# the alternative standard is the sliding scale's lower bar (87 FR 69404: an ACO missing
# the quality performance standard but meeting the alternative one shares at the rate ×
# its score); given where it cannot apply it was kept and never read


@pytest.mark.parametrize(
    ("quality", "message"),
    [
        ({"standard": D("0.6"), "alternative": D("0.4")}, "shared_savings.quality.alternative: "
         "0.4 is the alternative standard of the sliding scale, but sliding_scale is off, "
         "so nothing would read it; turn sliding_scale on, or leave alternative out"),
        ({"alternative": D("0.4")}, "shared_savings.quality.alternative: 0.4 is the "
         "alternative standard of the sliding scale, but sliding_scale is off"),
        ({"standard": D("0.6"), "sliding_scale": True, "alternative": D("0.7")},
         "shared_savings.quality.alternative: expected a score below the standard 0.6 (the "
         "lower bar of the sliding scale), got 0.7: a score missing the standard would miss "
         "it too, so the sliding scale could never apply"),
        ({"standard": D("0.6"), "sliding_scale": True, "alternative": D("0.60")},
         "shared_savings.quality.alternative: expected a score below the standard 0.6"),
    ],
)  # fmt: skip
def test_an_alternative_that_nothing_would_read_is_refused_in_code(quality, message):
    with pytest.raises(ConfigError) as info:
        QualityGate(**quality)
    assert str(info.value).startswith(message)


@pytest.mark.parametrize(
    ("written", "words"),
    [
        ("quality: {standard: 60%, alternative: 40%}", "but sliding_scale is off"),
        (
            "quality: {standard: 60%, sliding_scale: true, alternative: 70%}",
            "expected a score below the standard 0.6",
        ),
    ],
)
def test_a_rule_files_meaningless_alternative_is_refused_at_its_line(tmp_path, written, words):
    text = builtin_rules_text("mssp")
    given = "quality: {sliding_scale: true}"
    line = text[: text.index(given)].count("\n") + 1
    path = tmp_path / "mssp.yaml"
    path.write_text(text.replace(given, written), encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_rules(path)
    assert str(info.value).startswith(f"{path} line {line}: shared_savings.quality.alternative: ")
    assert words in str(info.value)
