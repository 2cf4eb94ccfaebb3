"""What a rule file may say: the pydantic models of the YAML (every model forbids
unknown keys), the parsers of rates, growths and numbers, and how a validation error is
told to the user (each bad key by its path, an unknown key with the nearest valid one).

Pydantic lives only here and in :mod:`ihms.payment._config`, at the configuration edge;
:mod:`~ihms.payment._config` turns a validated :class:`RulesModel` into the frozen
dataclasses of :mod:`ihms.payment.rules`.
"""

from __future__ import annotations

import re
import types
import typing
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError, model_validator

from ihms.errors import ConfigError, did_you_mean
from ihms.payment._parse import parse_rate
from ihms.payment.fee_schedule import FEE_FORMS, read_fee_months
from ihms.system._messages import Locator, misspelt_required


def _parse_rate(value: Any) -> Any:
    """``"16%"`` → Decimal('0.16'); floats through their shortest repr (0.16 → '0.16')."""
    if isinstance(value, bool):
        raise ValueError("expected a number or a percentage, got a boolean")
    if isinstance(value, str):
        return parse_rate(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    return value


def _parse_growth(value: Any) -> Any:
    """A yearly growth: as :func:`_parse_rate`, but a bare number beyond ±1 is refused —
    ``growth: 6`` means 600 % a year, and was meant as ``6%``."""
    parsed = _parse_rate(value)
    percent = isinstance(value, str) and value.strip().endswith("%")
    if not percent and isinstance(parsed, int | Decimal) and abs(Decimal(parsed)) > 1:
        shown = str(value).strip()
        raise ValueError(
            f"a bare growth of {shown} is {Decimal(parsed) * 100:f}% a year; "
            f"write '{shown}%' for {shown} per cent a year (or {Decimal(parsed) / 100} as a fraction)"
        )
    return parsed


_YUAN_TEXT = re.compile(r"[+-]?\d+(\.\d+)?")


def _parse_yuan(value: Any) -> Decimal:
    """An amount of money in yuan, ≥ 0 and to the fen: ``640``, ``640.25``. No per cent
    (a premium is not a rate), no thousands separators (``640,5`` is a decimal comma as
    often as a separator) and no third decimal (``640.125`` yuan is no amount of money)."""
    expected = (
        "expected an amount in yuan such as 640.25 (digits and a decimal point, no "
        "thousands separators or per cent)"
    )
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        raise ValueError(f"{expected}, got {value!r}")
    text = repr(value) if isinstance(value, float) else str(value).strip()
    if not _YUAN_TEXT.fullmatch(text):
        raise ValueError(f"{expected}, got {value!r}")
    amount = Decimal(text)
    if amount < 0:
        raise ValueError(f"expected an amount of at least 0 yuan, got {text}")
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError(f"expected yuan to the fen (at most two decimals), got {text}")
    return amount


Rate = Annotated[Decimal, BeforeValidator(_parse_rate)]
Number = Annotated[Decimal, BeforeValidator(_parse_rate)]
Growth = Annotated[Decimal, BeforeValidator(_parse_growth)]
Yuan = Annotated[Decimal, BeforeValidator(_parse_yuan)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _year_map(value: Any, parse: Any, example: str, forms: str) -> dict[int, Any]:
    """``{2019: a, 2020: b}``: years as keys, each value read by ``parse``; the
    year-keyed form of the family-physician fee and of a balance use's share."""
    if not isinstance(value, dict) or not value:
        raise ValueError(f"expected years and {example}, got {value!r}")
    out: dict[int, Any] = {}
    for key, item in value.items():
        text = str(key).strip()
        if isinstance(key, bool) or not text.isdigit() or len(text) != 4:
            raise ValueError(f"key {key!r}: expected a year such as 2019; {forms}")
        if int(text) in out:  # 2019 and "2019"
            raise ValueError(f"year {text} given twice: give each year once")
        try:
            out[int(text)] = parse(item)
        except ValueError as exc:
            raise ValueError(f"year {text}: {exc}") from None
    return out


def _premium_by_year(value: Any) -> Any:
    """``{2018: 640, 2019: 678.40}``: years as keys, a yuan amount each."""
    example = "amounts such as {2018: 640, 2019: 678.40}"
    forms = (
        "the premium is given by year as by_year_yuan: {2018: 640, 2019: 678.40}, "
        "or as base_year, base_yuan and growth"
    )
    return _year_map(value, _parse_yuan, example, forms)


class PremiumModel(_Model):
    base_year: int | None = None
    base_yuan: Yuan | None = None
    growth: Growth = Decimal(0)
    by_year_yuan: Annotated[dict[int, Decimal], BeforeValidator(_premium_by_year)] = {}


class BudgetModel(_Model):
    method: Literal["population", "history"]
    population: Literal["insured", "residents"] = "insured"
    premium: PremiumModel | None = None
    private_reserve_share: Rate = Decimal(0)
    risk_adjustment_share: Rate = Decimal(0)
    history_years: int = 1
    history_growth: Growth = Decimal(0)


class SettlementModel(_Model):
    charge_outside_county: bool = True
    overspend_insurer_share: Rate = Decimal(0)
    overspend_shared_up_to: Rate | None = None
    balance_retained_share: Rate = Decimal(1)
    retained_share_if_failed: Rate = Decimal(0)
    assessment: Literal["director", "none"] = "none"


class LinearModel(_Model):
    floor: Number
    target: Number


class ThresholdModel(_Model):
    at_least: Number | None = None
    at_most: Number | None = None

    @model_validator(mode="after")
    def _one_side(self) -> ThresholdModel:
        if (self.at_least is None) == (self.at_most is None):
            raise ValueError("give exactly one of 'at_least' or 'at_most'")
        return self


class CappedRatioModel(_Model):
    target: Number
    cap: Number = Decimal(1)


class IndicatorModel(_Model):
    id: str
    label: str = ""
    weight: Rate
    linear: LinearModel | None = None
    threshold: ThresholdModel | None = None
    capped_ratio: CappedRatioModel | None = None

    @model_validator(mode="after")
    def _one_scoring(self) -> IndicatorModel:
        given = [k for k in ("linear", "threshold", "capped_ratio") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(
                "give exactly one scoring function: 'linear', 'threshold' or 'capped_ratio'"
                + (f" (got {', '.join(given)})" if given else "")
            )
        return self


class ScorecardModel(_Model):
    pass_mark: Rate
    indicators: list[IndicatorModel]

    @model_validator(mode="after")
    def _weights_add_up(self) -> ScorecardModel:
        # here, not only in the domain's Scorecard, so that every card is named at its line
        total = sum((i.weight for i in self.indicators), Decimal(0))
        if self.indicators and total != 1:
            listed = ", ".join(f"{i.id} {i.weight}" for i in self.indicators)
            raise ValueError(f"weights must add up to 1, got {total} ({listed})")
        return self


class SalaryFactorModel(_Model):
    at_zero: Number = Decimal(1)
    at_full: Number = Decimal(1)


class StaffPayModel(_Model):
    method: Literal["annual_salary", "volume"]
    salary_factor: SalaryFactorModel = SalaryFactorModel()
    scorecards: dict[str, ScorecardModel] = {}
    other_roles: str | None = None


class MsrBandModel(_Model):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    from_: int
    to: int | None = None
    low: Rate
    high: Rate | None = None

    @model_validator(mode="before")
    @classmethod
    def _rename_from(cls, data: Any) -> Any:
        if isinstance(data, dict) and "from" in data:
            data = dict(data)
            data["from_"] = data.pop("from")
        return data


class BenchmarkModel(_Model):
    method: Literal["given", "history"]
    years: int = 3
    growth: Growth = Decimal(0)


class QualityModel(_Model):
    standard: Rate | None = None
    sliding_scale: bool = False
    alternative: Rate | None = None


class SharedSavingsModel(_Model):
    benchmark: BenchmarkModel
    sharing_rate: Rate
    savings_cap: Rate
    minimum_savings_rate: Rate | None = None
    minimum_savings_rate_table: list[MsrBandModel] | None = None
    two_sided: bool = False
    minimum_loss_rate: Rate | Literal["same_as_msr"] = "same_as_msr"
    loss_rate: Rate | Literal["complement"] = "complement"
    loss_rate_min: Rate = Decimal(0)
    loss_rate_max: Rate = Decimal(1)
    loss_cap: Rate = Decimal(0)
    quality: QualityModel = QualityModel()


def _fee_amount_or_schedule(value: Any) -> Any:
    """One amount (``110``), or a schedule ``{2019-01: 100, 2019-07: 120}`` keyed by its
    months read once, each as ``2019-07``
    (:func:`~ihms.payment.fee_schedule.read_fee_months`; YAML reads ``2019-07`` and
    ``2019年7月`` as text, ``201907`` as a number, ``2019.07`` as a float, ``2019-07-01``
    as a date)."""
    if not isinstance(value, dict):
        try:
            return _parse_yuan(value)
        except ValueError as exc:
            raise ValueError(f"{exc}; the fee may be given as {FEE_FORMS}") from None
    if not value:
        raise ValueError(f"an empty schedule; the fee may be given as {FEE_FORMS}")
    out: dict[str, Decimal] = {}
    for month, amount in zip(read_fee_months(value, error=ValueError), value.values(), strict=True):
        try:
            out[month] = _parse_yuan(amount)
        except ValueError as exc:
            raise ValueError(f"month {month}: {exc}") from None
    return out


def _fee_by_year(value: Any) -> Any:
    """``{2019: 110, 2020: 120}``: years as keys, a yuan amount each."""
    forms = f"the fee may be given as {FEE_FORMS}"
    return _year_map(value, _parse_yuan, "amounts such as {2019: 110, 2020: 120}", forms)


#: The forms a balance use's share takes in a rule file.
SHARE_FORMS = "16% (or 0.16) for every year, or by year as {2018: 16%, 2019: 20%}"


def _share(value: Any) -> Decimal:
    """One share: ``16%``, ``0.16`` (the range is the domain's check)."""
    try:
        parsed = None if isinstance(value, bool) else _parse_rate(value)
    except ValueError:
        parsed = None
    if not isinstance(parsed, int | Decimal):
        raise ValueError(f"expected a share: {SHARE_FORMS}; got {value!r}")
    return Decimal(parsed)


def _share_or_by_year(value: Any) -> Any:
    """A balance use's share, for every year or by year (as the premium's ``by_year_yuan``)."""
    if isinstance(value, dict):
        return _year_map(
            value,
            _share,
            "shares such as {2018: 16%, 2019: 20%}",
            f"a share is written {SHARE_FORMS}",
        )
    return _share(value)


class FamilyPhysicianFeeModel(_Model):
    per_member_per_year_yuan: Annotated[Any, BeforeValidator(_fee_amount_or_schedule)] = None
    by_year_yuan: Annotated[Any, BeforeValidator(_fee_by_year)] = None

    @model_validator(mode="after")
    def _one_form(self) -> FamilyPhysicianFeeModel:
        if (self.per_member_per_year_yuan is None) == (self.by_year_yuan is None):
            raise ValueError(f"give the fee in one form: {FEE_FORMS}")
        return self


class RulesModel(_Model):
    name: str
    version: str
    title: str = ""
    source: str = ""
    assumptions: list[str] = []
    budget: BudgetModel | None = None
    settlement: SettlementModel = SettlementModel()
    balance_uses: dict[str, Annotated[Any, BeforeValidator(_share_or_by_year)]]
    staff_pay: StaffPayModel
    shared_savings: SharedSavingsModel | None = None
    family_physician_fee: FamilyPhysicianFeeModel | None = None


# --------------------------------------------------------------------------- errors


def _unwrap(annotation: Any) -> list[Any]:
    """The model classes an annotation can hold (through Optional, list, dict, Annotated)."""
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [m for a in typing.get_args(annotation) for m in _unwrap(a)]
    if origin is list:
        return _unwrap(typing.get_args(annotation)[0])
    if origin is dict:
        return _unwrap(typing.get_args(annotation)[1])
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return []


def _model_at(loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """Walk ``RulesModel`` along a pydantic error location (dict keys and list indices
    are skipped through the container's value type)."""
    current: list[type[BaseModel]] = [RulesModel]
    for part in loc:
        if isinstance(part, int) or not current:
            continue
        model = current[0]
        if part in model.model_fields:
            current = _unwrap(model.model_fields[part].annotation)
        # else: a dict key (e.g. a scorecard role) — stay on the value type
    return current[0] if current else None


def _field_names(model: type[BaseModel]) -> list[str]:
    return ["from" if n == "from_" else n for n in model.model_fields]


def at_line(source: str, locator: Locator | None, path: tuple[Any, ...]) -> str:
    """``file line N`` for the key at ``path`` (the nearest enclosing key's line when
    it is missing); the file alone without a locator or a line."""
    return source if locator is None else locator.at(path)


def _explain(exc: ValidationError, source: str, locator: Locator | None = None) -> ConfigError:
    """One line per problem, each after the file and, from ``locator`` (a file's composed
    YAML), the line of its key (of the nearest enclosing key when it is missing)."""
    problems = []
    errors, meant = misspelt_required(exc.errors())
    for err in errors:
        loc = tuple(err["loc"])
        path = ".".join(str(p) for p in loc) or "(top level)"
        at = at_line(source, locator, loc)
        if err["type"] == "extra_forbidden":
            bad = str(loc[-1])
            model = _model_at(loc[:-1])
            valid = _field_names(model) if model is not None else []
            if loc in meant:
                hint = f" — did you mean {meant[loc]!r}? (required)"
            else:
                hint = did_you_mean(bad, valid)
            problems.append(
                f"{at}: unknown key {path!r}{hint} (valid keys here: {', '.join(valid)})"
            )
        else:
            # a parser's own message says what it got; pydantic's prefix says nothing
            msg = err["msg"].removeprefix("Value error, ")
            got = "" if "got " in msg else f"; got {err.get('input')!r}"
            problems.append(f"{at}: key {path!r}: {msg}{got}")
    return ConfigError(
        f"{source}: invalid payment rules\n" + "\n".join(f"  - {p}" for p in problems)
    )
