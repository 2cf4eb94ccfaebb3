"""The declarations of the data schema's tables (:data:`ihms.data.SCHEMAS` holds them).

Kept apart from :mod:`ihms.data.schema`, which gives them a version and an index by name.
"""

from __future__ import annotations

from ihms.data._columns import Column, TableSchema
from ihms.sources import GAO_2022
from ihms.system._enums import StaffActivity
from ihms.system.model import Affiliation, ConsortiumType, Integration, Ownership, Tier

__all__ = ["CONDITIONS", "ENCOUNTER_TYPES", "MAX_ENCOUNTER_COST_FEN", "TABLES"]

#: Sanity ceiling on one encounter's cost (100 million yuan): catches yuan/fen slips.
MAX_ENCOUNTER_COST_FEN = 100_000_000 * 100

ENCOUNTER_TYPES = ("outpatient", "emergency", "inpatient", "preventive", "chronic_followup")
CONDITIONS = ("hypertension", "diabetes")


def _values(enum) -> tuple[str, ...]:
    return tuple(e.value for e in enum)


_C = Column
_INST = "institutions.institution_id"
_RES = "residents.resident_id"

TABLES = (
    TableSchema(
        "counties",
        "County-level divisions: the study county and any place residents are treated in.",
        (
            _C("county_id", "string", "County id."),
            _C("name", "string", "Display name."),
            _C("city", "string", "Prefecture-level city."),
            _C(
                "kind",
                "string",
                "county (县) or district (市辖区).",
                allowed=("county", "district"),
            ),
            _C("study", "bool", "True for the counties whose residents the data describe."),
        ),
        ("county_id",),
        structural=True,
    ),
    TableSchema(
        "grids",
        f"Territories a consortium serves ({GAO_2022}, section 2.4).",
        (
            _C("grid_id", "string", "Grid id."),
            _C("name", "string", "Display name."),
            _C("county_id", "string", "County the grid lies in.", references="counties.county_id"),
        ),
        ("grid_id",),
        structural=True,
    ),
    TableSchema(
        "institutions",
        "Health-care institutions, inside and outside the study county.",
        (
            _C("institution_id", "string", "Institution id, used by every other table."),
            _C("name", "string", "Display name."),
            _C("tier", "string", "Level of care.", allowed=_values(Tier)),
            _C("affiliation", "string", "Who administers it.", allowed=_values(Affiliation)),
            _C("ownership", "string", "Ownership.", allowed=_values(Ownership)),
            _C("county_id", "string", "County it stands in.", references="counties.county_id"),
            _C(
                "grid_id",
                "string",
                "Grid it stands in.",
                required=False,
                references="grids.grid_id",
            ),
            _C("active_from", "int16", "First year it operates.", required=False, unit="year"),
            _C("active_to", "int16", "Last year it operates.", required=False, unit="year"),
        ),
        ("institution_id",),
        structural=True,
    ),
    TableSchema(
        "consortia",
        "Medical consortia (医联体).",
        (
            _C("consortium_id", "string", "Consortium id."),
            _C("name", "string", "Display name."),
            _C(
                "type", "string", "One of the four official types.", allowed=_values(ConsortiumType)
            ),
            _C("integration", "string", "Integration degree.", allowed=_values(Integration)),
            _C("lead_institution_id", "string", "Lead institution.", references=_INST),
            _C("start_year", "int16", "First year.", required=False, unit="year"),
            _C("end_year", "int16", "Last year.", required=False, unit="year"),
        ),
        ("consortium_id",),
        structural=True,
    ),
    TableSchema(
        "consortium_members",
        "Which institutions belong to which consortium.",
        (
            _C("consortium_id", "string", "Consortium.", references="consortia.consortium_id"),
            _C("institution_id", "string", "Member institution.", references=_INST),
        ),
        ("consortium_id", "institution_id"),
        structural=True,
    ),
    TableSchema(
        "consortium_grids",
        "Which grids a consortium serves.",
        (
            _C("consortium_id", "string", "Consortium.", references="consortia.consortium_id"),
            _C("grid_id", "string", "Grid served.", references="grids.grid_id"),
        ),
        ("consortium_id", "grid_id"),
        structural=True,
    ),
    TableSchema(
        "residents",
        "The population register: one row per resident of the study counties. Present on "
        "a day: entry_date on or before it (or null), exit_date after it (or null); a rate "
        "divides by the mean of the counts at a period's start and end, or the end count.",
        (
            _C("resident_id", "string", "Pseudonymous (or synthetic) resident id."),
            _C("birth_year", "int16", "Year of birth.", unit="year", min=1880, max=2100),
            _C(
                "sex",
                "string",
                "F or M; null if not known (GB/T 2261.1 codes 0 未知的性别 and 9 未说明的性别 "
                "read as null).",
                required=False,
                allowed=("F", "M"),
            ),
            _C("grid_id", "string", "Grid of residence.", references="grids.grid_id"),
            _C("insured", "bool", "Covered by basic medical insurance."),
            _C(
                "fp_registered",
                "bool",
                "Registered with a family physician (签约) on the resident's last day in the "
                "data (the period's end, or the day before exit_date).",
            ),
            _C(
                "fp_registered_date",
                "date",
                "Date that registration began (null if not registered, or the date is "
                "unknown). Before exit_date, not after the period's end, not before the "
                "birth year; it may precede entry_date (signed before the register recorded "
                "the arrival). A resident counts as registered on a day when present and "
                "registered by then; a registration that lapsed earlier is not recorded.",
                required=False,
            ),
            _C(
                "fp_institution_id",
                "string",
                "Institution of the family physician (null if unknown or not registered).",
                required=False,
                references=_INST,
            ),
            _C("hypertension", "bool", "Diagnosed hypertension (under management or not)."),
            _C("diabetes", "bool", "Diagnosed type 2 diabetes."),
            _C(
                "entry_date",
                "date",
                "Date the resident joined (birth, moving in); null = before the data.",
                required=False,
            ),
            _C(
                "exit_date",
                "date",
                "Date the resident left (death, moving out); null = still present.",
                required=False,
            ),
        ),
        ("resident_id",),
    ),
    TableSchema(
        "resources",
        "Institution resources by year (year-end head counts; money in fen).",
        (
            _C("institution_id", "string", "Institution.", references=_INST),
            _C("year", "int16", "Calendar year.", unit="year"),
            _C("beds", "int32", "Open curative-care beds.", required=False, min=0),
            _C("gps", "int32", "Practising physicians registered as GPs.", required=False, min=0),
            _C(
                "specialists",
                "int32",
                "Practising physicians who are not GPs.",
                required=False,
                min=0,
            ),
            _C("nurses", "int32", "Registered nurses.", required=False, min=0),
            _C("health_workers", "int32", "All health personnel.", required=False, min=0),
            _C(
                "revenue_fen", "int64", "Total revenue (总收入).", required=False, unit="fen", min=0
            ),
            _C(
                "medical_income_fen",
                "int64",
                "Medical-service income (医疗收入).",
                required=False,
                unit="fen",
                min=0,
            ),
            _C(
                "consultation_income_fen",
                "int64",
                "Consultation fees (诊察费).",
                required=False,
                unit="fen",
                min=0,
            ),
            _C(
                "expense_fen", "int64", "Total expense (总费用).", required=False, unit="fen", min=0
            ),
            _C(
                "personnel_cost_fen",
                "int64",
                "Personnel expense (人员经费).",
                required=False,
                unit="fen",
                min=0,
            ),
        ),
        ("institution_id", "year"),
    ),
    TableSchema(
        "encounters",
        "Every contact of a resident with an institution. Amounts are at the point of "
        "service; settled claims (table claims) replace them where they differ.",
        (
            _C("encounter_id", "string", "Encounter id."),
            _C("resident_id", "string", "Resident.", references=_RES),
            _C("institution_id", "string", "Where the care took place.", references=_INST),
            _C("date", "date", "Visit date, or admission date for an inpatient stay."),
            _C(
                "type",
                "string",
                "Kind of encounter; preventive = healthcare visits (check-ups, health guidance).",
                allowed=ENCOUNTER_TYPES,
            ),
            _C(
                "diagnosis_group",
                "string",
                "Diagnosis group (e.g. ICD-10 3-character code).",
                required=False,
            ),
            _C(
                "total_cost_fen",
                "int64",
                "Total cost; above 100 million yuan (a sanity ceiling) is refused as a slip.",
                unit="fen",
                min=0,
                max=MAX_ENCOUNTER_COST_FEN,
            ),
            _C(
                "insurance_paid_fen",
                "int64",
                "Paid by medical insurance; at most total_cost_fen.",
                unit="fen",
                min=0,
            ),
            _C(
                "out_of_pocket_fen",
                "int64",
                "Paid by the resident; insurance + out-of-pocket at most total_cost_fen (the rest: other payers).",
                unit="fen",
                min=0,
            ),
            _C(
                "length_of_stay_days",
                "int32",
                "Inpatient days (required for inpatient stays, null otherwise).",
                required=False,
                unit="days",
                min=0,
            ),
            _C(
                "referred_from_id",
                "string",
                "Institution that referred the resident here (recorded and checked; the "
                "referral counts read the referrals table only, so give each referral "
                "there too).",
                required=False,
                references=_INST,
            ),
            _C(
                "referred_to_id",
                "string",
                "Institution the resident was referred on to (recorded and checked; the "
                "referral counts read the referrals table only).",
                required=False,
                references=_INST,
            ),
        ),
        ("encounter_id",),
    ),
    TableSchema(
        "referrals",
        "Referrals between institutions; direction (up, down, lateral) follows the tiers.",
        (
            _C("referral_id", "string", "Referral id."),
            _C("resident_id", "string", "Resident referred.", references=_RES),
            _C("date", "date", "Date of the referral."),
            _C("from_institution_id", "string", "Referring institution.", references=_INST),
            _C("to_institution_id", "string", "Receiving institution.", references=_INST),
            _C("diagnosis_group", "string", "Diagnosis group.", required=False),
            _C(
                "encounter_id",
                "string",
                "Encounter at which the referral was made.",
                required=False,
                references="encounters.encounter_id",
            ),
        ),
        ("referral_id",),
    ),
    TableSchema(
        "followups",
        "Chronic-disease follow-ups (随访) with their measurements. Management and control "
        "are derived from these rows (see the indicator catalogue), never stored.",
        (
            _C("followup_id", "string", "Follow-up id."),
            _C(
                "resident_id",
                "string",
                "Resident (must carry the condition in the register).",
                references=_RES,
            ),
            _C("institution_id", "string", "Institution that did the follow-up.", references=_INST),
            _C("date", "date", "Date of the follow-up."),
            _C("condition", "string", "Condition followed up.", allowed=CONDITIONS),
            _C(
                "systolic_mmhg",
                "int16",
                "Systolic blood pressure.",
                required=False,
                unit="mmHg",
                min=50,
                max=300,
            ),
            _C(
                "diastolic_mmhg",
                "int16",
                "Diastolic blood pressure.",
                required=False,
                unit="mmHg",
                min=20,
                max=200,
            ),
            _C(
                "fasting_glucose_mmol_l",
                "float64",
                "Fasting plasma glucose.",
                required=False,
                unit="mmol/L",
                min=0.5,
                max=50,
            ),
            _C(
                "encounter_id",
                "string",
                "Encounter the follow-up was part of.",
                required=False,
                references="encounters.encounter_id",
            ),
        ),
        ("followup_id",),
    ),
    TableSchema(
        "claims",
        "Settled insurance claims, where settlement differs from the encounter's amounts "
        "(adjustments, later settlement). Where an encounter has claims, their sums replace "
        "its insurance_paid_fen and out_of_pocket_fen.",
        (
            _C("claim_id", "string", "Claim id."),
            _C(
                "encounter_id", "string", "Encounter settled.", references="encounters.encounter_id"
            ),
            _C("settled_date", "date", "Settlement date."),
            _C("insurance_paid_fen", "int64", "Paid by medical insurance.", unit="fen", min=0),
            _C("out_of_pocket_fen", "int64", "Paid by the resident.", unit="fen", min=0),
        ),
        ("claim_id",),
    ),
    TableSchema(
        "staff_activities",
        "Activities of the staff paid by annual salary that their scorecards count (the "
        "online supervision system's records): one row per staff member, day, activity "
        "and place. A consultation day is at a township or community health centre or "
        "a village clinic (primary care), not at the staff member's own institution.",
        (
            _C("staff_id", "string", "Pseudonymous (or synthetic) staff id."),
            _C("institution_id", "string", "The staff member's own institution.", references=_INST),
            _C("date", "date", "Day of the activity."),
            _C(
                "activity",
                "string",
                "health_education_session (a health education session held) or "
                "thc_consultation_day (a day consulting at a primary-care centre).",
                allowed=_values(StaffActivity),
            ),
            _C(
                "host_institution_id",
                "string",
                "Where it took place: required for a consultation day (a primary-care "
                "institution); optional for a session.",
                required=False,
                references=_INST,
            ),
        ),
        ("staff_id", "date", "activity", "host_institution_id"),
    ),
)
