"""Demo step: the report's opening brief — what the numbers mean, for a health commission.

Runs last and is placed first. It computes nothing of its own: each paragraph restates a
figure an earlier step left in ``ctx.artefacts`` (the calibration, the county indicators,
the settlements, the ITS fits, the coders' and the machine's kappas) and points to the
section that shows the working. A paragraph whose step did not run is left out.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ihms._listing import in_words
from ihms.demo import _brief_zh as zh
from ihms.demo._autocode import codes_like_the_coders
from ihms.demo._brief_sim import calibration_paragraph, indicators_paragraph, its_paragraph
from ihms.demo._payment_baseline import (
    county_zh,
    reform_payment,
    simulated_baseline,
    simulated_reform,
)
from ihms.demo._payment_text import million
from ihms.demo._run import DemoContext
from ihms.errors import IhmsError
from ihms.payment import format_yuan, load_rules
from ihms.payment._quality_gate import percent_text
from ihms.payment.reform import is_reform, month_words
from ihms.report import Section
from ihms.sim.targets import REFORM_MONTH
from ihms.sources import YU_2024, cited

__all__ = ["brief_sections", "opening"]


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
    if any(rec.retained_fen for rec in records.values()):
        head = "kept"
    elif any(rec.overspend_fen for rec in records.values()):
        head = "short"
    else:
        head = "nothing"
    if ctx.zh:
        years = [zh.year_zh(year, rec) for year, rec in sorted(records.items())]
        return zh.payment_zh(head, years, _premium(records, lang="zh"))
    parts = [f"in {year} {_year_payment(rec)}" for year, rec in sorted(records.items())]
    head = {
        "kept": "The global budget left the consortium a balance to keep.",
        "short": "The global budget was not enough.",
        "nothing": "The global budget left the consortium nothing to keep.",
    }[head]
    return (
        f"**{head}** Settled under Sanming's rules, "
        + "; ".join(parts)
        + "."
        + _premium(records)
        + " Under the other areas' ratchet the same savings would have shrunk the next "
        "year's budget instead — see 'Why the budget rule matters'."
    )


def _premium(records: dict, *, lang: str = "en") -> str:
    """What the budgets rest on: the insured residents times a premium, said to be an
    assumption when the rule file lists it among its assumptions."""
    budgets = [(y, rec.budget) for y, rec in sorted(records.items())]
    budgets = [(y, b) for y, b in budgets if b is not None and b.premium_fen is not None]
    if not budgets:
        return ""
    (first, first_budget), later = budgets[0], budgets[1:]
    name = next(iter(records.values())).rules_name
    try:
        # "Premium:" exactly: "Premium sources:" names where the figures come from
        stated = [a for a in load_rules(name).assumptions if a.lower().startswith("premium:")]
    except IhmsError:  # rules not found by name: no assumption can be read
        stated = []
    if lang == "zh":
        return zh.premium_zh(
            [(y, zh.yuan_zh(b.premium_fen)) for y, b in budgets],
            reserves=[(what, share) for what, share, _ in _held(first_budget)],
            reserve_year=first,
            stated=stated[0] if stated else None,
            rules_name=name,
            outcomes=zh.outcomes_zh(_had(records)),
        )
    amounts = [
        f"{format_yuan(first_budget.premium_fen)} yuan per insured person in {first}",
        *(f"{format_yuan(b.premium_fen)} in {y}" for y, b in later),
    ]
    less = _reserves(first, first_budget)
    if not stated:
        return (
            f" Each budget is the insured residents times a premium of {in_words(amounts)}{less}."
        )
    said = cited(stated[0]).split(":", 1)[-1].strip().rstrip(".")
    said = re.sub(r"\s*\(([^()]*)\)$", r"; \1", said)  # no parentheses within ours
    return (
        f" Each budget is the insured residents times a premium the rule file assumes, not "
        f"a figure published for Youxi: {in_words(amounts)} (the rule file assumes {said}){less}. These "
        f"{_outcomes(records)} "
        "therefore show how the rules work on that premium, not Youxi's fund."
    )


def _held(budget) -> list[tuple[str, str, str]]:
    """What comes off the pooled fund before it is the consortium's budget: (``private``
    or ``risk``, its share of the fund, in English words), each held back."""
    return [
        (key, percent_text(Decimal(fen) / budget.pooled_fund_fen), what)
        for key, what, fen in (
            ("private", "for private hospitals", budget.private_reserve_fen),
            ("risk", "for risk adjustment", budget.risk_adjustment_fen),
        )
        if fen
    ]


def _reserves(year: int, budget) -> str:
    """', less the insurer's reserves (… in 2018)': what comes off the pooled fund before
    it is the consortium's budget, as shares of the fund; empty when nothing does."""
    held = _held(budget)
    if not held:
        return ""
    shares = [f"{share} {what}" for _, share, what in held]
    return f", less what the insurer holds back first ({in_words(shares)} in {year})"


def _had(records: dict) -> list[str]:
    """What the settled years had: 'balances', 'overspends', both or neither."""
    return [
        word
        for word, attr in (("balances", "balance_fen"), ("overspends", "overspend_fen"))
        if any(getattr(rec, attr) for rec in records.values())
    ]


def _outcomes(records: dict) -> str:
    """What the settled years had: 'balances', 'overspends' or both."""
    return " and ".join(_had(records)) or "settlements"


def _policy(ctx: DemoContext) -> str | None:
    agreement = ctx.artefacts.get("policy_agreement")
    machine = ctx.artefacts.get("autocode_kappa")
    if agreement is None and machine is None:
        return None
    good = machine is not None and codes_like_the_coders(
        machine=machine["machine"], human=machine["human"]
    )
    if ctx.zh:
        return zh.policy_zh(
            None if agreement is None else agreement.mean_kappa,
            None if machine is None else machine["machine"],
            None if machine is None else machine["human"],
            good=good,
        )
    text = "**The policy tools work; the example coding is simulated.**"
    if agreement is not None:
        text += (
            " The example corpus is coded by two simulated coders: codings generated from the "
            "codebook's keywords, each coder with its own random errors "
            "(examples/policies/make_codings.py). They agree with a mean kappa of "
            f"{agreement.mean_kappa:.3f} ({YU_2024}'s human coders: 0.746), which shows that the "
            "tools work, not how reliable a real coding is"
        )
    if machine is not None:
        text += (
            f"{'.' if agreement is not None else ''} A machine coder trained on their "
            f"reconciled codes reaches {machine['machine']:.3f} on documents it never saw, "
            f"against {machine['human']:.3f} between the coders"
            + (
                ": good enough to serve as a further coder"
                if good
                else ": on a corpus this small it proposes codes for a person to confirm; "
                "it is no coder yet"
            )
        )
    return text + " — see 'Inter-coder agreement' and 'Machine-assisted coding'."


def opening(reform: str, county: str, regime: str, baseline: str, *, lang: str = "en") -> str:
    """The brief's first paragraph: the chain the report tests, on the simulated county
    (``county``, its reform month and regime: :func:`simulated_reform`), its reform worded
    by the rules it settles by (:func:`~ihms.demo._payment_baseline.reform_payment`). A county
    that stays on its ``baseline`` regime (no reform: :func:`~ihms.payment.reform.is_reform`)
    is set against Sanming's, as its settlements are. Only Youxi's own reform (Sanming's
    from October 2017, seed 002) is said to be Youxi's; any other month or regime is the
    simulated county's. ``lang="zh"``: in Chinese, ``county`` the county's Chinese name."""
    if lang == "zh":
        return zh.opening_zh(
            when=reform,
            county=county,
            pay=reform_payment(regime, lang="zh"),
            youxi_own=_youxi_own(reform, county, regime),
            reformed=is_reform(regime, baseline),
            sanming=reform_payment("sanming", lang="zh"),
        )
    chain = (
        "should see care move to township health centres and village clinics, county "
        "hospitals stop competing for mild cases, and chronic disease better managed."
    )
    tools = "and shows the tools that measure it on real data."
    when = month_words(reform)
    if not is_reform(regime, baseline):
        return (
            f"A county that pays its integrated consortium under {reform_payment('sanming')} "
            f"{chain} This report tests that chain on a simulated {county} that stays on "
            f"{reform_payment(regime)} — no reform; its settlements apply Sanming's rules as "
            f"if from {when} — {tools}"
        )
    return (
        f"A county that pays its integrated consortium under {reform_payment(regime)}, as "
        f"{as_county(reform, county, regime)} {when}, {chain} This report tests that chain on a simulated "
        f"{county} {tools}"
    )


def as_county(reform: str, county: str, regime: str) -> str:
    """Who has the reform: Youxi itself only for Youxi's own (Sanming's from
    :data:`~ihms.sim.targets.REFORM_MONTH`), else the simulated county."""
    if _youxi_own(reform, county, regime):
        return f"{county} has since"
    return f"the simulated {county} does from"


def _youxi_own(reform: str, county: str, regime: str) -> bool:
    """Whether the reform is Youxi's own (Sanming's from October 2017, in Youxi)."""
    return county.startswith(("Youxi", "尤溪")) and (reform, regime) == (REFORM_MONTH, "sanming")


def brief_sections(ctx: DemoContext) -> list[Section]:
    """The opening brief (placed first in the report by :func:`ihms.demo.run_demo`)."""
    paragraphs = [
        p
        for p in (
            calibration_paragraph(ctx),
            indicators_paragraph(ctx),
            _payment(ctx),
            its_paragraph(ctx),
            _policy(ctx),
        )
        if p
    ]
    if not paragraphs:
        return []
    sec = Section("brief", ctx.pick("In brief", "简报"), mirrors="")
    reform, county, regime = simulated_reform(ctx)
    if ctx.zh:
        county = county_zh(ctx)  # refuses a simulated system without name_zh
    sec.text(opening(reform, county, regime, simulated_baseline(ctx), lang=ctx.lang))
    for p in paragraphs:
        sec.text(p)
    return [sec]
