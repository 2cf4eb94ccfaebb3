"""The settlement's inputs and its auditable record (the data; the arithmetic that fills
them is :func:`ihms.payment.settlement.settle_year`)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from ihms._repr import SummaryHtml, brief_repr
from ihms.errors import InputError
from ihms.payment._audit import AuditStep, steps_frame
from ihms.payment._frozen import INPUTS_HINT, _Frozen
from ihms.payment.budget import BudgetResult, PastYear
from ihms.payment.money import format_yuan, yuan_column
from ihms.payment.rules import STAFF_INCENTIVE, balance_use_label
from ihms.payment.salary import SalaryResult, ScorecardResult
from ihms.payment.shared_savings_result import SharedSavingsResult, savings_note
from ihms.payment.tables import CountyYear, StaffMember, YearSpending
from ihms.summary import SummaryTable

__all__ = ["Distribution", "SettlementInputs", "SettlementRecord"]


def _jsonable(obj: object) -> object:
    if isinstance(obj, Decimal):
        # canonical text, so 0.80 and 0.8 give the same input digest
        return f"{obj.normalize():f}"
    if isinstance(obj, Mapping):
        return {str(k): _jsonable(v) for k, v in sorted(obj.items(), key=lambda kv: str(kv[0]))}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    if hasattr(obj, "__dataclass_fields__"):
        return {k: _jsonable(getattr(obj, k)) for k in obj.__dataclass_fields__}
    return obj


def _spending_json(spending: YearSpending) -> dict:
    return {
        "year": spending.year,
        "consortium_fen": _jsonable(spending.consortium),
        "outside_county_fen": spending.outside_county,
        "private_fen": spending.private,
        "primary_care_fen": spending.primary_care,
    }


@dataclass(frozen=True)
class SettlementInputs:
    """Everything a year's settlement reads besides the rules.

    Parameters
    ----------
    county
        The year's population facts.
    spending
        The year's insurance-paid spending by place of treatment.
    history
        Previous years (for history-based budgets and benchmarks).
    assessment_values
        The consortium's indicator values for the assessment (``None``: not given).
    staff, staff_values
        The staff roster and ``staff_id → {indicator: value}`` for the annual salaries.
    assume_assessment_passed
        Treat the assessment as passed when no values are given (recorded in the record).
    staff_headcount
        How many staff the incentive pool is for (Zhong et al. 2023: all the consortium's medical
        staff), or None: not known. The record then notes a roster listing fewer or more
        (:func:`~ihms.payment.incentive_notes`). Read by those notes alone: not part of
        :attr:`digest`, so no figure and no ledger posting depends on it.
    indicators_source
        The indicator table the assessment values were looked for in (its file), or None:
        no table given. Read by the settlement's messages alone (a note that the
        assessment was assumed passed, the error that it lacks values, each naming the
        file): not part of :attr:`digest` nor of :meth:`to_dict`.

    Notes
    -----
    The inputs are a value, as the rules are: each container is kept as a read-only copy
    of what was given (``history`` and ``staff`` as tuples, the values as mappings that
    refuse assignment with a TypeError naming the field, as do the spending's
    ``consortium`` and the registrations'), so nothing is put in after the checks and
    :attr:`digest` stays that of the inputs settled. Equal inputs are equal, hash equal
    and digest equal however their containers were passed.
    """

    county: CountyYear
    spending: YearSpending
    history: tuple[PastYear, ...] = ()
    assessment_values: Mapping[str, Decimal] | None = None
    staff: tuple[StaffMember, ...] = ()
    staff_values: Mapping[str, Mapping[str, Decimal]] = field(default_factory=dict)
    assume_assessment_passed: bool = False
    staff_headcount: int | None = None
    indicators_source: str | None = None

    def __post_init__(self) -> None:
        # read-only copies, checked: nothing escapes the checks, nor the digest the
        # ledger compares (a value put in after settling changed the record's digest)
        object.__setattr__(self, "history", tuple(self.history))
        object.__setattr__(self, "staff", tuple(self.staff))
        if self.assessment_values is not None:
            values = _Frozen(
                self.assessment_values, "SettlementInputs.assessment_values", INPUTS_HINT
            )
            object.__setattr__(self, "assessment_values", values)
        by_staff = {
            sid: _Frozen(v, f"SettlementInputs.staff_values[{sid!r}]", INPUTS_HINT)
            for sid, v in self.staff_values.items()
        }
        staff_values = _Frozen(by_staff, "SettlementInputs.staff_values", INPUTS_HINT)
        object.__setattr__(self, "staff_values", staff_values)
        h = self.staff_headcount
        if h is not None and (isinstance(h, bool) or not isinstance(h, int) or h < 1):
            raise InputError(f"staff_headcount: expected a whole number >= 1, got {h!r}")
        if self.spending.year != self.county.year:
            raise InputError(
                f"settlement inputs: spending is for {self.spending.year}, population for {self.county.year}"
            )
        late = [p.year for p in self.history if p.year >= self.year]
        if late:
            raise InputError(f"settlement {self.year}: history contains later years {late}")

    def __repr__(self) -> str:
        # a county's spending names every village clinic: the generated repr ran to
        # tens of thousands of characters
        return brief_repr(
            self,
            year=self.year,
            insured_population=self.county.insured_population,
            institutions=len(self.spending.consortium),
            history=tuple(p.year for p in self.history) or None,
            assessment_values=None
            if self.assessment_values is None
            else len(self.assessment_values),
            staff=len(self.staff) or None,
            assume_assessment_passed=self.assume_assessment_passed or None,
            staff_headcount=self.staff_headcount,
        )

    @property
    def year(self) -> int:
        return self.county.year

    def to_dict(self) -> dict:
        """Every input for JSON: money as integer fen under keys ending ``_fen`` (the
        ``--json`` convention, see :mod:`ihms.payment.money`), rates as exact text."""
        out: dict = _jsonable(self)  # type: ignore[assignment]
        if self.staff_headcount is None:
            del out["staff_headcount"]  # as before the headcount could be given
        del out["indicators_source"]  # a file's name, not an input (the ledger compares these)
        out["spending"] = _spending_json(self.spending)
        for past, entry in zip(self.history, out["history"], strict=True):
            entry["spending"] = _spending_json(past.spending)
        return out

    @property
    def digest(self) -> str:
        # the digest reads the inputs' own field names (not to_dict's), so ledgers
        # written before the JSON names gained their _fen suffix still match
        data = _jsonable(self)
        del data["staff_headcount"]  # read by a note alone: no figure depends on it
        del data["indicators_source"]  # read by messages alone
        if data["county"]["resident_population"] is None:  # type: ignore[index]
            # read only by rules setting the budget on residents: inputs without it keep
            # the digest they had before the population table gave it
            del data["county"]["resident_population"]  # type: ignore[index]
        if data["county"]["family_physician_members"] is None:  # type: ignore[index]
            # likewise registrations by month and institution, which came later still
            del data["county"]["family_physician_members"]  # type: ignore[index]
        blob = json.dumps(data, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(blob.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Distribution(SummaryHtml):
    """The distributable amount split by use (largest remainder, adds up to the fen)."""

    total_fen: int
    allocations: Mapping[str, int]
    shares: Mapping[str, Decimal]

    @property
    def staff_incentive_fen(self) -> int:
        return self.allocations.get(STAFF_INCENTIVE, 0)

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "use": list(self.allocations),
                "share": [self.shares[k] for k in self.allocations],
                "amount_fen": list(self.allocations.values()),
            }
        )

    def summary(self) -> SummaryTable:
        raw = self.to_frame()
        frame = pd.DataFrame(
            {
                "Share (%)": [
                    (s * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
                    for s in raw["share"]
                ],
                "Amount (yuan)": yuan_column(raw["amount_fen"]),
            }
        )
        frame.index = pd.Index(
            [balance_use_label(u) for u in raw["use"]], name="Use of the balance"
        )
        return SummaryTable(
            frame,
            title=f"Distribution of {format_yuan(self.total_fen)} yuan",
            notes=(
                "Largest-remainder rounding: the amounts add up to the total to the fen."
                if self.total_fen
                else "Nothing to distribute: no balance was kept and no savings were shared.",
            ),
        )


@dataclass(frozen=True)
class SettlementRecord(SummaryHtml):
    """A settled year. All money in fen; see the module docstring for the identities."""

    rules_name: str
    rules_version: str
    rules_digest: str
    kind: str
    year: int
    inputs: SettlementInputs
    charge_outside_county: bool
    budget: BudgetResult | None
    consortium_fen: int
    outside_county_fen: int
    private_fen: int
    charged_fen: int
    private_reserve_fen: int
    difference_fen: int
    balance_fen: int
    overspend_fen: int
    assessment: ScorecardResult | None
    assessment_passed: bool | None
    retained_fen: int
    clawback_fen: int
    overspend_insurer_fen: int
    overspend_consortium_fen: int
    shared_savings: SharedSavingsResult | None
    family_physician_fee_fen: int
    distribution: Distribution
    salaries: SalaryResult | None
    insurer_outlay_fen: int
    consortium_result_fen: int
    steps: tuple[AuditStep, ...]
    notes: tuple[str, ...] = ()
    #: The column map the input tables were read through, as ``ihms data import``
    #: records one (:attr:`ihms.data.ColumnMap.record`: ``his_map.yaml sha256:…``), or
    #: None. Provenance only: not part of :attr:`input_digest`.
    column_map: str | None = None
    #: The family-physician fee received by each institution known to hold contracts
    #: (fen); the rest of the fee is pooled in one account. Empty: none is known.
    family_physician_fee_by_institution: Mapping[str, int] = field(default_factory=dict)

    def __repr__(self) -> str:
        return brief_repr(
            self,
            rules=f"{self.rules_name} {self.rules_version}",
            kind=self.kind,
            year=self.year,
            charged_fen=self.charged_fen,
            balance_fen=self.balance_fen,
            overspend_fen=self.overspend_fen or None,
            assessment_passed=self.assessment_passed,
            insurer_outlay_fen=self.insurer_outlay_fen,
            consortium_result_fen=self.consortium_result_fen,
        )

    @property
    def input_digest(self) -> str:
        """Digest of the inputs and the rules: equal digests mean an identical record."""
        return hashlib.sha256(f"{self.rules_digest}:{self.inputs.digest}".encode()).hexdigest()[:16]

    @property
    def private_reserve_balance_fen(self) -> int:
        return self.private_reserve_fen - self.private_fen

    def headline(self) -> dict[str, int | str | None]:
        """The main figures, one value each (for tables across years)."""
        return {
            "year": self.year,
            "rules": self.rules_name,
            "global_budget_fen": None if self.budget is None else self.budget.global_budget_fen,
            "consortium_fen": self.consortium_fen,
            "outside_county_fen": self.outside_county_fen,
            "private_fen": self.private_fen,
            "charged_fen": self.charged_fen,
            "balance_fen": self.balance_fen,
            "overspend_fen": self.overspend_fen,
            "retained_fen": self.retained_fen,
            "clawback_fen": self.clawback_fen,
            "overspend_insurer_fen": self.overspend_insurer_fen,
            "overspend_consortium_fen": self.overspend_consortium_fen,
            "shared_savings_fen": 0
            if self.shared_savings is None
            else self.shared_savings.shared_savings_fen,
            "shared_losses_fen": 0
            if self.shared_savings is None
            else self.shared_savings.shared_losses_fen,
            "family_physician_fee_fen": self.family_physician_fee_fen,
            "staff_incentive_fen": self.distribution.staff_incentive_fen,
            "insurer_outlay_fen": self.insurer_outlay_fen,
            "consortium_result_fen": self.consortium_result_fen,
        }

    def summary(self) -> SummaryTable:
        """The settlement's main lines in yuan, each with its working (the lines above it
        it adds up from, or the arithmetic that produced it), so the table reconciles to
        the fen; lines that cannot apply to the rule set's kind are left out."""
        from ihms.payment._settlement_table import settlement_lines
        from ihms.payment.compare import rules_label

        rows = settlement_lines(self)
        frame = pd.DataFrame(
            {
                "Amount (yuan)": yuan_column([r[1] for r in rows]),
                "Working": [r[2] for r in rows],
            },
            index=pd.Index([r[0] for r in rows], name="Item"),
        )
        notes = [f"Rules {self.rules_name} v{self.rules_version} (digest {self.rules_digest})."]
        if self.shared_savings is not None:
            notes.append(savings_note(self.shared_savings))
        if self.assessment is not None:  # else assumed passed, which a note of its own says
            notes.append(f"Assessment {'passed' if self.assessment_passed else 'failed'}.")
        notes += list(self.notes)
        if self.column_map is not None:
            notes.append(f"Tables read through the column map {self.column_map}.")
        return SummaryTable(
            frame,
            title=f"Settlement {self.year} ({rules_label(self.rules_name)})",
            notes=tuple(notes),
        )

    def audit_trail(self) -> SummaryTable:
        """Every step with its arithmetic, in order."""
        return SummaryTable(
            steps_frame(self.steps).drop(columns="amount_fen").set_index("step"),
            title=f"Settlement {self.year}: working ({self.rules_name} v{self.rules_version})",
            notes=("Rounding: single amounts half up to the fen; splits by largest remainder.",),
        )

    def to_dict(self) -> dict:
        return {
            "rules": {
                "name": self.rules_name,
                "version": self.rules_version,
                "digest": self.rules_digest,
            },
            "kind": self.kind,
            "year": self.year,
            "input_digest": self.input_digest,
            "column_map": self.column_map,
            "inputs": self.inputs.to_dict(),
            "budget": None if self.budget is None else self.budget.to_dict(),
            "figures": self.headline(),
            "private_reserve_fen": self.private_reserve_fen,
            "private_reserve_balance_fen": self.private_reserve_balance_fen,
            "assessment": None if self.assessment is None else self.assessment.to_dict(),
            "assessment_passed": self.assessment_passed,
            "shared_savings": None
            if self.shared_savings is None
            else self.shared_savings.to_dict(),
            "distribution": {
                "total_fen": self.distribution.total_fen,
                "allocations_fen": dict(self.distribution.allocations),
                "shares": {k: str(v) for k, v in self.distribution.shares.items()},
            },
            "salaries": None if self.salaries is None else self.salaries.to_dict(),
            "family_physician_fee_by_institution_fen": dict(
                self.family_physician_fee_by_institution
            ),
            "steps": [
                {
                    "step": s.label,
                    "working": s.formula,
                    "amount_fen": s.amount_fen,
                    "value": s.value,
                }
                for s in self.steps
            ],
            "notes": list(self.notes),
        }
