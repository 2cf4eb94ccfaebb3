"""Payment rules as frozen domain objects.

A :class:`PaymentRules` says how a county pays its medical consortium for one year:

- how the **global budget** is set (:class:`BudgetRule`: by population and a premium, by
  the previous years' spending — the ratchet — or not at all under fee for service);
- how the year is **settled** (:class:`SettlementRule`: who bears an overspend, how much
  of a balance the consortium keeps, whether an assessment gates it);
- what the kept balance may be **used for** (:class:`BalanceUses`);
- how **staff are paid** (:class:`StaffPay`: the annual salary system with
  :class:`Scorecard` s, or by service volume);
- optionally **shared savings** against a benchmark (:class:`SharedSavingsRule`, MSSP
  style) and a **family-physician fee** per registered resident (:class:`FamilyPhysicianFee`).

Rules are data: they are read from YAML by :func:`ihms.payment.load_rules` (pydantic at
that edge) and validated again here, so a rule object built in code obeys the same
constraints (shares add up to 100 %, weights to 1, no negative premium). A rule object
is a value: each container it holds is a read-only copy of what it was given (tuples, and
mappings that refuse assignment with a TypeError naming the field), so nothing escapes
the checks afterwards, and rules built from equal data are equal, hash equal and digest
equal however their containers were passed.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, is_dataclass
from decimal import Decimal
from typing import Literal

from ihms._renamed import renamed_attributes
from ihms._repr import brief_repr
from ihms.errors import ConfigError
from ihms.payment._frozen import _Frozen
from ihms.payment._quality_rule import QualityGate
from ihms.payment.fee_schedule import FamilyPhysicianFee
from ihms.payment.money import format_rate, format_yuan, round_fen, shown_against
from ihms.payment.rules_uses import STAFF_INCENTIVE, BalanceUses, balance_use_label, for_year
from ihms.payment.scoring import (
    CappedRatioScoring,
    LinearScoring,
    Scorecard,
    ScorecardIndicator,
    Scoring,
    StaffPay,
    ThresholdScoring,
    check_fraction,
)
from ihms.sources import as_study_ids

__all__ = [
    "MAX_GROWTH",
    "POPULATION_BASES",
    "STAFF_INCENTIVE",
    "BalanceUses",
    "BudgetRule",
    "CappedRatioScoring",
    "FamilyPhysicianFee",
    "LinearScoring",
    "MsrBand",
    "PaymentRules",
    "PremiumRule",
    "QualityGate",
    "Scorecard",
    "ScorecardIndicator",
    "Scoring",
    "SettlementRule",
    "SharedSavingsRule",
    "StaffPay",
    "ThresholdScoring",
    "balance_use_label",
]

#: Renamed in 0.1.0 (review item M6: ``ihms.indicators`` has a catalogue ``Indicator``);
#: the old name still gives the class, with a DeprecationWarning, for one release.
__getattr__ = renamed_attributes(__name__, {"Indicator": "ScorecardIndicator"}, since="0.1.0")

ONE = Decimal(1)
ZERO = Decimal(0)

#: What a population-based budget multiplies the premium by (``budget.population``).
POPULATION_BASES = ("insured", "residents")

#: The largest yearly growth (up or down) a rule may apply to a premium, a spending
#: history or a benchmark: 50 % a year. Premiums and per-capita spending of China's
#: medical insurance grow by a few to some ten per cent a year; a larger figure is taken
#: for a typing error (``growth: 60%`` for ``6%``) rather than compounded into a budget.
MAX_GROWTH = Decimal("0.5")


def check_growth(value: Decimal, name: str) -> None:
    """Raise ConfigError unless ``-MAX_GROWTH <= value <= MAX_GROWTH``.

    The message shows the growth in per cent as every percentage is shown (half up,
    四舍五入, :func:`~ihms.payment.money.percent_shown`), to 2 decimals or as many more
    as keep it beyond the bound (:func:`~ihms.payment.money.shown_against`): 60.125 %
    as 60.13 % (``:.2%`` rounded half-even, 60.12 %), 50.0049 % as 50.005 %, not 50.00 %.
    """
    if abs(value) > MAX_GROWTH:
        # the magnitude below -bound, where shown_against keeps a figure strictly beyond
        beyond = -shown_against(-abs(value) * 100, -MAX_GROWTH * 100, 2)
        got = f"{'-' if value < 0 else ''}{beyond:f}%"
        raise ConfigError(
            f"{name}: expected a yearly growth between -{format_rate(MAX_GROWTH)} and "
            f"{format_rate(MAX_GROWTH)}, got {got} (write 6% for six per cent a year)"
        )


# --------------------------------------------------------------------------- budget


@dataclass(frozen=True)
class PremiumRule:
    """The per-capita premium (fen per person per year: per insured person, or per resident
    under ``budget.population: residents``).

    Either explicit amounts by year, or a base year and amount grown by a constant rate:
    ``premium(t) = round_half_up(base × (1 + growth) ** (t − base_year))``. An explicit
    amount for a year wins over the growth rule. ``by_year`` is a read-only copy of the
    mapping given (assigning to it raises TypeError), as every rule's containers are.
    """

    by_year: Mapping[int, int] = field(default_factory=dict)
    base_year: int | None = None
    base_fen: int | None = None
    growth: Decimal = ZERO

    def __post_init__(self) -> None:
        # a read-only copy, checked: no amount escapes the check afterwards
        object.__setattr__(self, "by_year", _Frozen(self.by_year, "PremiumRule.by_year"))
        for year, fen in self.by_year.items():
            if fen < 0:
                raise ConfigError(f"premium.by_year[{year}]: expected >= 0 fen, got {fen}")
        if (self.base_year is None) != (self.base_fen is None):
            raise ConfigError("premium: give both base_year and base amount, or neither")
        if self.base_fen is not None and self.base_fen < 0:
            raise ConfigError(f"premium: base amount must be >= 0, got {self.base_fen} fen")
        check_growth(self.growth, "budget.premium.growth")
        if not self.by_year and self.base_year is None:
            raise ConfigError("premium: give by_year amounts or a base_year and base amount")

    def for_year(self, year: int) -> int:
        """Premium in fen for ``year``.

        Parameters
        ----------
        year : int
            The budget year; an explicit ``by_year`` amount wins over the growth rule.

        Raises
        ------
        ConfigError
            No amount for ``year``, or ``year`` is before the growth rule's base year.
        """
        if year in self.by_year or self.base_year is None or self.base_fen is None:
            return for_year(self.by_year, year, "premium", "amount")
        if year < self.base_year:
            base = format_yuan(self.base_fen)
            given = "".join(f"{y}, " for y in sorted(self.by_year) if y < self.base_year)
            raise ConfigError(
                f"premium: year {year} is before the base year {self.base_year} of the growth rule "
                f"({base} yuan in {self.base_year}, growing {format_rate(self.growth)} a year); "
                f"budget {given}{self.base_year} or later, or give the {year} premium in a rule file "
                f"(budget: premium: by_year_yuan: {{{year}: ...}})"
            )
        return round_fen(Decimal(self.base_fen) * (ONE + self.growth) ** (year - self.base_year))


@dataclass(frozen=True)
class BudgetRule:
    """How the global budget (GB) is set.

    ``method="population"`` (Sanming, Zhong et al. 2023): pooled fund = population × premium; the
    insurer first reserves ``private_reserve_share`` of it for private hospitals and
    ``risk_adjustment_share`` for the risk-adjustment fund; the rest is the consortium's
    GB. ``population`` says which population: ``"insured"`` (the default, and what rule
    files written before the key meant) or ``"residents"``, the county's resident (total)
    population, as Zhong et al. 2023 word it ("the county's total population multiplied by the
    annual fixed insurance premium"); the population table's ``resident_population``
    then gives it.

    ``method="history"`` (other areas, Zhong et al. 2023, Table 1): the ratchet. GB = insured
    population × the mean, over the previous ``history_years`` years, of each year's
    per-capita charged spending trended forward by (1 + ``history_growth``) per year
    since (``(1 + g)^j`` for the year ``j`` years back; with one history year, simply
    last year's × (1 + g)); the private-hospital reserve follows private spending the
    same way; ``risk_adjustment_share`` of the GB is held back.
    """

    method: Literal["population", "history"]
    premium: PremiumRule | None = None
    private_reserve_share: Decimal = ZERO
    risk_adjustment_share: Decimal = ZERO
    history_years: int = 1
    history_growth: Decimal = ZERO
    population: Literal["insured", "residents"] = "insured"

    def __post_init__(self) -> None:
        if self.method not in ("population", "history"):
            raise ConfigError(
                f"budget.method: expected 'population' or 'history', got {self.method!r}"
            )
        if self.population not in POPULATION_BASES:
            raise ConfigError(
                f"budget.population: expected 'insured' or 'residents', got {self.population!r}"
            )
        if self.population == "residents" and self.method != "population":
            # the ratchet's per-capita spending is per insured resident: multiplied by
            # every resident it would count people who had no insured care to spend
            raise ConfigError(
                "budget.population: 'residents' applies to method 'population' only (the "
                f"premium per resident); method {self.method!r} trends per-capita spending of "
                "insured residents and multiplies it by the insured population"
            )
        if self.method == "population" and self.premium is None:
            raise ConfigError("budget: method 'population' needs a premium")
        check_fraction(self.private_reserve_share, "budget.private_reserve_share")
        check_fraction(self.risk_adjustment_share, "budget.risk_adjustment_share")
        if self.private_reserve_share + self.risk_adjustment_share > 1:
            raise ConfigError(
                "budget: private_reserve_share + risk_adjustment_share exceed 100% "
                f"({self.private_reserve_share} + {self.risk_adjustment_share})"
            )
        if self.history_years < 1:
            raise ConfigError(f"budget.history_years: expected >= 1, got {self.history_years}")
        check_growth(self.history_growth, "budget.history_growth")


# --------------------------------------------------------------------------- settlement


@dataclass(frozen=True)
class SettlementRule:
    """Year-end settlement of a global budget.

    Parameters
    ----------
    charge_outside_county
        Residents' spending outside the county is charged to the consortium's GB (true
        under Sanming: the GB pays for residents wherever they are treated).
    overspend_insurer_share
        Share of an overspend the insurer pays (0 under Sanming: the consortium owns it).
    overspend_shared_up_to
        The insurer shares only the part of an overspend up to this fraction of the GB;
        beyond it the consortium bears everything. ``None``: no limit.
    balance_retained_share
        Share of a balance the consortium keeps when it passes the assessment (1 under
        Sanming); the rest is clawed back to the fund.
    retained_share_if_failed
        Share kept when the assessment is failed.
    assessment
        ``"director"``: the consortium's director scorecard gates the balance;
        ``"none"``: no gate.
    """

    charge_outside_county: bool = True
    overspend_insurer_share: Decimal = ZERO
    overspend_shared_up_to: Decimal | None = None
    balance_retained_share: Decimal = ONE
    retained_share_if_failed: Decimal = ZERO
    assessment: Literal["director", "none"] = "none"

    def __post_init__(self) -> None:
        check_fraction(self.overspend_insurer_share, "settlement.overspend_insurer_share")
        if self.overspend_shared_up_to is not None:
            check_fraction(
                self.overspend_shared_up_to, "settlement.overspend_shared_up_to", upper=None
            )
        check_fraction(self.balance_retained_share, "settlement.balance_retained_share")
        check_fraction(self.retained_share_if_failed, "settlement.retained_share_if_failed")
        if self.assessment not in ("director", "none"):
            raise ConfigError(
                f"settlement.assessment: expected 'director' or 'none', got {self.assessment!r}"
            )

    @property
    def charged_settings(self) -> tuple[str, ...]:
        """The settings whose spending is charged to the global budget: the consortium's
        members, and care outside the county when ``charge_outside_county``; private care
        is paid from its reserve, never charged."""
        if self.charge_outside_county:
            return ("consortium", "outside_county")
        return ("consortium",)


# --------------------------------------------------------------------------- shared savings


@dataclass(frozen=True)
class MsrBand:
    """One row of a minimum-savings-rate table: for ``low_n ≤ n ≤ high_n`` assigned
    people the rate runs linearly from ``rate_at_low`` to ``rate_at_high``.
    ``high_n=None`` is an open last band (flat at ``rate_at_low``)."""

    low_n: int
    high_n: int | None
    rate_at_low: Decimal
    rate_at_high: Decimal

    def __post_init__(self) -> None:
        # named as the arguments; a rule file's keys (from, to, low, high): _config.FILE_KEYS
        band = f"shared_savings.msr_table: band low_n={self.low_n}"
        if self.high_n is not None:  # an open band has no upper bound to show
            band += f", high_n={self.high_n}"
        if self.low_n < 0:
            raise ConfigError(f"{band}: expected low_n >= 0")
        if self.high_n is not None and self.high_n < self.low_n:
            raise ConfigError(f"{band}: expected high_n >= low_n")
        check_fraction(self.rate_at_low, f"{band}: rate_at_low")
        check_fraction(self.rate_at_high, f"{band}: rate_at_high")


@dataclass(frozen=True)
class SharedSavingsRule:
    """MSSP-style shared savings (and, if two-sided, shared losses).

    Benchmark = benchmark per capita × assigned people; savings = benchmark − actual
    total cost of care. Savings are shared from the first yuan if the savings rate
    reaches the minimum savings rate (MSR, a fixed rate or a table by population size);
    the payment is ``final sharing rate × savings``, capped at ``savings_cap`` ×
    benchmark. Losses beyond the minimum loss rate (MLR) are shared at the loss rate
    (fixed, or ``1 − final sharing rate`` bounded by ``loss_rate_min``/``loss_rate_max``)
    and capped at ``loss_cap`` × benchmark.
    """

    benchmark_method: Literal["given", "history"]
    sharing_rate: Decimal
    savings_cap: Decimal
    msr_fixed: Decimal | None = None
    msr_table: tuple[MsrBand, ...] = ()
    two_sided: bool = False
    mlr_fixed: Decimal | None = None
    mlr_same_as_msr: bool = True
    loss_rate: Decimal | None = None
    loss_rate_min: Decimal = ZERO
    loss_rate_max: Decimal = ONE
    loss_cap: Decimal = ZERO
    quality: QualityGate = field(default_factory=QualityGate)
    history_years: int = 3
    history_growth: Decimal = ZERO

    def __post_init__(self) -> None:
        table = () if self.msr_table is None else tuple(self.msr_table)  # None: no table
        object.__setattr__(self, "msr_table", table)
        if self.benchmark_method not in ("given", "history"):
            raise ConfigError(
                "shared_savings.benchmark_method: expected 'given' or 'history', "
                f"got {self.benchmark_method!r}"
            )
        check_growth(self.history_growth, "shared_savings.history_growth")
        check_fraction(self.sharing_rate, "shared_savings.sharing_rate")
        check_fraction(self.savings_cap, "shared_savings.savings_cap")
        if (self.msr_fixed is None) == (not self.msr_table):
            raise ConfigError(
                "shared_savings: give exactly one of msr_fixed (a fixed minimum savings rate) "
                "and msr_table (a table by population)"
            )
        if self.msr_fixed is not None:
            check_fraction(self.msr_fixed, "shared_savings.msr_fixed")
        bands = sorted(self.msr_table, key=lambda b: b.low_n)
        for a, b in itertools.pairwise(bands):
            if a.high_n is None or a.high_n >= b.low_n:
                raise ConfigError(
                    f"shared_savings.msr_table: bands {a.low_n}– and {b.low_n}– overlap"
                )
        if bands and any(b.high_n is None for b in bands[:-1]):
            raise ConfigError("shared_savings.msr_table: only the last band may be open-ended")
        if self.two_sided:
            if self.loss_rate is not None:
                check_fraction(self.loss_rate, "shared_savings.loss_rate")
            check_fraction(self.loss_rate_min, "shared_savings.loss_rate_min")
            check_fraction(self.loss_rate_max, "shared_savings.loss_rate_max")
            if self.loss_rate_min > self.loss_rate_max:
                raise ConfigError("shared_savings: loss_rate_min exceeds loss_rate_max")
            check_fraction(self.loss_cap, "shared_savings.loss_cap")
            if self.mlr_fixed is not None:
                check_fraction(self.mlr_fixed, "shared_savings.mlr_fixed")
        if self.history_years < 1:
            raise ConfigError(
                f"shared_savings.history_years: expected >= 1, got {self.history_years}"
            )


# --------------------------------------------------------------------------- the whole


@dataclass(frozen=True)
class PaymentRules:
    """One complete payment regime (a rule file)."""

    name: str
    version: str
    title: str
    source: str
    budget: BudgetRule | None
    settlement: SettlementRule
    balance_uses: BalanceUses
    staff_pay: StaffPay
    shared_savings: SharedSavingsRule | None = None
    family_physician_fee: FamilyPhysicianFee | None = None
    assumptions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # one text is one assumption, not one per character
        said = self.assumptions
        object.__setattr__(self, "assumptions", (said,) if isinstance(said, str) else tuple(said))
        if self.budget is not None and self.shared_savings is not None:
            raise ConfigError(
                f"rules {self.name!r}: a global budget and shared savings cannot both apply"
            )
        if self.kind == "fee_for_service" and self.settlement.assessment == "director":
            raise ConfigError(
                f"rules {self.name!r}: missing section budget: settlement.assessment "
                "'director' gates a global budget's balance, but the rules set no budget "
                "(nor shared savings)"
            )
        if self.settlement.assessment == "director" and (
            self.staff_pay.method != "annual_salary" or "director" not in self.staff_pay.scorecards
        ):
            raise ConfigError(
                f"rules {self.name!r}: settlement.assessment is 'director' but "
                "staff_pay has no director scorecard"
            )

    def __repr__(self) -> str:
        # the generated repr printed every section down to each scorecard indicator
        # (~3,700 characters for Sanming's rules); to_dict() gives them all
        return brief_repr(
            self, name=self.name, version=self.version, kind=self.kind, digest=self.digest
        )

    @property
    def kind(self) -> str:
        """``global_budget``, ``shared_savings`` or ``fee_for_service``."""
        if self.budget is not None:
            return "global_budget"
        if self.shared_savings is not None:
            return "shared_savings"
        return "fee_for_service"

    def to_dict(self) -> dict:
        """Plain data (Decimals as strings) for JSON and the digest."""
        data = json.loads(json.dumps(asdict(self), default=_json_default, sort_keys=True))
        if data["staff_pay"] is not None:
            del data["staff_pay"]["written"]
        del data["balance_uses"]["origin"]  # where the rules were read, not a rule
        return data

    @property
    def digest(self) -> str:
        """SHA-256 of the canonical JSON of the rules (first 16 hex digits)."""
        data = self.to_dict()
        # the rule files cited "seed 002" before they said "Zhong et al. 2023": digested as
        # they were, so the built-in rules and their ledgers keep their digests
        data["source"] = as_study_ids(data["source"])
        data["assumptions"] = [as_study_ids(a) for a in data["assumptions"]]
        if data["budget"] is not None and data["budget"]["population"] == "insured":
            # the default, and what every rule file meant before the key existed: left
            # out, so their digests (and the ledgers posted with them) are unchanged
            del data["budget"]["population"]
        if self.staff_pay is not None:
            # cards keyed 医生 are read as the doctor's: digested as written, as before
            data["staff_pay"] = self.staff_pay.digest_data(data["staff_pay"])
        fee = data["family_physician_fee"]
        if fee is not None:
            # a fee by year or month is new: a single fee keeps the digest it had
            for key in ("per_member_per_year_fen", "by_year", "from_month"):
                if fee[key] in (None, {}):
                    del fee[key]
        blob = json.dumps(data, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(blob.encode()).hexdigest()[:16]


def _json_default(obj: object) -> object:
    if isinstance(obj, Decimal):
        return str(obj)
    if isinstance(obj, Mapping):
        return {str(k): v for k, v in obj.items()}
    if is_dataclass(obj) and not isinstance(obj, type):
        return asdict(obj)  # a scorecard in StaffPay's read-only mapping, as asdict has it
    raise TypeError(f"not JSON serialisable: {type(obj).__name__}")
