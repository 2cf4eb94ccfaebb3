"""Read Synthea's CSV output as an ihms data set.

`Synthea <https://github.com/synthetichealth/synthea>`_ writes synthetic US patient
records; its CSV exporter's files and columns are described in the Synthea wiki page
"CSV File Data Dictionary". This adapter maps them onto the ihms schema so a standard
synthetic data set flows through the indicators.

The mapping
-----------
``patients.csv`` → ``residents``
    ``Id`` → resident_id; year of ``BIRTHDATE`` → birth_year; ``GENDER`` → sex (blank:
    not known, noted);
    ``COUNTY`` → county, ``COUNTY`` + ``CITY`` → grid (one grid per city);
    ``HEALTHCARE_COVERAGE > 0`` → insured; ``BIRTHDATE`` → entry_date;
    ``DEATHDATE`` + 1 day → exit_date (a resident is present on the day they die).
    No family-physician registration or chronic conditions (not in these files).
``organizations.csv`` → ``institutions``
    ``Id``, ``NAME``; the tier comes from a :class:`TierRule` (regular expressions on the
    name, first match wins, then a default; per-id overrides); the county is the one
    whose patients live in the organisation's ``CITY``, else ``outside``.
``encounters.csv`` → ``encounters``
    ``Id``, ``PATIENT``, ``ORGANIZATION``; date of ``START`` → date;
    ``ENCOUNTERCLASS`` → type by :data:`ENCOUNTER_CLASS_MAP`; ``REASONCODE`` (SNOMED CT)
    → diagnosis_group; ``TOTAL_CLAIM_COST`` → total_cost_fen; ``PAYER_COVERAGE`` →
    insurance_paid_fen; the rest → out_of_pocket_fen; inpatient stays: days from
    ``START`` to ``STOP`` → length_of_stay_days.
``claims_transactions.csv`` (optional) → ``claims``
    Per ``CLAIMID``: ``PAYMENT`` rows paid by ``ECHECK`` (the payer) → insurance_paid_fen;
    ``PAYMENT`` rows by ``COPAY``, ``CASH``, ``CHECK`` or ``CC`` (the patient) →
    out_of_pocket_fen; latest ``TODATE`` (else ``FROMDATE``) → settled_date;
    ``APPOINTMENTID`` → encounter_id. ``ADJUSTMENT`` rows are write-offs and go to
    neither payer.
``providers.csv`` (optional) → ``resources``
    Clinicians per organisation: speciality ``GENERAL PRACTICE`` → gps, others →
    specialists, the same for every year of the period.

Money: Synthea's amounts are dollars with two decimals. They are read exactly as cents
and multiplied by ``currency_rate`` (yuan per Synthea currency unit; default 1, i.e. the
amounts are taken as "currency units" counted as yuan) with half-even rounding to fen.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd

from ihms._layout import first_row
from ihms.data._coerce import yuan_to_fen
from ihms.data._files import drop_empty_rows
from ihms.data.adapters._synthea_claims import ClaimRecords
from ihms.data.adapters._synthea_tiers import TierRule
from ihms.data.dataset import Dataset, Period, RowLabels
from ihms.errors import DataError, InputError, format_location

__all__ = ["ENCOUNTER_CLASS_MAP", "TierRule", "read_synthea"]

ENCOUNTER_CLASS_MAP: Mapping[str, str] = MappingProxyType(
    {
        "ambulatory": "outpatient",
        "outpatient": "outpatient",
        "virtual": "outpatient",
        "urgentcare": "emergency",
        "emergency": "emergency",
        "inpatient": "inpatient",
        "snf": "inpatient",
        "hospice": "inpatient",
        "wellness": "preventive",
        "home": "chronic_followup",
    }
)
"""Synthea ``ENCOUNTERCLASS`` → ihms encounter type. Urgent care is unscheduled
same-day care, counted with emergencies as Chinese statistics count 急诊; wellness
visits are check-ups, i.e. healthcare (preventive) visits; home visits are the
follow-ups a village doctor makes."""


def _slug(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "-", str(text).lower()).strip("-") or "unknown"


#: The column :func:`_read` adds: each record's row of its file.
_FILE_ROW = "_ihms_file_row"
#: The Synthea columns a claim's columns are read from, which messages name.
_CLAIM_COLUMNS = {
    "claim_id": "CLAIMID",
    "encounter_id": "APPOINTMENTID",
    "settled_date": "TODATE",
    "insurance_paid_fen": "PAYMENTS",
    "out_of_pocket_fen": "PAYMENTS",
}


def _read(
    folder: Path, name: str, columns: list[str], *, required: bool = True
) -> pd.DataFrame | None:
    """The file's records as text, each with its row of the file in :data:`_FILE_ROW`,
    numbered by the one rule of every reader (:func:`ihms._layout.first_row`): blank
    lines are rows of the file but no records."""
    path = folder / name
    if not path.exists():
        if required:
            raise InputError(f"{folder}: no {name} (Synthea's CSV exporter writes it)")
        return None
    frame = pd.read_csv(
        path, dtype=str, keep_default_na=False, encoding="utf-8-sig", skip_blank_lines=False
    )
    frame.columns = [c.strip().upper() for c in frame.columns]
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataError(
            f"{name}: not Synthea's format", [f"{name}: missing column '{c}'" for c in missing]
        )
    first = first_row(frame)
    rows = first + np.arange(len(frame))
    frame, blank = drop_empty_rows(frame, first_row=first)
    return frame.assign(**{_FILE_ROW: rows[~np.isin(rows, blank)]})


def _labels(file: str, kept: pd.Series, read: pd.Series, first: int) -> RowLabels:
    """Row labels naming the rows of ``file`` that hold a table's records, ``kept``
    (ascending), among the file's records ``read`` (``first``: the file's first record
    row): the file's other rows before the last kept are counted, the blank lines among
    them as empty rows (``skipped``), the records left out (born after the period, an
    encounter outside it) as ``left_out``, which no note calls empty."""
    kept_rows = kept.to_numpy(dtype=np.int64)
    last = kept_rows.max() if len(kept_rows) else first - 1
    every = np.arange(first, last + 1)
    records = read.to_numpy(dtype=np.int64)
    blank = np.setdiff1d(every, records)
    gone = np.setdiff1d(records[records <= last], kept_rows)
    return RowLabels(
        file,
        first,
        skipped=tuple(int(r) for r in blank),
        left_out=tuple(int(r) for r in gone),
    )


def _money(
    frame: pd.DataFrame, column: str, rate: Decimal, file: str, problems: list[str]
) -> pd.Series:
    """``frame[column]``'s amounts in fen × ``rate``; a bad one named by its file row."""
    values = frame[column]
    cents, bad = yuan_to_fen(values)
    for i in np.flatnonzero(bad.to_numpy())[:20]:
        where = format_location(file=file, row=int(frame[_FILE_ROW].iloc[i]), field=column)
        problems.append(f"{where}: expected an amount, got {values.iloc[i]!r}")
    num, den = rate.as_integer_ratio()
    # half-even rounding of cents * num / den, in integers
    scaled = cents.astype("Int64") * num
    q, r = scaled // den, scaled % den
    up = (2 * r > den) | ((2 * r == den) & (q % 2 == 1))
    return (q + up.astype("Int64")).astype("Int64")


def _dates(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values.str.slice(0, 10), format="%Y-%m-%d", errors="coerce")


def read_synthea(
    folder: str | Path,
    *,
    period: Period | None = None,
    tier_rule: TierRule | None = None,
    currency_rate: Decimal | str | int = 1,
    encounter_classes: Mapping[str, str] = ENCOUNTER_CLASS_MAP,
) -> Dataset:
    """Read a Synthea CSV folder as a validated :class:`Dataset` with raw ids.

    Parameters
    ----------
    folder
        Holds ``patients.csv``, ``organizations.csv``, ``encounters.csv`` and optionally
        ``claims_transactions.csv`` and ``providers.csv``.
    period
        Keep the records of this period; default: the whole calendar years the
        encounters span.
    tier_rule
        How organisations get their tier (default :class:`TierRule()`).
    currency_rate
        Yuan per Synthea currency unit (exact decimal); 1 treats amounts as yuan.
    encounter_classes
        ``ENCOUNTERCLASS`` → ihms encounter type (default :data:`ENCOUNTER_CLASS_MAP`).
    """
    folder = Path(folder)
    rule = tier_rule or TierRule()
    rate = Decimal(str(currency_rate))
    if rate <= 0:
        raise InputError(f"currency_rate: expected a positive number, got {currency_rate!r}")
    patients = _read(
        folder,
        "patients.csv",
        ["ID", "BIRTHDATE", "DEATHDATE", "GENDER", "CITY", "COUNTY", "HEALTHCARE_COVERAGE"],
    )
    orgs = _read(folder, "organizations.csv", ["ID", "NAME", "CITY"])
    enc = _read(
        folder,
        "encounters.csv",
        [
            "ID",
            "START",
            "STOP",
            "PATIENT",
            "ORGANIZATION",
            "ENCOUNTERCLASS",
            "REASONCODE",
            "TOTAL_CLAIM_COST",
            "PAYER_COVERAGE",
        ],
    )
    tx = _read(
        folder,
        "claims_transactions.csv",
        ["CLAIMID", "TYPE", "METHOD", "PAYMENTS", "FROMDATE", "TODATE", "APPOINTMENTID"],
        required=False,
    )
    providers = _read(folder, "providers.csv", ["ORGANIZATION", "SPECIALITY"], required=False)
    problems: list[str] = []

    enc_date = _dates(enc["START"])
    if period is None:
        if enc_date.notna().any():
            period = Period.parse(str(enc_date.min().year), str(enc_date.max().year))
        else:
            raise InputError(f"{folder}/encounters.csv: no dated encounters to take a period from")
    start, end = pd.Timestamp(period.start), pd.Timestamp(period.end)

    # -- geography ---------------------------------------------------------------------------
    county = patients["COUNTY"].map(_slug)
    grid = county + ":" + patients["CITY"].map(_slug)
    city_county = dict(zip(patients["CITY"].map(_slug), county, strict=True))
    org_county = orgs["CITY"].map(_slug).map(city_county).fillna("outside")
    county_ids = sorted(set(county))
    counties = pd.DataFrame(
        {
            "county_id": [*county_ids, "outside"],
            "name": [patients.loc[county == c, "COUNTY"].iloc[0] for c in county_ids]
            + ["Outside the study area"],
            "city": [c for c in county_ids] + ["outside"],
            "kind": "county",
            "study": [True] * len(county_ids) + [False],
        }
    )
    grids = pd.DataFrame(
        {"grid_id": grid, "name": patients["CITY"], "county_id": county}
    ).drop_duplicates("grid_id")
    org_city_grid = orgs["CITY"].map(_slug)
    org_grid = [
        f"{c}:{g}" if c != "outside" else None
        for c, g in zip(org_county, org_city_grid, strict=True)
    ]
    institutions = pd.DataFrame(
        {
            "institution_id": orgs["ID"],
            "name": orgs["NAME"],
            "tier": [rule.tier_of(i, n) for i, n in zip(orgs["ID"], orgs["NAME"], strict=True)],
            "affiliation": rule.affiliation,
            "ownership": "public",
            "county_id": org_county,
            "grid_id": org_grid,
        }
    )

    # -- residents ---------------------------------------------------------------------------
    birth = _dates(patients["BIRTHDATE"])
    death = _dates(patients["DEATHDATE"].where(patients["DEATHDATE"] != ""))
    coverage = pd.to_numeric(
        patients["HEALTHCARE_COVERAGE"].replace("", "0"), errors="coerce"
    ).fillna(0)
    residents = pd.DataFrame(
        {
            "resident_id": patients["ID"],
            "birth_year": birth.dt.year.astype("Int16"),
            "sex": patients["GENDER"],
            "grid_id": grid,
            "insured": coverage > 0,
            "fp_registered": False,
            "hypertension": False,
            "diabetes": False,
            "entry_date": birth,
            "exit_date": death + timedelta(days=1),
        }
    )
    born = ~(residents["entry_date"] > end)
    resident_rows = patients[_FILE_ROW][born]
    residents = residents[born].reset_index(drop=True)

    # -- encounters --------------------------------------------------------------------------
    keep = ((enc_date >= start) & (enc_date <= end)).to_numpy()
    enc_rows, enc_first = enc[_FILE_ROW], first_row(enc)
    enc = enc[keep].reset_index(drop=True)
    enc_date = enc_date[keep].reset_index(drop=True)
    cls = enc["ENCOUNTERCLASS"].str.strip().str.lower()
    etype = cls.map(dict(encounter_classes))
    for i in np.flatnonzero(etype.isna().to_numpy())[:50]:
        problems.append(
            f"{format_location(file='encounters.csv', row=int(enc[_FILE_ROW].iloc[i]), field='ENCOUNTERCLASS')} (encounter {enc['ID'].iloc[i]}): "
            f"no ihms type for class {cls.iloc[i]!r}; known: {', '.join(encounter_classes)}"
        )
    total = _money(enc, "TOTAL_CLAIM_COST", rate, "encounters.csv", problems)
    covered = _money(enc, "PAYER_COVERAGE", rate, "encounters.csv", problems)
    stop = _dates(enc["STOP"])
    los = (stop - enc_date).dt.days.astype("Int32").where(etype == "inpatient")
    encounters = pd.DataFrame(
        {
            "encounter_id": enc["ID"],
            "resident_id": enc["PATIENT"],
            "institution_id": enc["ORGANIZATION"],
            "date": enc_date,
            "type": etype,
            "diagnosis_group": enc["REASONCODE"],
            "total_cost_fen": total,
            "insurance_paid_fen": covered,
            "out_of_pocket_fen": (total - covered).clip(lower=0),
            "length_of_stay_days": los,
        }
    )

    frames: dict[str, pd.DataFrame] = {
        "counties": counties,
        "grids": grids,
        "institutions": institutions,
        "residents": residents,
        "encounters": encounters,
    }
    labels = {
        "residents": _labels(
            "patients.csv", resident_rows, patients[_FILE_ROW], first_row(patients)
        ),
        "institutions": _labels(
            "organizations.csv", orgs[_FILE_ROW], orgs[_FILE_ROW], first_row(orgs)
        ),
        "encounters": _labels("encounters.csv", enc[_FILE_ROW], enc_rows, enc_first),
    }

    if tx is not None:
        tx_read, tx_first = tx[_FILE_ROW], first_row(tx)
        tx = tx[tx["APPOINTMENTID"].isin(set(encounters["encounter_id"]))].reset_index(drop=True)
        tx = tx.assign(PAYMENTS=tx["PAYMENTS"].replace("", "0"))
        paid = _money(tx, "PAYMENTS", rate, "claims_transactions.csv", problems)
        is_pay = tx["TYPE"].str.upper() == "PAYMENT"
        method = tx["METHOD"].str.upper()
        tx = tx.assign(
            ins=paid.where(is_pay & (method == "ECHECK"), 0),
            oop=paid.where(is_pay & method.isin(["COPAY", "CASH", "CHECK", "CC"]), 0),
            when=_dates(tx["TODATE"].where(tx["TODATE"] != "", tx["FROMDATE"])),
        )
        claims = (
            tx.groupby("CLAIMID", sort=True)
            .agg(
                encounter_id=("APPOINTMENTID", "first"),
                settled_date=("when", "max"),
                insurance_paid_fen=("ins", "sum"),
                out_of_pocket_fen=("oop", "sum"),
            )
            .reset_index()
            .rename(columns={"CLAIMID": "claim_id"})
        )
        # each claim named by its CLAIMID at its first row (its CHARGE line, as Synthea
        # writes a claim's transactions), with the PAYMENT rows its amounts sum
        by_claim = tx.groupby("CLAIMID", sort=True)
        at = by_claim[_FILE_ROW].min().astype(np.int64)
        records = ClaimRecords(
            at.index,
            at.to_numpy(),
            by_claim.ngroup().to_numpy(),
            tx[_FILE_ROW].to_numpy(),
            is_pay.to_numpy(dtype=bool, na_value=False),
        )
        claims = claims.assign(_at=claims["claim_id"].map(at)).sort_values("_at")
        frames["claims"] = claims.drop(columns="_at").reset_index(drop=True)
        labels["claims"] = dataclasses.replace(
            _labels("claims_transactions.csv", claims["_at"], tx_read, tx_first),
            renamed=_CLAIM_COLUMNS,
            records=records,
            notes=(
                "claims_transactions.csv: one claim per CLAIMID, its amounts the sums of its "
                "PAYMENT rows; a problem names the claim's first row, its CLAIMID and its "
                "PAYMENT rows",
            ),
        )

    if providers is not None:
        gp = providers["SPECIALITY"].str.strip().str.upper() == "GENERAL PRACTICE"
        counts = (
            providers.assign(gp=gp, sp=~gp)
            .groupby("ORGANIZATION")[["gp", "sp"]]
            .sum()
            .reset_index()
        )
        counts = counts[counts["ORGANIZATION"].isin(set(institutions["institution_id"]))]
        frames["resources"] = pd.DataFrame(
            [
                {"institution_id": o, "year": y, "gps": int(g), "specialists": int(s)}
                for o, g, s in zip(counts["ORGANIZATION"], counts["gp"], counts["sp"], strict=True)
                for y in period.years
            ],
            columns=["institution_id", "year", "gps", "specialists"],
        )

    if problems:
        raise DataError(f"{len(problems)} problem(s) reading Synthea files in {folder}", problems)
    return Dataset.from_frames(
        frames, period=period, id_scheme="raw", source=f"synthea:{folder}", labels=labels
    )
