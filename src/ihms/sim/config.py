"""The ``simulation:`` section of a county YAML: every behavioural parameter, typed.

Each parameter of the simulator is a field here, with its unit in the name where there
is one; validators check ranges, shares that must add up, years that must be covered and
the reform date inside the period. The county's structure (grids, institutions,
consortia) is the delivery system's and is checked by :mod:`ihms.system`.
:mod:`ihms.sim.load` reads the YAML and turns validation failures into one
:class:`~ihms.errors.ConfigError` listing every problem.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from ihms._months import month_and_day
from ihms._repr import brief_repr
from ihms.errors import ConfigError
from ihms.sim._bounds import ExtraRevisits, NonNegative, Positive, PriceDrift, Share, YearlyGrowth
from ihms.sim._codes import (
    AGE_BANDS,
    FEE_FOR_SERVICE,
    INTEGRATION_DEGREES,
    REQUIRED_REGIMES,
    SEVERITIES,
    TIERS,
)

__all__ = [
    "MONTH_FORMS",
    "SimulationConfig",
    "month_index",
    "month_text",
    "parse_month",
    "reform_problem",
]

_YM = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(text: str) -> np.datetime64:
    """``"2017-10"`` → ``numpy.datetime64('2017-10')``; ConfigError on anything else."""
    m = _YM.match(str(text))
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ConfigError(f"expected a month written YYYY-MM (e.g. 2017-10), got {text!r}")
    return np.datetime64(str(text), "M")


#: The months :func:`month_text` reads, as its messages (and the config loader's) name them.
MONTH_FORMS = "a month such as 2017-10, 2017/10, 2017.10, 2017m10, 2017年10月, Oct 2017 or 201710"


def month_text(value: object, *, name: str = "month") -> str:
    """A month written as ``its``, ``growth`` and ``payment`` read months
    (:func:`ihms._months.month_and_day`: ``2017-10``, ``2017-1``, ``2017/10``,
    ``2017.10``, ``2017m10``, ``2017年10月``, ``Oct 2017``, full-width digits, a date on
    the month's first day, or a YYYYMM number, ``201710``, a YAML integer too: year 1900–2100, month
    01–12, as ``its`` reads a column of them), as ``YYYY-MM``; ConfigError naming
    ``name`` on anything else (a YAML number ``2017.1`` too: January or an October Excel
    cut short; a date on a later day, as payment's options refuse it).

    Examples
    --------
    >>> month_text("2023年1月"), month_text("2023-1"), month_text(202301)
    ('2023-01', '2023-01', '2023-01')
    """
    found = month_and_day(value)
    if found is None:
        raise ConfigError(f"{name}: expected {MONTH_FORMS}, got {value!r}")
    if found[2] not in (None, 1):  # as payment's --through: a later day says less
        raise ConfigError(
            f"{name}: {str(value)!r} is a date on day {found[2]}, not a month: expected "
            f"{MONTH_FORMS} (a date on the first day of the month)"
        )
    return f"{found[0]:04d}-{found[1]:02d}"


def reform_problem(reform: str, period: MonthSpan, window: MonthSpan, *, label: str) -> str | None:
    """Why ``reform`` (``YYYY-MM``) cannot begin the reform of a run over ``period`` whose
    ITS is fitted on ``window`` (inside the period), None if it can: the reform must leave
    a month of the window before it and fall within it, so the months allowed run from
    the one after the window's first to its last. ``label`` starts the message
    (``reform.date``, ``parameter 'reform':``)."""
    r, start, end = parse_month(reform), parse_month(period.start), parse_month(period.end)
    w0, w1 = parse_month(window.start), parse_month(window.end)
    first, last = max(start, w0) + 1, min(end, w1)
    if first <= r <= last:
        return None
    if r < start or r > end:
        return (
            f"{label} {reform} is outside the period {period.start} … {period.end}: a month "
            f"from {first} to {last}"
        )
    if r < first:
        span = window if w0 > start else period
        what = "study window" if w0 > start else "period"
        return (
            f"{label} {reform} must be after the first month of the {what} {span.start} … "
            f"{span.end}: the first month allowed is {first}"
        )
    return (
        f"{label} {reform} is after the study window {window.start} … {window.end}: the "
        f"last month allowed is {last}"
    )


def _config_month(value: object) -> str:
    """A month of the config file read as ``--reform`` reads one (:func:`month_text`),
    as ``YYYY-MM``; the loader's message adds the file, line, key and value."""
    try:
        return month_text(value)
    except ConfigError:
        raise ValueError(f"expected {MONTH_FORMS}") from None


def month_index(month: str | np.datetime64, start: str | np.datetime64) -> int:
    """Months from ``start`` to ``month`` (0 when equal)."""
    return int((np.datetime64(month, "M") - np.datetime64(start, "M")).astype(int))


YearMonth = Annotated[str, BeforeValidator(_config_month)]
Tier = Literal["village_clinic", "township_health_centre", "county_hospital", "outside"]
InCountyTier = Literal["village_clinic", "township_health_centre", "county_hospital"]
BedTier = Literal["township_health_centre", "county_hospital", "outside"]
Severity = Literal["mild", "moderate", "severe"]
AgeBand = Literal["0-14", "15-59", "60+"]
Regime = Literal["fee-for-service", "sanming", "other-areas", "deqing"]
Integration = Literal["full", "half", "flexible"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _complete(mapping: Mapping[str, Any], names: tuple[str, ...], key: str) -> None:
    missing = [n for n in names if n not in mapping]
    if missing:
        raise ValueError(f"{key} needs a value for each of {list(names)}; missing {missing}")


def _described(config: SimulationConfig, regime: str, key: str) -> None:
    """A regime the run uses needs the providers' behaviour under it (and, with a staff
    section, their activities): Deqing's is optional in a county file until chosen."""
    given = list(config.regimes)
    if regime not in config.regimes:
        raise ValueError(
            f"{key} {regime!r}: the config describes no provider behaviour under it "
            f"(regimes has {given}); add a regimes.{regime} section (the example "
            "examples/youxi_sim.yaml has one) or choose one of those"
        )
    if config.staff is not None and regime not in config.staff.regimes:
        raise ValueError(
            f"{key} {regime!r}: the config's staff section has no activity rates under it "
            f"(staff.regimes has {list(config.staff.regimes)}); add staff.regimes.{regime}"
        )


class MonthSpan(_Model):
    start: YearMonth
    end: YearMonth

    @model_validator(mode="after")
    def _ordered(self) -> MonthSpan:
        if parse_month(self.end) < parse_month(self.start):
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self

    @property
    def months(self) -> np.ndarray:
        return np.arange(parse_month(self.start), parse_month(self.end) + 1)

    @property
    def years(self) -> list[int]:
        return list(range(int(self.start[:4]), int(self.end[:4]) + 1))


class Reform(_Model):
    date: YearMonth
    regime: Regime
    ramp_months: Annotated[int, Field(ge=0, le=60)] = 6


class Population(_Model):
    """Demographic rates; the yearly totals and 60+ shares come from the county file."""

    male_share: Share
    birth_rate: Share
    death_rate_under_60: Share
    death_rate_60_plus: Share
    migration_ages: tuple[Annotated[int, Field(ge=0)], Annotated[int, Field(le=100)]]
    age_weights: dict[str, NonNegative]
    insured_share: Share

    @model_validator(mode="after")
    def _bands(self) -> Population:
        want = [f"{a}-{a + 4}" for a in range(0, 60, 5)]
        _complete(self.age_weights, tuple(want), "age_weights")
        extra = sorted(set(self.age_weights) - set(want))
        if extra:
            raise ValueError(f"age_weights has unknown bands {extra}; allowed {want}")
        lo, hi = self.migration_ages
        if lo >= hi:
            raise ValueError(f"migration_ages must be [low, high] with low < high, got {[lo, hi]}")
        return self


class OutsideHospital(_Model):
    km: Positive
    share: Positive


class Geography(_Model):
    """Distances the county file does not give (the layout is drawn from the seed)."""

    seat_km: Positive
    grid_distance_km: tuple[Positive, Positive]
    village_distance_km: tuple[Positive, Positive]
    outside: dict[str, OutsideHospital]

    @model_validator(mode="after")
    def _ranges(self) -> Geography:
        for name in ("grid_distance_km", "village_distance_km"):
            lo, hi = getattr(self, name)
            if lo > hi:
                raise ValueError(f"{name} must be [min, max] with min <= max, got {[lo, hi]}")
        if not self.outside:
            raise ValueError("outside must name at least one hospital outside the county")
        total = sum(h.share for h in self.outside.values())
        if abs(total - 1.0) > 1e-6:
            listed = ", ".join(f"{k} {h.share:g}" for k, h in self.outside.items())
            raise ValueError(
                f"outside: the hospitals' shares of outside-county care must add up to 1, "
                f"got {total:g} ({listed})"
            )
        return self


class Illness(_Model):
    episodes_per_year: dict[AgeBand, NonNegative]
    chronic_multiplier: Positive
    seasonality: Annotated[list[Positive], Field(min_length=12, max_length=12)]
    trend_per_year: YearlyGrowth
    severity: dict[AgeBand, dict[Severity, Share]]
    diagnosis_groups: dict[Severity, dict[str, Share]]

    @model_validator(mode="after")
    def _sums(self) -> Illness:
        _complete(self.diagnosis_groups, SEVERITIES, "diagnosis_groups")
        for sev, probs in self.diagnosis_groups.items():
            if abs(sum(probs.values()) - 1.0) > 1e-6:
                raise ValueError(
                    f"diagnosis_groups.{sev} must add up to 1, got {sum(probs.values()):.6g}"
                )
        _complete(self.episodes_per_year, AGE_BANDS, "episodes_per_year")
        _complete(self.severity, AGE_BANDS, "severity")
        for band, probs in self.severity.items():
            _complete(probs, SEVERITIES, f"severity.{band}")
            if abs(sum(probs.values()) - 1.0) > 1e-6:
                raise ValueError(f"severity.{band} must add up to 1, got {sum(probs.values()):.6g}")
        return self


class Careseeking(_Model):
    capability: dict[Severity, dict[Tier, float]]
    distance_per_10km: Annotated[float, Field(le=0.0)]
    price_per_100_yuan: Annotated[float, Field(le=0.0)]
    family_physician_bonus: float
    revisits: dict[Tier, NonNegative]

    @model_validator(mode="after")
    def _full(self) -> Careseeking:
        _complete(self.capability, SEVERITIES, "capability")
        for sev, row in self.capability.items():
            _complete(row, TIERS, f"capability.{sev}")
        _complete(self.revisits, TIERS, "revisits")
        return self


class Referral(_Model):
    treats_up_to: dict[InCountyTier, Severity]
    upward: dict[Severity, Share]
    county_to_outside: dict[Severity, Share]
    downward_after_discharge: dict[Severity, Share]


class Admission(_Model):
    probability: dict[Severity, dict[BedTier, Share]]
    length_of_stay_days: dict[BedTier, Positive]
    length_of_stay_severity: dict[Severity, Positive]
    emergency_share: dict[Severity, Share]

    @model_validator(mode="after")
    def _full(self) -> Admission:
        _complete(self.probability, SEVERITIES, "probability")
        _complete(self.emergency_share, SEVERITIES, "emergency_share")
        return self


class Costs(_Model):
    outpatient_yuan: dict[Tier, Positive]
    inpatient_per_day_yuan: dict[BedTier, Positive]
    severity_factor: dict[Severity, Positive]
    log_sd: Annotated[float, Field(ge=0.0, le=2.0)]
    healthcare_visit_yuan: dict[InCountyTier, Positive]
    followup_yuan: Positive
    outpatient_insurance_share: dict[Tier, Share]
    inpatient_insurance_share: dict[BedTier, Share]
    preventive_insurance_share: Share


class Healthcare(_Model):
    visits_per_year: dict[AgeBand, NonNegative]
    chronic_extra_visits: NonNegative
    growth_per_year: YearlyGrowth
    utility: dict[InCountyTier, float]
    promotion_primary_utility: float


class ChronicCondition(_Model):
    """One chronic condition. ``prevalence`` is the share of each age band registered
    with it, the band's mean of a curve by single year of age that ageing residents
    follow (new cases as they age; ``ihms.sim.chronic.prevalence_by_age``)."""

    prevalence: dict[AgeBand, Share]
    management_logit: float
    management_promotion: float
    management_family_physician: float
    management_trend_per_year: float
    control_logit: float
    control_promotion: float
    control_managed: float
    control_trend_per_year: float
    patient_sd: NonNegative


class Chronic(_Model):
    hypertension: ChronicCondition
    diabetes: ChronicCondition
    unmanaged_followups_mean: Annotated[float, Field(ge=0.0, le=3.0)]
    county_hospital_share: Share


class FamilyPhysician(_Model):
    registration: dict[int, Share]
    priority_odds: Positive


class RegimeBehaviour(_Model):
    ch_mild_attraction: float
    ch_attraction_drift_per_year: float
    ch_admission_factor: Positive
    ch_admission_drift_per_year: float
    downward_referral: Share
    keep_in_county: Share
    healthcare_primary_push: float
    promotion_effort: Share
    family_physician_odds: Positive
    # Off (0) unless given; see ihms.sim.regime.Behaviour and ARCHITECTURE "Calibration".
    primary_extra_revisits: ExtraRevisits = 0.0
    primary_extra_revisits_growth_per_year: YearlyGrowth = 0.0
    ch_outpatient_price_drift_yuan_per_month: PriceDrift = 0.0


class IntegrationEffect(_Model):
    downward_referral: Share
    keep_in_county: Share
    shared_balance: bool


class Promotion(_Model):
    funding_scale_yuan_per_capita: Positive
    incidence_effect: Share
    healthcare_effect: NonNegative


class Resources(_Model):
    """Money the institutions' yearly resources record (head counts and beds come from
    the county file): personnel cost as a share of the revenue the simulation charged."""

    personnel_cost_share: Share


#: A physician's activities in a year: at most one a working day.
PerYear = Annotated[float, Field(ge=0.0, le=250.0)]
StaffTier = Literal["township_health_centre", "county_hospital"]


class StaffActivityRates(_Model):
    """Mean activities per physician and year under one regime, by the physician's tier:
    health education sessions held and days consulting at primary care (a county hospital's
    physicians at the township health centres, a centre's at its grid's village clinics)."""

    health_education_sessions: dict[StaffTier, PerYear]
    consultation_days: dict[StaffTier, PerYear]

    @model_validator(mode="after")
    def _full(self) -> StaffActivityRates:
        tiers = ("township_health_centre", "county_hospital")
        _complete(self.health_education_sessions, tiers, "health_education_sessions")
        _complete(self.consultation_days, tiers, "consultation_days")
        return self


class Staff(_Model):
    """Physicians paid by annual salary, their scorecards' activities (:mod:`ihms.sim.staff`):
    rates by regime (blended over the ramp) and ``doctor_sd``, the standard deviation of
    each physician's log propensity (mean one, kept across years)."""

    regimes: dict[Regime, StaffActivityRates]
    doctor_sd: Annotated[float, Field(ge=0.0, le=2.0)]

    @model_validator(mode="after")
    def _full(self) -> Staff:
        _complete(self.regimes, REQUIRED_REGIMES, "staff.regimes")
        return self


class Calibration(_Model):
    """Tuned values and their ``run``; applied (``ihms.sim.provenance``) for its ``county``."""

    tuned: dict[str, float] = {}
    run: dict[str, Any] = {}
    applied: bool = True
    replaced: dict[str, float] = {}


class SimulationConfig(_Model):
    """Everything the simulator needs besides the county's institutions."""

    county: str
    period: MonthSpan
    study_window: MonthSpan
    reform: Reform
    baseline_regime: Regime = FEE_FOR_SERVICE
    seed: Annotated[int, Field(ge=0)] = 20171001
    block_size: Annotated[int, Field(ge=64, le=1 << 20)] = 8192
    population: Population
    geography: Geography
    illness: Illness
    careseeking: Careseeking
    referral: Referral
    admission: Admission
    costs: Costs
    healthcare: Healthcare
    chronic: Chronic
    family_physician: FamilyPhysician
    regimes: dict[Regime, RegimeBehaviour]
    integration: dict[Integration, IntegrationEffect]
    promotion: Promotion
    resources: Resources
    staff: Staff | None = None
    calibration: Calibration | None = None

    def __repr__(self) -> str:
        # pydantic's repr printed every parameter (~7,000 characters for Youxi): model_dump()
        return brief_repr(
            self,
            county=self.county,
            period=f"{self.period.start}..{self.period.end}",
            reform=self.reform.date,
            regime=self.reform.regime,
            baseline_regime=self.baseline_regime,
            seed=self.seed,
            tuned=len(self.calibration.tuned) if self.calibration else None,
        )

    __str__ = __repr__

    @model_validator(mode="after")
    def _cross(self) -> SimulationConfig:
        start, end = parse_month(self.period.start), parse_month(self.period.end)
        w0, w1 = parse_month(self.study_window.start), parse_month(self.study_window.end)
        if w0 < start or w1 > end:
            raise ValueError(
                f"study_window {self.study_window.start} … {self.study_window.end} is not "
                f"inside the period {self.period.start} … {self.period.end}"
            )
        problem = reform_problem(
            self.reform.date, self.period, self.study_window, label="reform.date"
        )
        if problem is not None:
            raise ValueError(problem)
        missing = [y for y in self.period.years if y not in self.family_physician.registration]
        if missing:
            raise ValueError(
                f"family_physician.registration needs a value for every year of the period; "
                f"missing {missing}"
            )
        _complete(self.regimes, REQUIRED_REGIMES, "regimes")
        for key, regime in (
            ("reform.regime", self.reform.regime),
            ("baseline_regime", self.baseline_regime),
        ):
            _described(self, regime, key)
        _complete(self.integration, INTEGRATION_DEGREES, "integration")
        return self
