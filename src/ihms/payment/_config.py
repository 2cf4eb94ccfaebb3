"""Rule files (YAML) → validated :class:`~ihms.payment.rules.PaymentRules`.

Pydantic lives only here and in :mod:`ihms.payment._config_models` (the models of the
YAML and how their errors are told), at the configuration edge. Every model forbids
unknown keys; a typo is reported with the nearest valid key (``'wieght' — did you mean
'weight'?``).
Rates may be written as fractions (``0.16``) or percentages (``"16%"``); money is written
in yuan (keys ending ``_yuan``) and converted to integer fen exactly. A yearly growth
written as a bare number beyond ±1 (``growth: 6``) is refused as a percentage without its
sign; growth is bounded by :data:`ihms.payment.rules.MAX_GROWTH`.

Which sections a rule file needs: ``name``, ``version``, ``balance_uses`` and
``staff_pay`` always; ``budget`` for a global budget or ``shared_savings`` for savings
against a benchmark (never both). With neither the rules pay fee for service, which has
nothing to settle: a file that still gives a ``settlement`` section (or assesses the
director on the fund balance) has lost its ``budget`` section, and is refused so.
"""

from __future__ import annotations

import re
import warnings
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ihms._decode import read_text
from ihms._warnings import caller_stacklevel
from ihms._yaml_once import yaml_data, yaml_node
from ihms.errors import ConfigError, IhmsWarning, did_you_mean
from ihms.payment import rules as r
from ihms.payment._config_models import IndicatorModel, RulesModel, _explain, at_line
from ihms.payment._names import role_code
from ihms.payment.indicator_values import canonical_indicator_id
from ihms.payment.money import yuan_to_fen
from ihms.system._messages import Locator, duplicate_keys

__all__ = ["BUILTIN_RULES", "builtin_rules_text", "load_rules", "rules_from_mapping"]

#: Names of the rule sets shipped with ihms (``src/ihms/payment/rulesets/<name>.yaml``).
BUILTIN_RULES = ("sanming", "other-areas", "fee-for-service", "deqing-shared-savings", "mssp")

# --------------------------------------------------------------------------- conversion


def _fen(value: Decimal, where: str) -> int:
    return yuan_to_fen(value, field=where)


def _scoring(ind: IndicatorModel) -> r.Scoring:
    if ind.linear is not None:
        return r.LinearScoring(floor=ind.linear.floor, target=ind.linear.target)
    if ind.threshold is not None:
        if ind.threshold.at_least is not None:
            return r.ThresholdScoring(threshold=ind.threshold.at_least, direction="at_least")
        assert ind.threshold.at_most is not None
        return r.ThresholdScoring(threshold=ind.threshold.at_most, direction="at_most")
    assert ind.capped_ratio is not None
    return r.CappedRatioScoring(target=ind.capped_ratio.target, cap=ind.capped_ratio.cap)


def _to_domain(m: RulesModel, source: str) -> r.PaymentRules:
    budget = None
    if m.budget is not None:
        premium = None
        if m.budget.premium is not None:
            p = m.budget.premium
            premium = r.PremiumRule(
                by_year={
                    y: _fen(v, f"budget.premium.by_year_yuan[{y}]")
                    for y, v in p.by_year_yuan.items()
                },
                base_year=p.base_year,
                base_fen=None
                if p.base_yuan is None
                else _fen(p.base_yuan, "budget.premium.base_yuan"),
                growth=p.growth,
            )
        budget = r.BudgetRule(
            method=m.budget.method,
            population=m.budget.population,
            premium=premium,
            private_reserve_share=m.budget.private_reserve_share,
            risk_adjustment_share=m.budget.risk_adjustment_share,
            history_years=m.budget.history_years,
            history_growth=m.budget.history_growth,
        )
    s = m.settlement
    settlement = r.SettlementRule(
        charge_outside_county=s.charge_outside_county,
        overspend_insurer_share=s.overspend_insurer_share,
        overspend_shared_up_to=s.overspend_shared_up_to,
        balance_retained_share=s.balance_retained_share,
        retained_share_if_failed=s.retained_share_if_failed,
        assessment=s.assessment,
    )
    scorecards = {
        role: r.Scorecard(
            role=role,
            pass_mark=card.pass_mark,
            indicators=tuple(
                r.ScorecardIndicator(
                    id=canonical_indicator_id(i.id),
                    label=i.label or i.id,
                    weight=i.weight,
                    scoring=_scoring(i),
                )
                for i in card.indicators
            ),
        )
        for role, card in m.staff_pay.scorecards.items()
    }
    staff_pay = r.StaffPay(
        method=m.staff_pay.method,
        scorecards=scorecards,
        factor_at_zero=m.staff_pay.salary_factor.at_zero,
        factor_at_full=m.staff_pay.salary_factor.at_full,
        other_roles=m.staff_pay.other_roles,
    )
    shared = None
    if m.shared_savings is not None:
        ss = m.shared_savings
        table = tuple(
            r.MsrBand(
                low_n=b.from_,
                high_n=b.to,
                rate_at_low=b.low,
                rate_at_high=b.low if b.high is None else b.high,
            )
            for b in (ss.minimum_savings_rate_table or [])
        )
        shared = r.SharedSavingsRule(
            benchmark_method=ss.benchmark.method,
            history_years=ss.benchmark.years,
            history_growth=ss.benchmark.growth,
            sharing_rate=ss.sharing_rate,
            savings_cap=ss.savings_cap,
            msr_fixed=ss.minimum_savings_rate,
            msr_table=table,
            two_sided=ss.two_sided,
            mlr_fixed=None if ss.minimum_loss_rate == "same_as_msr" else ss.minimum_loss_rate,
            mlr_same_as_msr=ss.minimum_loss_rate == "same_as_msr",
            loss_rate=None if ss.loss_rate == "complement" else ss.loss_rate,
            loss_rate_min=ss.loss_rate_min,
            loss_rate_max=ss.loss_rate_max,
            loss_cap=ss.loss_cap,
            quality=r.QualityGate(
                standard=ss.quality.standard,
                sliding_scale=ss.quality.sliding_scale,
                alternative=ss.quality.alternative,
            ),
        )
    fee = None
    if m.family_physician_fee is not None:
        f = m.family_physician_fee
        key = "family_physician_fee.per_member_per_year_yuan"
        if isinstance(f.per_member_per_year_yuan, dict):
            fee = r.FamilyPhysicianFee(
                from_month={
                    mon: _fen(v, f"{key}[{mon}]") for mon, v in f.per_member_per_year_yuan.items()
                }
            )
        elif f.by_year_yuan is not None:
            fee = r.FamilyPhysicianFee(
                by_year={
                    y: _fen(v, f"family_physician_fee.by_year_yuan[{y}]")
                    for y, v in f.by_year_yuan.items()
                }
            )
        else:
            fee = r.FamilyPhysicianFee(_fen(f.per_member_per_year_yuan, key))
    return r.PaymentRules(
        name=m.name,
        version=m.version,
        title=m.title or m.name,
        source=m.source.strip(),
        budget=budget,
        settlement=settlement,
        balance_uses=r.BalanceUses(shares=tuple(m.balance_uses.items()), origin=source),
        staff_pay=staff_pay,
        shared_savings=shared,
        family_physician_fee=fee,
        assumptions=tuple(a.strip() for a in m.assumptions),
    )


# --------------------------------------------------------------------------- loading


def _note_role_names(model: RulesModel, source: str) -> None:
    """Note each scorecard a rule file keys by a role's name (``医生``): it is read as the
    role a roster's name is read as (``doctor``; :func:`~ihms.payment._names.role_code`),
    so the roster's 医生, read as ``doctor``, find it."""
    for role in model.staff_pay.scorecards:
        code = role_code(role)
        if code != role:
            warnings.warn(
                IhmsWarning(
                    f"{source}: scorecard {role!r} read as {code!r}, as a roster's role "
                    f"{role!r} is read",
                    zh=f"{source}：考核评分表 {role!r} 按 {code!r} 读入，与名册中的岗位 "
                    f"{role!r} 读法相同",
                ),
                stacklevel=caller_stacklevel(),
            )


def _note_former_ids(model: RulesModel, source: str) -> None:
    """Warn (a note in the CLI) for each scorecard indicator a rule file names by a former
    id (:data:`~ihms.payment.indicator_values.INDICATOR_ALIASES`); it is read as the
    current one, the digest unchanged."""
    for role, card in model.staff_pay.scorecards.items():
        for i in card.indicators:
            current = canonical_indicator_id(i.id)
            if current != i.id:
                warnings.warn(
                    IhmsWarning(
                        f"{source}: scorecard {role!r} indicator {i.id!r} is the former id "
                        f"of {current!r}; read as {current!r} (use that id from now on)",
                        zh=f"{source}：考核评分表 {role!r} 的指标 {i.id!r} 是 {current!r} 的"
                        f"旧编码，按 {current!r} 读入（今后请用该编码）",
                    ),
                    stacklevel=caller_stacklevel(),
                )


def rules_from_mapping(data: Any, *, source: str = "rules") -> r.PaymentRules:
    """Validate a parsed rule file (a dict) and build the domain object.

    Parameters
    ----------
    data : Any
        The parsed YAML: a mapping of rule keys (anything else is refused).
    source : str, default "rules"
        File or name the error messages start with.

    Raises
    ------
    ConfigError
        ``data`` is not a valid rule set; the message names every bad key.
    """
    return _validated(data, source, None)


def _validated(data: Any, source: str, locator: Locator | None) -> r.PaymentRules:
    """:func:`rules_from_mapping`, its messages with the line of each key when
    ``locator`` (the file's composed YAML) is given."""
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: expected a mapping of rule keys, got {type(data).__name__}")
    twice = [] if locator is None else duplicate_keys(locator.root, source)
    if twice:  # YAML keeps the last silently: a rule would change without a word
        raise ConfigError(
            f"{source}: invalid payment rules\n" + "\n".join(f"  - {p}" for p in twice)
        )
    if "settlement" in data and "budget" not in data and "shared_savings" not in data:
        raise ConfigError(
            f"{at_line(source, locator, ('settlement',))}: missing section budget: the "
            "settlement section settles a global budget, but the rules set none (add a "
            "budget: section, or shared_savings: for savings against a benchmark; "
            "fee-for-service rules have no settlement: section)"
        )
    try:
        model = RulesModel.model_validate(data)
    except ValidationError as exc:
        raise _explain(exc, source, locator) from None
    _note_former_ids(model, source)
    _note_role_names(model, source)
    try:
        return _to_domain(model, source)
    except ConfigError as exc:
        said = as_file_keys(str(exc))
        raise ConfigError(f"{at_line(source, locator, _key_path(said, data))}: {said}") from None


#: The rule objects' arguments a rule file spells otherwise, by the section whose
#: messages name them: the objects' checks name their arguments (a rule built in code
#: is told those), and a rule file's message, its keys.
FILE_KEYS = {
    "shared_savings": {
        "benchmark_method": "benchmark.method",
        "history_growth": "benchmark.growth",
        "history_years": "benchmark.years",
        "msr_fixed": "minimum_savings_rate",
        "msr_table": "minimum_savings_rate_table",
        "mlr_fixed": "minimum_loss_rate",
        # a band of the table (MsrBand)
        "low_n": "from",
        "high_n": "to",
        "rate_at_low": "low",
        "rate_at_high": "high",
    },
    "family_physician_fee": {
        "per_member_per_year_fen": "per_member_per_year_yuan",
        "by_year": "by_year_yuan",
        "from_month": "per_member_per_year_yuan",
    },
}


def as_file_keys(message: str) -> str:
    """A rule object's message (``shared_savings.msr_fixed: ...``) in a rule file's keys
    (``shared_savings.minimum_savings_rate: ...``): :data:`FILE_KEYS` of the section it
    starts with."""
    for section, keys in FILE_KEYS.items():
        if message.startswith(section):
            for name, key in keys.items():
                message = re.sub(rf"\b{name}\b", key, message)
    return message


def _key_path(message: str, data: dict) -> tuple[str, ...]:
    """The key path a domain check's message starts with (``balance_uses: ...``,
    ``premium.by_year[2019]: ...``, ``budget.history_years: ...``) as the file has it
    (a section inside ``budget`` or ``shared_savings`` found there); () if none."""
    m = re.match(r"([a-z_]+(?:\.[a-z_]+)*)", message)
    if m is None:
        return ()
    path = tuple(m.group(1).split("."))
    for prefix in ((), ("budget",), ("shared_savings",), ("settlement",)):
        node: Any = data
        for part in (*prefix, *path):
            node = node.get(part) if isinstance(node, dict) else None
        if node is not None:
            return (*prefix, *path)
    return ()


def builtin_rules_text(name: str) -> str:
    """The YAML text of a built-in rule set.

    Parameters
    ----------
    name : str
        One of :data:`BUILTIN_RULES` (``"sanming"``, ...); else a ConfigError.
    """
    if name not in BUILTIN_RULES:
        hint = did_you_mean(name, BUILTIN_RULES, cutoff=0.6)
        raise ConfigError(
            f"no built-in payment rules named {name!r}{hint} (built in: {', '.join(BUILTIN_RULES)})"
        )
    return (
        resources.files("ihms.payment")
        .joinpath("rulesets")
        .joinpath(f"{name}.yaml")
        .read_text("utf-8")
    )


def load_rules(spec: str | Path) -> r.PaymentRules:
    """Load payment rules by built-in name (``"sanming"``) or from a YAML file.

    Parameters
    ----------
    spec
        One of :data:`BUILTIN_RULES`, or a path to a rule file.

    Raises
    ------
    ConfigError
        The file is missing or not YAML, a key is unknown (the nearest valid key is
        suggested), shares do not add up to 100 %, scorecard weights do not add up to 1,
        a premium or rate is negative, ...
    """
    text_spec = str(spec)
    if isinstance(spec, str) and spec in BUILTIN_RULES:
        text, source = builtin_rules_text(spec), f"built-in rules {spec!r}"
    else:
        path = Path(spec)
        if not path.is_file():
            if path.suffix == "" and "/" not in text_spec:
                builtin_rules_text(text_spec)  # raises with a suggestion
            raise ConfigError(f"rules file {text_spec}: not found")
        text, source = read_text(path, name=f"rules file {path}", error=ConfigError), str(path)
    try:  # parsed once per text: a command loads its rule set more than once
        data, node = yaml_data(text), yaml_node(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{source}: not valid YAML ({exc})") from None
    return _validated(data, source, Locator(source, node))
