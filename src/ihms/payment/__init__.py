"""Payment engine: global budgets, year-end settlement, balance distribution, annual-salary
scorecards, MSSP-style shared savings, Deqing's blended payment and an append-only ledger.

Rules are data (:func:`load_rules` reads a YAML file or a built-in rule set: ``sanming``,
``other-areas``, ``fee-for-service``, ``deqing-shared-savings``, ``mssp``); settlement is
a pure function of the rules and a year's inputs (:func:`settle_year`); money is integer
fen throughout (:mod:`ihms.payment.money` documents every rounding rule).

Examples
--------
>>> from ihms.payment import load_rules, global_budget, CountyYear
>>> global_budget(load_rules("sanming"), county=CountyYear(2017, 1_000)).global_budget_fen
57960000

(1,000 insured × 630 yuan, 2017's national minimum financing, less the 3 % and 5 %
reserves: 579,600.00 yuan.)
"""

from ihms._renamed import renamed_attributes
from ihms.payment._audit import AuditStep
from ihms.payment._config import BUILTIN_RULES, builtin_rules_text, load_rules, rules_from_mapping
from ihms.payment.adapters import ENCOUNTER_COLUMNS, spending_from_encounters
from ihms.payment.budget import BudgetResult, PastYear, budgets_summary, global_budget
from ihms.payment.compare import (
    ComparisonResult,
    SpendingPath,
    compare_regimes,
    observed_path,
    rules_label,
    saving_path,
)
from ihms.payment.family_physician import FamilyPhysicianFeeResult, family_physician_fee
from ihms.payment.from_store import (
    ASSESSMENT_INDICATORS,
    STORE_ASSESSMENT_INDICATORS,
    assessed_consortium,
    indicator_values_from_results,
    population_from_store,
    spending_from_store,
    study_county,
)
from ihms.payment.incentive_checks import INCENTIVE_BASE_MULTIPLE, incentive_notes
from ihms.payment.inputs import (
    CONSORTIUM_SUBJECT,
    check_indicator_ids,
    check_scorecard_values,
    county_year,
    cross_check,
    history_years_needed,
    past_years,
    settlement_inputs,
)
from ihms.payment.ledger import AuditView, Ledger, Posting, PostResult, record_postings
from ihms.payment.ledger_results import batches_summary
from ihms.payment.money import (
    allocate,
    apply_rate,
    fen_to_yuan,
    format_rate,
    format_yuan,
    million_yuan,
    round_fen,
    yuan_column,
    yuan_to_fen,
)
from ihms.payment.monthly_spending import (
    MonthlySpendingTable,
    county_months_from_tables,
    tracking_from_tables,
)
from ihms.payment.plausibility import comparison_size_notes, spending_size_notes
from ihms.payment.registrations import Registrations
from ihms.payment.rules import (
    MAX_GROWTH,
    STAFF_INCENTIVE,
    BalanceUses,
    BudgetRule,
    CappedRatioScoring,
    FamilyPhysicianFee,
    LinearScoring,
    MsrBand,
    PaymentRules,
    PremiumRule,
    QualityGate,
    Scorecard,
    ScorecardIndicator,
    SettlementRule,
    SharedSavingsRule,
    StaffPay,
    ThresholdScoring,
)
from ihms.payment.salary import (
    IndicatorScore,
    SalaryLine,
    SalaryResult,
    ScorecardResult,
    annual_salaries,
    score_card,
)
from ihms.payment.scoring import scored_indicators
from ihms.payment.settlement import (
    FUND_BALANCE_RATE,
    Distribution,
    SettlementInputs,
    SettlementRecord,
    settle_year,
)
from ihms.payment.shared_savings import (
    BlendedPayment,
    SharedSavingsResult,
    benchmark_per_capita,
    blended_primary_care_payment,
    minimum_savings_rate,
    population_fields_lacking,
    settle_shared_savings,
)
from ihms.payment.staff_from_store import STAFF_ACTIVITY_INDICATORS, staff_values_from_store
from ihms.payment.store_dating import SPENDING_DATES, late_settlement_note
from ihms.payment.supervision import (
    SupervisionCard,
    SupervisionLine,
    SupervisionView,
    supervision,
)
from ihms.payment.tables import (
    SETTINGS,
    TABLE_COLUMNS,
    CountyYear,
    IndicatorValues,
    PopulationTable,
    SpendingTable,
    StaffMember,
    StaffRoster,
    YearSpending,
    is_rate,
)
from ihms.payment.tracking import BudgetTracking, CountyMonths, LateClaims, budget_tracking
from ihms.payment.tracking_from_store import county_months_from_store, tracking_from_store

__all__ = [
    "ASSESSMENT_INDICATORS",
    "BUILTIN_RULES",
    "CONSORTIUM_SUBJECT",
    "ENCOUNTER_COLUMNS",
    "FUND_BALANCE_RATE",
    "INCENTIVE_BASE_MULTIPLE",
    "MAX_GROWTH",
    "SETTINGS",
    "SPENDING_DATES",
    "STAFF_ACTIVITY_INDICATORS",
    "STAFF_INCENTIVE",
    "STORE_ASSESSMENT_INDICATORS",
    "TABLE_COLUMNS",
    "AuditStep",
    "AuditView",
    "BalanceUses",
    "BlendedPayment",
    "BudgetResult",
    "BudgetRule",
    "BudgetTracking",
    "CappedRatioScoring",
    "ComparisonResult",
    "CountyMonths",
    "CountyYear",
    "Distribution",
    "FamilyPhysicianFee",
    "FamilyPhysicianFeeResult",
    "IndicatorScore",
    "IndicatorValues",
    "LateClaims",
    "Ledger",
    "LinearScoring",
    "MonthlySpendingTable",
    "MsrBand",
    "PastYear",
    "PaymentRules",
    "PopulationTable",
    "PostResult",
    "Posting",
    "PremiumRule",
    "QualityGate",
    "Registrations",
    "SalaryLine",
    "SalaryResult",
    "Scorecard",
    "ScorecardIndicator",
    "ScorecardResult",
    "SettlementInputs",
    "SettlementRecord",
    "SettlementRule",
    "SharedSavingsResult",
    "SharedSavingsRule",
    "SpendingPath",
    "SpendingTable",
    "StaffMember",
    "StaffPay",
    "StaffRoster",
    "SupervisionCard",
    "SupervisionLine",
    "SupervisionView",
    "ThresholdScoring",
    "YearSpending",
    "allocate",
    "annual_salaries",
    "apply_rate",
    "assessed_consortium",
    "batches_summary",
    "benchmark_per_capita",
    "blended_primary_care_payment",
    "budget_tracking",
    "budgets_summary",
    "builtin_rules_text",
    "check_indicator_ids",
    "check_scorecard_values",
    "compare_regimes",
    "comparison_size_notes",
    "county_months_from_store",
    "county_months_from_tables",
    "county_year",
    "cross_check",
    "family_physician_fee",
    "fen_to_yuan",
    "format_rate",
    "format_yuan",
    "global_budget",
    "history_years_needed",
    "incentive_notes",
    "indicator_values_from_results",
    "is_rate",
    "late_settlement_note",
    "load_rules",
    "million_yuan",
    "minimum_savings_rate",
    "observed_path",
    "past_years",
    "population_fields_lacking",
    "population_from_store",
    "record_postings",
    "round_fen",
    "rules_from_mapping",
    "rules_label",
    "saving_path",
    "score_card",
    "scored_indicators",
    "settle_shared_savings",
    "settle_year",
    "settlement_inputs",
    "spending_from_encounters",
    "spending_from_store",
    "spending_size_notes",
    "staff_values_from_store",
    "study_county",
    "supervision",
    "tracking_from_store",
    "tracking_from_tables",
    "yuan_column",
    "yuan_to_fen",
]

#: Renamed in 0.1.0 (review item M6: ``ihms.indicators`` has a catalogue ``Indicator``);
#: the old name still gives the class, with a DeprecationWarning, for one release.
__getattr__ = renamed_attributes(__name__, {"Indicator": "ScorecardIndicator"}, since="0.1.0")
