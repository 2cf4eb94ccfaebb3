"""Checks of a whole :class:`~ihms.data.Dataset`, each failure naming file, row, column.

Column checks come from the schema (required values, allowed values, ranges); the rest
are the rules a health-statistics analyst would apply before trusting the numbers:

* keys are unique and every reference resolves (an encounter at an unknown institution,
  a follow-up of an unknown resident);
* dated records fall inside the data set's period, and after the resident arrived and
  before they left;
* insurance never pays more than the total cost, and insurance plus out-of-pocket never
  exceed it (claims of an encounter, summed, likewise);
* inpatient stays have a length of stay and other encounters do not;
* nobody is born after the period ends (``birth_year`` at most the end's year);
* a family-physician registration date belongs to a registered resident, falls before
  the resident's exit_date, not after the period's end and not before birth (it may
  precede entry_date);
* a follow-up's condition is one the register records for that resident, and a blood
  pressure reading has both numbers with systolic above diastolic;
* an institution operates in the year of each record naming it: an encounter and
  either end of its referral (``referred_from_id``, ``referred_to_id``), a follow-up,
  either end of a referral, a resources row, a staff activity's institution (else the
  record would count at its tier, grid, county and total but in no institution row);
* a staff member's consultation day names its host, a primary-care institution (a
  township or community health centre, a village clinic) other than the staff member's
  own, and the host operates that year.

The institutions' checks (active years, consultation days, grids and consortia) live
in :mod:`ihms.data._institution_checks`.

Each check lists at most :data:`~ihms.data._table_coerce.MAX_ROWS_PER_CHECK` rows and then
says how many more fail it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import pandas as pd
import pyarrow as pa

from ihms.data._institution_checks import InstitutionChecks
from ihms.data._row_rules import Bounds, row_rule
from ihms.data.dataset import Dataset
from ihms.data.schema import SCHEMAS

__all__ = ["dataset_problems"]


class _Checker(InstitutionChecks):
    """The schema-driven checks, the institutions' (:class:`InstitutionChecks`), and the
    domain rules listed above; those a row breaks by itself are
    :data:`~ihms.data._row_rules.ROW_RULES`, which a Parquet folder's engine checks too."""

    def failing(self, table: str, column: str, summary_start: str = "") -> pd.Series:
        """The rows of ``table`` breaking the row rule on ``column`` (a null: passing)."""
        period = self.ds.period
        bounds = Bounds(
            pd.Timestamp(period.start), pd.Timestamp(period.end), period.years, str(period)
        )
        found = row_rule(table, column, summary_start).failing(self.frames[table], bounds)
        return pd.Series(found).fillna(False).astype(bool)

    def dates_in_period(self, table: str, column: str) -> None:
        s = self.frames[table][column]
        bad = self.failing(table, column)
        self.report(
            table,
            bad,
            column,
            lambda i: f"date {s.iloc[i].date()} is outside the period {self.ds.period}",
            f"'{column}' falls outside the period {self.ds.period}",
        )

    def amount(self, table: str, column: str, fen: int) -> str:
        """``fen`` of ``column`` as the file wrote it (yuan or fen, see RowLabels)."""
        return self.label(table).money(column, fen)

    def money(self, table: str, total: str | None = None) -> None:
        df = self.frames[table]
        if total is not None:
            amount = lambda col, i: self.amount(table, col, df[col].iloc[i])  # noqa: E731
            bad = self.failing(table, "insurance_paid_fen")
            self.report(
                table,
                bad,
                "insurance_paid_fen",
                lambda i: (
                    f"insurance paid {amount('insurance_paid_fen', i)} exceeds the "
                    f"total cost {amount(total, i)}"
                ),
                "insurance paid exceeds the total cost",
            )
            bad = self.failing(table, "out_of_pocket_fen")
            self.report(
                table,
                bad,
                "out_of_pocket_fen",
                lambda i: (
                    f"insurance {amount('insurance_paid_fen', i)} + out-of-pocket "
                    f"{amount('out_of_pocket_fen', i)} exceed the total cost {amount(total, i)}"
                ),
                "insurance plus out-of-pocket exceed the total cost",
            )

    def encounters(self) -> None:
        enc = self.frames["encounters"]
        if enc.empty:
            return
        self.dates_in_period("encounters", "date")
        self.money("encounters", "total_cost_fen")
        self.report(
            "encounters",
            self.failing("encounters", "length_of_stay_days", "an inpatient"),
            "length_of_stay_days",
            lambda i: "an inpatient stay needs its length of stay",
            "an inpatient stay has no length of stay",
        )
        self.report(
            "encounters",
            self.failing("encounters", "length_of_stay_days", "a non-inpatient"),
            "length_of_stay_days",
            lambda i: (
                f"only inpatient stays have a length of stay (type is {enc['type'].iloc[i]!r})"
            ),
            "a non-inpatient encounter has a length of stay",
        )
        self.report(
            "encounters",
            self.failing("encounters", "referred_from_id"),
            "referred_from_id",
            lambda i: "an institution cannot refer a resident to itself",
            "the referring institution is the treating one",
        )
        self.within_residence("encounters", "date")
        for column in ("institution_id", "referred_from_id", "referred_to_id"):
            self.institution_active("encounters", column, "date")

    def within_residence(self, table: str, column: str) -> None:
        df = self.frames[table]
        res = self.lookup("residents", "resident_id")
        if df.empty or res.empty:
            return
        entry = df["resident_id"].map(res["entry_date"])
        exit_ = df["resident_id"].map(res["exit_date"])
        when = df[column]
        before = (when < entry).fillna(False)
        after = (when >= exit_).fillna(False)
        self.report(
            table,
            before,
            column,
            lambda i: (
                f"resident {df['resident_id'].iloc[i]!r} arrived only on {entry.iloc[i].date()}"
            ),
            "the record predates the resident's entry_date",
        )
        self.report(
            table,
            after,
            column,
            lambda i: f"resident {df['resident_id'].iloc[i]!r} left on {exit_.iloc[i].date()}",
            "the record is on or after the resident's exit_date",
        )

    def residents(self) -> None:
        res = self.frames["residents"]
        self.report(
            "residents",
            self.failing("residents", "exit_date"),
            "exit_date",
            lambda i: (
                f"exit_date {res['exit_date'].iloc[i].date()} is not after entry_date {res['entry_date'].iloc[i].date()}"
            ),
            "exit_date is not after entry_date",
        )
        self.report(
            "residents",
            (res["fp_institution_id"].notna() & ~res["fp_registered"].fillna(False)).fillna(False),
            "fp_institution_id",
            lambda i: "a family-physician institution is given but fp_registered is false",
            "fp_institution_id is set without fp_registered",
        )
        self.report(
            "residents",
            self.failing("residents", "entry_date"),
            "entry_date",
            lambda i: f"entry_date {res['entry_date'].iloc[i].date()} is after the period ends",
            "entry_date is after the period ends",
        )
        end = pd.Timestamp(self.ds.period.end)
        self.report(
            "residents",
            self.failing("residents", "birth_year"),
            "birth_year",
            lambda i: (
                f"birth year {res['birth_year'].iloc[i]} is after the period ends "
                f"({end.date()}); expected a year up to {end.year}"
            ),
            "birth_year is after the period ends",
        )
        self.registration_date(res)

    def registration_date(self, res: pd.DataFrame) -> None:
        """``fp_registered_date``: only for registered residents, while they are present
        (before exit_date), within the data (not after the period's end) and not before
        birth. A date before entry_date is allowed: a resident may sign with a family
        physician before the register records the arrival, and counts only use the days
        the resident is present."""
        when, exit_ = res["fp_registered_date"], res["exit_date"]
        end = pd.Timestamp(self.ds.period.end)
        day = lambda i: when.iloc[i].date()  # noqa: E731
        for bad, message, summary in (
            (
                when.notna() & ~res["fp_registered"].fillna(False),
                lambda i: f"a registration date ({day(i)}) is given but fp_registered is false",
                "fp_registered_date is set without fp_registered",
            ),
            (
                when >= exit_,
                lambda i: (
                    f"registration date {day(i)} is not before exit_date "
                    f"{exit_.iloc[i].date()} (the resident had left)"
                ),
                "fp_registered_date is on or after exit_date",
            ),
            (
                when > end,
                lambda i: f"registration date {day(i)} is after the period ends ({end.date()})",
                "fp_registered_date is after the period ends",
            ),
            (
                when.dt.year < res["birth_year"],
                lambda i: (
                    f"registration date {day(i)} is before the birth year "
                    f"{res['birth_year'].iloc[i]}"
                ),
                "fp_registered_date is before the birth year",
            ),
        ):
            self.report("residents", bad.fillna(False), "fp_registered_date", message, summary)

    def followups(self) -> None:
        fu = self.frames["followups"]
        if fu.empty:
            return
        self.dates_in_period("followups", "date")
        res = self.lookup("residents", "resident_id")
        for condition in ("hypertension", "diabetes"):
            flag = fu["resident_id"].map(res[condition]).astype("boolean")
            bad = ((fu["condition"] == condition) & (flag == False)).fillna(False)  # noqa: E712
            self.report(
                "followups",
                bad,
                "condition",
                lambda i, c=condition: (
                    f"resident {fu['resident_id'].iloc[i]!r} has no {c} in the register"
                ),
                f"a {condition} follow-up concerns a resident without {condition}",
            )
        sbp, dbp = fu["systolic_mmhg"], fu["diastolic_mmhg"]
        self.report(
            "followups",
            self.failing("followups", "diastolic_mmhg"),
            "diastolic_mmhg",
            lambda i: "a blood pressure needs both systolic and diastolic values",
            "only one of systolic / diastolic is given",
        )
        self.report(
            "followups",
            self.failing("followups", "systolic_mmhg"),
            "systolic_mmhg",
            lambda i: f"systolic {sbp.iloc[i]} is not above diastolic {dbp.iloc[i]}",
            "systolic is not above diastolic",
        )
        self.within_residence("followups", "date")
        self.institution_active("followups", "institution_id", "date")

    def referrals(self) -> None:
        ref = self.frames["referrals"]
        if ref.empty:
            return
        self.dates_in_period("referrals", "date")
        self.report(
            "referrals",
            self.failing("referrals", "to_institution_id"),
            "to_institution_id",
            lambda i: "a referral must go to another institution",
            "a referral goes back to the referring institution",
        )
        for end in ("from_institution_id", "to_institution_id"):
            self.institution_active("referrals", end, "date")

    def claims(self) -> None:
        claims = self.frames["claims"]
        enc = self.lookup("encounters", "encounter_id")
        if claims.empty or enc.empty:
            return
        enc_date = claims["encounter_id"].map(enc["date"])
        self.report(
            "claims",
            (claims["settled_date"] < enc_date).fillna(False),
            "settled_date",
            lambda i: (
                f"settled on {claims['settled_date'].iloc[i].date()}, before the encounter ({enc_date.iloc[i].date()})"
            ),
            "a claim is settled before its encounter",
        )
        sums = claims.groupby("encounter_id")[
            ["insurance_paid_fen", "out_of_pocket_fen"]
        ].transform("sum")
        total = claims["encounter_id"].map(enc["total_cost_fen"])
        over_ins = (sums["insurance_paid_fen"] > total).fillna(False)
        over_both = (
            (sums["insurance_paid_fen"] + sums["out_of_pocket_fen"] > total) & ~over_ins
        ).fillna(False)

        def paid(i: int) -> str:
            return self.amount("claims", "insurance_paid_fen", sums["insurance_paid_fen"].iloc[i])

        def cost(i: int) -> str:
            return self.amount("encounters", "total_cost_fen", total.iloc[i])

        self.report(
            "claims",
            over_ins,
            "insurance_paid_fen",
            lambda i: (
                f"claims of encounter {claims['encounter_id'].iloc[i]!r} pay {paid(i)} from "
                f"insurance, more than its total cost {cost(i)}"
            ),
            "the claims of an encounter pay more insurance than its total cost",
        )
        self.report(
            "claims",
            over_both,
            "out_of_pocket_fen",
            lambda i: (
                f"claims of encounter {claims['encounter_id'].iloc[i]!r} settle more than its "
                f"total cost {cost(i)}"
            ),
            "the claims of an encounter settle more than its total cost",
        )

    def resources(self) -> None:
        res = self.frames["resources"]
        if res.empty:
            return
        label = self.label("resources")
        self.report(
            "resources",
            self.failing("resources", "year") | res["year"].isna(),
            "year",
            lambda i: f"year {res['year'].iloc[i]} is outside the period {self.ds.period}",
            "the year lies outside the period",
        )
        self.institution_active("resources", "institution_id", "year")
        for part, whole in (
            ("consultation_income_fen", "medical_income_fen"),
            ("personnel_cost_fen", "expense_fen"),
        ):
            self.report(
                "resources",
                self.failing("resources", part),
                part,
                lambda i, p=part, w=whole: (
                    f"{label.column(p)} {label.money(p, res[p].iloc[i])} exceeds "
                    f"{label.column(w)} {label.money(w, res[w].iloc[i])}"
                ),
                f"{label.column(part)} exceeds {label.column(whole)}",
            )


def _checks(c: _Checker) -> Iterator[None]:
    for schema in SCHEMAS.values():
        c.columns(schema)
        c.primary_key(schema)
        c.references(schema)
        yield
    for rule in (
        c.structure,
        c.residents,
        c.encounters,
        c.followups,
        c.referrals,
        c.claims,
        c.resources,
        c.staff_activities,
    ):
        rule()
        yield


def dataset_problems(
    dataset: Dataset, *, unread: Mapping[str, pa.Table] | None = None
) -> list[str]:
    """Every failed check of ``dataset``, as messages naming file, row and column.

    ``unread``: rows left out of ``dataset`` for a cell that could not be read, by
    table (:meth:`Dataset.from_frames`); the ids they hold are known to the references,
    and a record naming one of them is not checked against it."""
    checker = _Checker(dataset, unread)
    for _ in _checks(checker):
        pass
    return checker.problems
