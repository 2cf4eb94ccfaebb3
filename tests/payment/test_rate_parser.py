"""One reader of rates written as a fraction or a percentage (``_parse.parse_rate``): a
rule file's rates, ``--quality-score`` and ``payment compare --saving`` read the same text
to the same exact value, and refuse the same text (each with its own message)."""

from decimal import Decimal

import pytest

from ihms.cli._payment_compare import _rate
from ihms.cli._payment_quality import quality_score_option
from ihms.errors import InputError
from ihms.payment._config_models import _parse_rate
from ihms.payment._parse import parse_rate


@pytest.mark.parametrize(
    ("text", "value"),
    [("16%", "0.16"), (" 16 % ", "0.16"), ("0.16", "0.16"), ("92.5%", "0.925"), ("1e-1", "0.1")],
)
def test_every_reader_gives_the_same_exact_value(text, value):
    assert parse_rate(text) == Decimal(value)
    assert _parse_rate(text) == Decimal(value)
    assert quality_score_option(text) == Decimal(value)
    assert _rate(text, "--saving") == Decimal(value)


@pytest.mark.parametrize("text", ["high", "%", "16%%", "1,6%"])
def test_every_reader_refuses_the_same_text(text):
    with pytest.raises(ValueError, match="expected a number or a percentage like '16%'"):
        parse_rate(text)
    with pytest.raises(ValueError, match="expected a number or a percentage like '16%'"):
        _parse_rate(text)
    with pytest.raises(InputError, match="--quality-score: expected a score between 0 and 1"):
        quality_score_option(text)
    with pytest.raises(InputError, match=r"--saving: expected a rate such as 5% or 0\.05"):
        _rate(text, "--saving")
