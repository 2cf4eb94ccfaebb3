"""Demo step: the report's opening brief — what the numbers mean, for a health commission.

Runs last and is placed first. It computes nothing of its own: each paragraph restates a
figure an earlier step left in ``ctx.artefacts`` (the calibration, the county indicators,
the settlements, the ITS fits, the coders' and the machine's kappas) and points to the
section that shows the working. A paragraph whose step did not run is left out.
"""

from __future__ import annotations

from ihms.demo._payment_text import million
from ihms.demo._run import DemoContext
from ihms.errors import InputError
from ihms.payment import study_county
from ihms.report import Section
from ihms.summary import p_text

__all__ = ["brief_sections"]


def _calibration(ctx: DemoContext) -> str | None:
    cal = ctx.artefacts.get("calibration")
    if cal is None:
        return None
    gated = cal.frame["within"].dropna()
    ok = int(gated.astype(bool).sum())
    verdict = (
        "every one is within its rule"
        if ok == len(gated)
        else f"{len(gated) - ok} fall outside: {', '.join(cal.failures)}"
    )
    head = (
        "The simulated county resembles Youxi."
        if ok == len(gated)
        else "The simulated county departs from Youxi on some figures."
    )
    departs = cal.departures
    shown = (
        f" Of the {int(cal.frame['within'].isna().sum())} figures shown for comparison, "
        f"{len(departs)} {'departs' if len(departs) == 1 else 'depart'} from Youxi's; the "
        "calibration section says which and why."
        if departs
        else ""
    )
    return (
        f"**{head}** Of the {len(gated)} published figures the "
        "simulation is held to (seed 002, Tables 3–5: hospitalization rate, healthcare visits "
        "and their primary-care share, chronic-disease management and control, the ITS slope "
        f"changes of the county hospitals' volumes and costs), {verdict} — see "
        f"'Calibration'.{shown} What follows is therefore a plausible county, not Youxi's "
        "records."
    )


def _indicators(ctx: DemoContext) -> str | None:
    res = ctx.artefacts.get("indicator_results")
    store = ctx.artefacts.get("store")
    if res is None or store is None:
        return None
    try:
        county = study_county(store)
        share = res.series("healthcare_visits_primary_share", county)
        hosp = res.series("hospitalization_rate", county)
    except InputError:  # the indicators step ran on other data
        return None
    first, last = share.index[0], share.index[-1]
    head = (
        "Care moved to the grassroots."
        if share.iloc[-1] > share.iloc[0]
        else "Care did not move to primary care."
    )
    return (
        f"**{head}** The share of healthcare visits made in primary "
        f"care went from {share.iloc[0]:.1f} % in {first} to {share.iloc[-1]:.1f} % in {last}, "
        f"and the hospitalization rate from {hosp.iloc[0]:.1f} to {hosp.iloc[-1]:.1f} admissions "
        "per 100 residents (seed 002, Table 4, reports 50.8 % → 69.2 % and 17.0 % → 16.3 %) — see "
        "'Indicators'."
    )


def _year_payment(rec) -> str:
    """One settled year in a clause, each amount worded by what it is (a zero is none)."""
    if rec.overspend_fen:
        return f"spending exceeded the budget by {million(rec.overspend_fen)}"
    if not rec.balance_fen:
        return "spending matched the budget to the fen"
    balance = f"a balance of {million(rec.balance_fen)} remained"
    if not rec.retained_fen:
        why = " (the consortium failed its assessment)" if rec.assessment_passed is False else ""
        return f"{balance}, none of it kept{why}"
    kept = (
        "" if rec.retained_fen == rec.balance_fen else f", {million(rec.retained_fen)} of it kept"
    )
    staff = rec.distribution.staff_incentive_fen
    return f"{balance}{kept}, " + (
        f"{million(staff)} of it for staff incentives"
        if staff
        else "none of it for staff incentives"
    )


def _payment(ctx: DemoContext) -> str | None:
    records = ctx.artefacts.get("payment_records")
    if not records:
        return None
    parts = [f"in {year} {_year_payment(rec)}" for year, rec in sorted(records.items())]
    if any(rec.retained_fen for rec in records.values()):
        head = "The global budget left the consortium a balance to keep."
    elif any(rec.overspend_fen for rec in records.values()):
        head = "The global budget was not enough."
    else:
        head = "The global budget left the consortium nothing to keep."
    return (
        f"**{head}** Settled under Sanming's rules, "
        + "; ".join(parts)
        + ". Under the other areas' ratchet the same savings would have shrunk the next "
        "year's budget instead — see 'Why the budget rule matters'."
    )


def _its(ctx: DemoContext) -> str | None:
    fits = ctx.artefacts.get("its")
    if not fits or "outpatient_emergency_visits" not in fits:
        return None
    v = fits["outpatient_emergency_visits"]
    h = fits.get("hospitalizations")
    term = next(t for t in v.params.index if t.startswith("_x_t"))

    def said(res, what: str) -> str:
        b, p = float(res.params[term]), float(res.pvalues[term])
        direction = "slowed" if b < 0 else "quickened"
        return f"the monthly growth of {what} {direction} by {abs(b):,.1f} ({p_text(p)})"

    text = said(v, "outpatient and emergency visits")
    if h is not None:
        text += " and " + said(h, "hospitalizations")
    bent = float(v.params[term]) < 0
    rising = [
        (what, res.post_trend.iloc[0])
        for what, res in (("outpatient and emergency visits", v), ("hospitalizations", h))
        if res is not None and res.post_trend.iloc[0]["ci_low"] > 0
    ]
    if not bent:
        head = "The county hospitals' volumes did not bend."
    elif rising:
        head = "The county hospitals' growth by volume slowed."
    else:
        head = "The county hospitals stopped growing by volume."
    found = "the direction seed 002 (Table 3) found" if bent else "unlike seed 002 (Table 3)"
    still = "".join(
        f" {what.capitalize()} still rise by {post['coef']:,.1f} a month after the reform "
        f"({p_text(float(post['p']))})."
        for what, post in rising
    )
    return (
        f"**{head}** After the reform {text} — {found}.{still} A single-group design cannot "
        "exclude other changes of October 2017 — see 'Evaluation'."
    )


def _policy(ctx: DemoContext) -> str | None:
    agreement = ctx.artefacts.get("policy_agreement")
    machine = ctx.artefacts.get("autocode_kappa")
    if agreement is None and machine is None:
        return None
    text = "**The policy coding is measured, not assumed.**"
    if agreement is not None:
        text += (
            f" Two blind coders agree with a mean kappa of {agreement.mean_kappa:.3f} on the "
            "example corpus (seed 000 reports 0.746)"
        )
    if machine is not None:
        text += (
            f"{';' if agreement is not None else ''} a machine coder trained on their "
            f"reconciled codes reaches {machine['machine']:.3f} on documents it never saw, "
            f"against {machine['human']:.3f} between the humans"
            + (
                ": good enough to serve as a further coder"
                if machine["machine"] >= machine["human"] - 0.05
                else ": on a corpus this small it proposes codes for a person to confirm; "
                "it is no coder yet"
            )
        )
    return text + " — see 'Inter-coder agreement' and 'Machine-assisted coding'."


def brief_sections(ctx: DemoContext) -> list[Section]:
    """The opening brief (placed first in the report by :func:`ihms.demo.run_demo`)."""
    paragraphs = [
        p
        for p in (
            _calibration(ctx),
            _indicators(ctx),
            _payment(ctx),
            _its(ctx),
            _policy(ctx),
        )
        if p
    ]
    if not paragraphs:
        return []
    sec = Section("brief", "In brief", mirrors="")
    sec.text(
        "A county that pays its integrated consortium a population-based global budget "
        "(Sanming's IMPM, in Youxi from October 2017) should see care move to township "
        "health centres and village clinics, county hospitals stop competing for mild cases, "
        "and chronic disease better managed. This report tests that chain on a simulated "
        "Youxi and shows the tools that measure it on real data."
    )
    for p in paragraphs:
        sec.text(p)
    return [sec]
