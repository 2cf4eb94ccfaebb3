"""``ihms system``: check a delivery-system file, report coverage, show its contents."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ihms.cli._common import IhmsGroup, console, print_json
from ihms.errors import InputError

if TYPE_CHECKING:  # pandas loads on use, so `ihms --help` starts fast
    import pandas as pd

app = typer.Typer(
    cls=IhmsGroup,
    no_args_is_help=True,
    help="The delivery system: institutions, grids, consortia, referral pathway, coverage.",
)

FileArg = Annotated[
    Path, typer.Argument(help="Delivery-system YAML file (e.g. examples/youxi.yaml).")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]
YearOpt = Annotated[int | None, typer.Option("--year", help="Year to look at (default: the last).")]
WHAT = ("summary", "institutions", "grids", "consortia", "referrals")


def _load(path: Path):
    from ihms.system import load_system

    return load_system(path)


def _overview(system) -> dict:
    from collections import Counter

    return {
        "name": system.name,
        "period": [d.isoformat() for d in system.period] if system.period else None,
        "study_counties": list(system.study_counties),
        "counties": len(system.counties),
        "grids": len(system.grids),
        "institutions": len(system.institutions),
        "institutions_by_tier": dict(Counter(i.tier.value for i in system.institutions)),
        "consortia": [
            {
                "id": c.id,
                "type": c.type.value,
                "integration": c.integration.value,
                "members": len(c.members),
            }
            for c in system.consortia
        ],
        "population": {y: system.population(y) for y in system.years},
        "extensions": sorted(system.extensions),
    }


@app.command()
def check(file: FileArg, json: JsonOpt = False) -> None:
    """Check a system file against the format and the consortium rules."""
    system = _load(file)
    info = _overview(system)
    if json:
        print_json({"ok": True, **info})
        return
    counts = ", ".join(
        _count(n, one, many)
        for n, one, many in (
            (info["counties"], "county", "counties"),
            (info["grids"], "grid", "grids"),
            (info["institutions"], "institution", "institutions"),
            (len(system.consortia), "consortium", "consortia"),
        )
    )
    console.print(f"[green]ok[/green] {file.name}: {system.name} — {counts}; no problems found.")


def _count(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


@app.command()
def coverage(file: FileArg, year: YearOpt = None, json: JsonOpt = False) -> None:
    """Population, institutions and grids the consortia cover (seed 001's shares)."""
    from ihms.system import coverage as compute_coverage

    system = _load(file)
    if year is None and system.years:
        year = system.years[-1]
    cov = compute_coverage(system, year=year)
    if json:
        print_json(cov.to_dict())
        return
    console.print(cov.summary())


def _institutions(system, year: int | None) -> pd.DataFrame:
    import pandas as pd

    rows = [
        {
            "id": i.id,
            "name": i.name,
            "tier": i.tier.value,
            "affiliation": i.affiliation.value,
            "county": i.county,
            "grid": i.grid or "",
            "consortia": ", ".join(c.id for c in system.memberships(i.id)),
        }
        for i in system.institutions
        if year is None or i.active_in(year)
    ]
    return pd.DataFrame(rows).set_index("id")


def _frame(system, what: str, year: int | None) -> pd.DataFrame:
    import pandas as pd

    if what == "institutions":
        return _institutions(system, year)
    if what == "grids":
        return pd.DataFrame(
            [
                {
                    "id": g.id,
                    "name": g.name,
                    "county": g.county,
                    "population": g.population.get(year) if year else None,
                    "consortia": ", ".join(c.id for c in system.grid_consortia(g.id, year)),
                }
                for g in system.grids
            ]
        ).set_index("id")
    if what == "consortia":
        return pd.DataFrame(
            [
                {
                    "id": c.id,
                    "name": c.name,
                    "type": c.type.value,
                    "integration": c.integration.value,
                    "lead": c.lead,
                    "members": len(c.members),
                    "grids": len(c.grids),
                    "years": f"{c.start_year or ''}–{c.end_year or ''}",
                    "refers up to": ", ".join(c.refers_up_to),
                }
                for c in system.consortia
            ]
        ).set_index("id")
    from ihms.system import referral_pathway

    return referral_pathway(system).to_frame().set_index("institution_id")


@app.command()
def show(
    file: FileArg,
    what: Annotated[str, typer.Option("--what", help=f"One of: {', '.join(WHAT)}.")] = "summary",
    year: YearOpt = None,
    json: JsonOpt = False,
) -> None:
    """Show a system's institutions, grids, consortia or referral pathway."""
    import pandas as pd

    from ihms.summary import SummaryTable

    if what not in WHAT:
        raise InputError(f"--what: expected one of {', '.join(WHAT)}, got {what!r}")
    system = _load(file)
    if what == "summary":
        info = _overview(system)
        if json:
            print_json(info)
            return
        frame = pd.DataFrame(
            [(k, v if not isinstance(v, (list, dict)) else str(v)) for k, v in info.items()],
            columns=["item", "value"],
        ).set_index("item")
        console.print(SummaryTable(frame, title=f"{system.name} ({file.name})"))
        return
    if year is None and what in ("grids",) and system.years:
        year = system.years[-1]
    frame = _frame(system, what, year)
    if json:
        print_json(frame.reset_index())
        return
    title = f"{system.name}: {what}" + (f" ({year})" if year else "")
    console.print(SummaryTable(frame, title=title))
