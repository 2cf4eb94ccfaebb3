"""The brief's paragraphs on the simulated county: how it was fitted to Youxi, what its
indicators and its ITS show, each set against seed 002 and said to be the fit where the
simulator was tuned to the figure (``ihms sim calibrate --tune``).
"""

from __future__ import annotations

import re

import numpy as np

from ihms._listing import in_words
from ihms.demo import _brief_sim_zh as zh
from ihms.demo._its import FLAT_SHARE
from ihms.demo._run import DemoContext
from ihms.errors import InputError
from ihms.payment import study_county
from ihms.payment.reform import month_words
from ihms.sim._target_words import figures_words
from ihms.sim._target_words import label_parts as _name_and_part
from ihms.sim.targets import REFORM_MONTH, TARGETS, compare_its, left_out_reason
from ihms.sim.tune import fitted_targets
from ihms.sources import ZHONG_2023
from ihms.summary import p_text

__all__ = ["calibration_paragraph", "indicators_paragraph", "its_paragraph"]


def fitted_target_keys() -> set[str]:
    """The figures ``ihms sim calibrate --tune`` fits: the gated ones and the shown ITS
    terms seed 002 established (``ihms.sim.tune``); the others are out of sample."""
    return {t.key for t in fitted_targets()}


_YEARLY = {(t.indicator, t.year): t for t in TARGETS if t.indicator is not None}


def _year(label) -> int | None:
    """A yearly period label as a year: ``IndicatorResults.series`` labels periods with
    text ('2016'), a hand-built series may use numbers; None for any other label."""
    text = str(label)
    return int(text) if text.isdigit() and len(text) == 4 else None


def _tuning(ctx: DemoContext):
    """The simulation config's ``calibration:`` block (tuned values and the run that
    produced them), or None when the step left no simulation or nothing was tuned."""
    sim = ctx.artefacts.get("simulation")
    tuning = getattr(getattr(sim, "config", None), "calibration", None)
    return tuning if tuning is not None and tuning.tuned else None


def _method(tuning) -> str:
    method = str(tuning.run.get("method", ""))
    return "by least squares" if "least_squares" in method else f"by {method or 'a search'}"


def _held_out_words(frame, keys: list[str]) -> str:
    """The figures ``keys`` by name without units, the years of a yearly figure or the
    terms of an ITS series gathered under it: 'Hospitalization rate 2017 and 2018; CH
    cost per hospitalization: pre-reform slope and level change'."""
    by_name: dict[str, list[str]] = {}
    for key in keys:
        name, sep, part = _name_and_part(str(frame.at[key, "figure"]))
        by_name.setdefault(name + sep, []).append(part)
    return "; ".join(f"{n} {in_words(parts)}" for n, parts in by_name.items())


def _out_of_sample(cal, fitted: set[str], *, lang: str = "en") -> str:
    """How the figures the tuning did not use compare with Youxi's (the only ones whose
    agreement is evidence beyond the fit)."""
    frame = cal.frame
    held = [k for k in frame.index if k not in fitted]
    agree = frame.loc[held, "agrees"].astype(bool)
    off = [k for k in held if not agree[k]]
    if lang == "zh":
        return zh.out_of_sample_zh(held, off)
    if not held:
        return " Every published figure compared was among those tuned to."
    n = len(held)
    if n == 1:
        return (
            f" Out of sample, the one figure the tuning did not use ({_held_out_words(frame, held)}) "
            f"{'departs from' if off else 'agrees with'} Youxi's by the same rules."
        )
    if not off:
        return f" Out of sample, all {n} figures the tuning did not use agree with Youxi's."
    return (
        f" Out of sample, {n - len(off)} of the {n} figures the tuning did not use agree with "
        f"Youxi's by the same rules. {len(off)} {'departs' if len(off) == 1 else 'depart'}: "
        f"{_held_out_words(frame, off)}."
    )


def _tables_words(frame, keys: list[str]) -> str:
    """The tables the figures ``keys`` come from: 'Zhong et al. 2023, Tables 3, 4 and 5'."""
    sources = sorted({str(frame.at[k, "source"]) for k in keys})
    head = f"{ZHONG_2023}, Table "
    if not all(s.startswith(head) for s in sources):
        return in_words(sources)
    tables = [s[len(head) :] for s in sources]
    return f"{head.rstrip()}{'s' if len(tables) > 1 else ''} {in_words(tables)}"


def _left_out(cal) -> str:
    """' 29 of seed 002's 36 figures are left out. This run's reform begins …': the
    figures a reform in another month than Youxi's is not compared on; empty for none."""
    if not cal.left_out:
        return ""
    return (
        f" {len(cal.left_out)} of {ZHONG_2023}'s {len(TARGETS)} figures are left out. "
        f"{left_out_reason(cal.reform)}"
    )


def calibration_paragraph(ctx: DemoContext) -> str | None:
    cal = ctx.artefacts.get("calibration")
    if cal is None:
        return None
    if cal.frame.empty:
        if ctx.zh:
            return zh.not_compared_zh(cal.reform)
        return (
            f"**The simulated county is not compared with Youxi.** {left_out_reason(cal.reform)} "
            "What follows is a plausible county, not Youxi's records."
        )
    gated = cal.frame["within"].dropna()
    ok = int(gated.astype(bool).sum())
    verdict = (
        "every one is within its rule"
        if ok == len(gated)
        else f"{len(gated) - ok} fall outside: {', '.join(cal.failures)}"
    )
    figures = f"({figures_words(gated.index)})"
    tuning = _tuning(ctx)
    failures = [] if ok == len(gated) else list(cal.failures)
    if tuning is None:
        if ctx.zh:
            return zh.untuned_calibration_zh(cal, gated=list(gated.index), failures=failures)
        return _untuned_calibration(cal, ok == len(gated), figures, verdict)
    fitted = fitted_target_keys()
    further = [
        t.key for t in fitted_targets() if t.key in cal.frame.index and t.key not in gated.index
    ]
    listed = list(gated.index) + further
    if ctx.zh:
        return zh.calibration_zh(
            cal,
            gated=list(gated.index),
            failures=failures,
            tuned=len(tuning.tuned),
            method=str(tuning.run.get("method", "")),
            further=len(further),
            tables=_tables_words(cal.frame, listed),
            out_of_sample=_out_of_sample(cal, fitted, lang="zh"),
        )
    head = (
        "The simulated county was fitted to Youxi."
        if ok == len(gated)
        else "The simulated county was fitted to Youxi and still departs on some figures."
    )
    aim = (
        f"They were fitted to the {len(gated)} published figures the simulation is held to"
        if not cal.left_out
        else f"They were fitted to {ZHONG_2023}'s figures under Youxi's reform of "
        f"{month_words(REFORM_MONTH)}. This run is held to the {len(gated)} published "
        "figures before both reforms"
    )
    return (
        f"**{head}** {len(tuning.tuned)} behavioural parameters that no study gives were "
        f"tuned {_method(tuning)}. {aim}"
        + (f" and {len(further)} further figures" if further else "")
        + f" ({_tables_words(cal.frame, listed)}; the notes under the calibration table list "
        f"them). On those {len(gated)}, {verdict}. That agreement shows the fit, not an "
        "independent validation."
        + _out_of_sample(cal, fitted)
        + _left_out(cal)
        + " See 'Calibration'. What follows is therefore a plausible county, not Youxi's "
        "records."
    )


def _untuned_calibration(cal, passed: bool, figures: str, verdict: str) -> str:
    """The paragraph when no tuning record came with the run: the figures judged, and
    those shown that depart."""
    head = (
        "The simulated county resembles Youxi."
        if passed
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
    n = len(cal.frame["within"].dropna())
    return (
        f"**{head}** Of the {n} published figures the simulation is held to {figures}, "
        f"{verdict} — see 'Calibration'.{shown}{_left_out(cal)} What follows is therefore a plausible "
        "county, not Youxi's records."
    )


def _published_ends(first, last) -> str:
    """Seed 002's primary-care share and hospitalization rate in ``first`` and ``last``
    (:data:`~ihms.sim.targets.TARGETS`), as ' (seed 002, Table 4, reports 50.8 % → 69.2 %
    and 17.0 → 16.3)'; empty when it gives neither for both years. The years are period
    labels, text or numbers (:func:`_year`)."""
    sources, ends = _published(first, last)
    return f" ({in_words(sources)}, reports {in_words(ends)})" if ends else ""


def _published(first, last) -> tuple[list[str], list[str]]:
    """The sources and the ends ('50.8 % → 69.2 %') :func:`_published_ends` says."""
    ends, sources = [], set()
    first, last = _year(first), _year(last)
    for indicator in ("outpatient_contacts_primary_share", "hospitalization_rate"):
        a, b = _YEARLY.get((indicator, first)), _YEARLY.get((indicator, last))
        if a is None or b is None:
            continue
        unit = " %" if "(%)" in a.label else ""
        ends.append(f"{a.value:.1f}{unit} → {b.value:.1f}{unit}")
        sources |= {a.source, b.source}
    return sorted(sources), ends


#: The parameters of a regime that push care toward primary care (the extra primary-care
#: revisits of an episode and their growth a year, :mod:`ihms.sim._bounds`; Deqing's push
#: of healthcare visits), by name: "primary" anywhere in a parameter's path also named a
#: price or a probability at primary care.
_PRIMARY_PUSHES = frozenset(
    {"primary_extra_revisits", "primary_extra_revisits_growth_per_year", "healthcare_primary_push"}
)


def _is_primary_push(path: str) -> bool:
    """Whether a tuned parameter (``regimes.sanming.primary_extra_revisits``) is one of a
    regime's pushes toward primary care (:data:`_PRIMARY_PUSHES`)."""
    parts = path.split(".")
    return len(parts) == 3 and parts[0] == "regimes" and parts[2] in _PRIMARY_PUSHES


def _grassroots(share, hosp, tuning, *, compared=None, lang: str = "en") -> str:
    """The primary-care share and hospitalization rate, first year to last, beside seed
    002's; when the simulator was tuned to those years, said to restate the fit — unless
    the run is not compared on them (``compared``: the calibration's figure keys, None
    for all; a reform in another month than Youxi's leaves the later years out)."""
    first, last = share.index[0], share.index[-1]
    fitted = fitted_target_keys()
    ends = [
        f"{ind}_{year}"
        for ind in ("outpatient_contacts_primary_share", "hospitalization_rate")
        for year in (first, last)
    ]
    restated = tuning is not None and all(
        k in fitted and (compared is None or k in compared) for k in ends
    )
    pushes = [p for p in tuning.tuned if _is_primary_push(p)] if restated else None
    if lang == "zh":
        return zh.grassroots_zh(share, hosp, published=_published(first, last), pushes=pushes)
    moved = share.iloc[-1] > share.iloc[0]
    head = "Care moved to the grassroots." if moved else "Care did not move to primary care."
    text = (
        f"**{head}** The share of outpatient contacts made in primary "
        f"care went from {share.iloc[0]:.1f} % in {first} to {share.iloc[-1]:.1f} % in {last}, "
        f"and the hospitalization rate from {hosp.iloc[0]:.1f} to {hosp.iloc[-1]:.1f} admissions "
        f"per 100 residents{_published_ends(first, last)}"
    )
    if restated:
        text += (
            ". These restate the fit: the simulator was tuned to both ends of each"
            + (
                f", with a reform push toward primary care ({in_words(pushes)}) among the "
                "tuned parameters"
                if pushes
                else ""
            )
            + "; only the years between were not tuned to"
        )
    return text + " — see 'Indicators'."


def indicators_paragraph(ctx: DemoContext) -> str | None:
    res = ctx.artefacts.get("indicator_results")
    store = ctx.artefacts.get("store")
    if res is None or store is None:
        return None
    try:
        county = study_county(store)
        share = res.series("outpatient_contacts_primary_share", county)
        hosp = res.series("hospitalization_rate", county)
    except InputError:  # the indicators step ran on other data
        return None
    cal = ctx.artefacts.get("calibration")
    compared = None if cal is None else cal.frame.index
    return _grassroots(share, hosp, _tuning(ctx), compared=compared, lang=ctx.lang)


#: A simulated slope this many times seed 002's (or less than its inverse) is said to
#: differ in size; within it, to be close. The calibration's rule (√10) is wider: it
#: passes a slope change 1.8 times the seed's, a difference a reader should be told.
NOTABLE_FACTOR = 1.5


def _times(ratio: float) -> str:
    return f"{ratio:.1f} times" if ratio >= 1 else f"{ratio:.0%} of"


def _num(x: float, *, signed: bool = False) -> str:
    """One decimal, thousands separated, a true minus sign (and a plus if ``signed``)."""
    return (f"{x:+,.1f}" if signed else f"{x:,.1f}").replace("-", "−")


def _post_against_youxi(what: str, res, youxi_terms, term: str, *, lang: str = "en") -> str:
    """The simulated post-reform slope (β1 + β3) beside Youxi's from seed 002's Table 3
    (``youxi_terms`` by ITS term; ``term`` the slope change): set against it when the sign
    or the size differs, said to be close otherwise. ``what``: the series in words
    (``lang="zh"``: its name in Chinese)."""
    pre, change = float(youxi_terms["_t"]), float(youxi_terms[term])
    youxi = round(pre + change, 6)  # the published terms have one decimal
    post = res.post_trend.iloc[0]
    sim = float(post["coef"])
    moving = not post["ci_low"] <= 0 <= post["ci_high"]
    way = "fall" if sim < 0 else "still rise" if moving else "rise"
    ratio = sim / youxi if youxi else np.nan
    if abs(youxi) < FLAT_SHARE * abs(pre):
        kind = "flat rise" if moving else "flat"
    elif np.sign(sim) != np.sign(youxi):
        kind = "sign"
    else:
        kind = "close" if 1 / NOTABLE_FACTOR <= ratio <= NOTABLE_FACTOR else "times"
    p, signed = p_text(float(post["p"])), _num(youxi, signed=True)
    worked = f"{_num(pre)} − {_num(abs(change))} = {_num(youxi)}"
    if lang == "zh":
        return zh.post_against_youxi_zh(
            what, kind=kind, sim=sim, way=way, p=p, youxi=signed, sum_=worked, ratio=ratio
        )
    verb = f"{what.capitalize()} {way} by {abs(sim):,.1f} a month after the reform ({p})"
    table = f"Table 3 of {ZHONG_2023}, β1 + β3"
    size = "close to" if kind == "close" else _times(ratio)
    return {
        "flat": f" {what.capitalize()} stay flat after the reform, as Youxi's did ({table}).",
        "flat rise": f" {verb}, where Youxi's were flat ({worked} a month, Table 3 of {ZHONG_2023}).",
        "sign": f" {verb}, where Table 3 of {ZHONG_2023} gives Youxi {signed} (β1 + β3).",
        "close": f" {verb}, {size} Youxi's {signed} ({table}).",
        "times": f" {verb}, {size} Youxi's {signed} ({table}).",
    }[kind]


def _youxi_rose(youxi: dict, series: str) -> bool:
    """Whether Youxi's post-reform slope (β1 + β3 of Table 3) of ``series`` rose, by
    more than the flat share of its pre-reform slope."""
    terms = youxi.get(series)
    if terms is None:
        return False
    change = next((float(v) for k, v in terms.items() if str(k).startswith("_x_t")), np.nan)
    pre = float(terms.get("_t", np.nan))
    return bool(pre + change > FLAT_SHARE * abs(pre))


#: The ITS paragraph's headings by what the fits show (:data:`.zh.HEADS` in Chinese).
HEADS = {
    "unbent": "The county hospitals' volumes did not bend.",
    "model fell": "In the model the county hospitals' visits fell after the reform; "
    "Youxi's kept rising.",
    "fell": "The county hospitals' visits fell after the reform.",
    "slowed": "The county hospitals' growth by volume slowed.",
    "slowed to zero": "The county hospitals' growth by volume slowed, to a rate not told "
    "from zero.",
}


def its_paragraph(ctx: DemoContext) -> str | None:
    """The county hospitals' slope changes, and their post-reform slopes set against
    Youxi's by sign and size (seed 002's Table 3, whose terms are those of October 2017)."""
    fits = ctx.artefacts.get("its")
    if not fits or "outpatient_emergency_visits" not in fits:
        return None
    v = fits["outpatient_emergency_visits"]
    h = fits.get("hospitalizations")
    term = next(t for t in v.params.index if t.startswith("_x_t"))
    # fits interrupted at another month than Table 3's have no published terms to set
    # beside them (compare_its reads Table 3's term names from every fit it is given)
    published = {t.its[1] for t in TARGETS if t.its is not None}
    seed = compare_its(
        {k: f for k, f in fits.items() if f is not None and published <= set(f.params.index)}
    )
    youxi = (
        {}
        if seed.empty
        else {name: rows.set_index("term")["seed"] for name, rows in seed.groupby("series")}
    )

    def said(res, what: str) -> str:
        b, p = float(res.params[term]), float(res.pvalues[term])
        if ctx.zh:
            return zh.slope_change_zh(what, b, p_text(p))
        direction = "slowed" if b < 0 else "quickened"
        return f"the monthly growth of {what} {direction} by {abs(b):,.1f} ({p_text(p)})"

    named = {
        name: zh.series_zh(name) if ctx.zh else words
        for name, words in (
            ("outpatient_emergency_visits", "outpatient and emergency visits"),
            ("hospitalizations", "hospitalizations"),
        )
    }
    changes = [said(v, named["outpatient_emergency_visits"])]
    if h is not None:
        changes.append(said(h, named["hospitalizations"]))
    text = " and ".join(changes)
    bent = float(v.params[term]) < 0
    seed_change = float(youxi.get("outpatient_emergency_visits", {}).get(term, np.nan))
    ratio = float(v.params[term]) / seed_change
    found_kind = (
        "unlike"
        if not bent
        else "direction"
        if np.isnan(ratio)
        else "close"
        if 1 / NOTABLE_FACTOR <= ratio <= NOTABLE_FACTOR
        else "times"
    )
    found = {
        "unlike": f"unlike {ZHONG_2023}, Table 3,",
        "direction": f"the direction {ZHONG_2023}, Table 3, found",
        "close": f"for the visits close to {ZHONG_2023}'s {_num(seed_change)} (Table 3)",
        "times": f"for the visits {_times(ratio)} {ZHONG_2023}'s {_num(seed_change)} (Table 3)",
    }[found_kind]
    posts = [
        (named[name], res, youxi[name])
        for name, res in (("outpatient_emergency_visits", v), ("hospitalizations", h))
        if res is not None and name in youxi
    ]
    rising = [what for what, res, _ in posts if res.post_trend.iloc[0]["ci_low"] > 0]
    if not bent:
        head = "unbent"
    elif v.post_trend.iloc[0]["ci_high"] < 0 and _youxi_rose(youxi, "outpatient_emergency_visits"):
        # a fall where Youxi's kept rising is the model's departure, not a finding
        head = "model fell"
    elif v.post_trend.iloc[0]["ci_high"] < 0:
        head = "fell"
    elif rising:
        head = "slowed"
    else:
        # post-reform slopes whose intervals hold zero do not show growth stopped
        head = "slowed to zero"
    against = "".join(
        _post_against_youxi(what, res, terms, term, lang=ctx.lang) for what, res, terms in posts
    )
    if ctx.zh:
        found = zh.found_zh(found_kind, ratio=ratio, seed=_num(seed_change))
        return zh.its_zh(head, changes, found, against, _reform_month(ctx, term))
    head = HEADS[head]
    return (
        f"**{head}** After the reform {text} — {found}.{against} A single-group design "
        f"cannot exclude other changes of {month_words(_reform_month(ctx, term))} — see "
        "'Evaluation'."
    )


def _reform_month(ctx: DemoContext, term: str) -> str:
    """The reform month: the simulation config's ``reform.date``; without one, the
    interruption the ITS fits were made at (``_x_t2017m10`` → ``"2017-10"``)."""
    config = getattr(ctx.artefacts.get("simulation"), "config", None)
    if config is not None:
        return str(config.reform.date)
    year, month = re.fullmatch(r"_x_t(\d{4})m(\d{1,2})", term).groups()
    return f"{year}-{month}"
