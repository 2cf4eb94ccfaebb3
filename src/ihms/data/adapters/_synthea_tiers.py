"""How a Synthea organisation's tier is told from its name (:class:`TierRule`); the
adapter (:mod:`ihms.data.adapters.synthea`) applies it to ``organizations.csv``."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import yaml

from ihms.errors import ConfigError
from ihms.system.model import Tier

DEFAULT_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"\bUNIVERSITY\b|\bMEDICAL CENT(ER|RE)\b", "tertiary"),
    (r"\bHOSPITAL\b", "secondary"),
)


@dataclass(frozen=True)
class TierRule:
    """How organisations become institutions of a tier.

    Parameters
    ----------
    patterns
        ``(regular expression, tier)`` pairs tried in order on the organisation name
        (case-insensitive); the first match decides.
    default
        Tier when no pattern matches.
    overrides
        Tier by organisation ``Id``, taking precedence over the patterns.
    affiliation
        Affiliation given to every institution (Synthea does not say).
    """

    patterns: tuple[tuple[str, str], ...] = DEFAULT_PATTERNS
    default: str = "primary_centre"
    overrides: Mapping[str, str] = field(default_factory=dict)
    affiliation: str = "county"

    def __post_init__(self) -> None:
        tiers = {t.value for t in Tier}
        for value in [self.default, *(t for _, t in self.patterns), *self.overrides.values()]:
            if value not in tiers:
                raise ConfigError(
                    f"tier rule: unknown tier {value!r}; tiers are {', '.join(sorted(tiers))}"
                )
        for pattern, _ in self.patterns:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ConfigError(f"tier rule: bad pattern {pattern!r} ({exc})") from None
        object.__setattr__(self, "overrides", MappingProxyType(dict(self.overrides)))

    def tier_of(self, org_id: str, name: str) -> str:
        """The tier of one organisation (a :class:`~ihms.system.Tier` value).

        Parameters
        ----------
        org_id, name
            The organisation's ``Id`` (looked up in ``overrides``) and ``NAME``
            (searched by ``patterns``) in Synthea's ``organizations.csv``.
        """
        if org_id in self.overrides:
            return self.overrides[org_id]
        for pattern, tier in self.patterns:
            if re.search(pattern, name, flags=re.IGNORECASE):
                return tier
        return self.default

    @classmethod
    def from_yaml(cls, path: str | Path) -> TierRule:
        """Read ``patterns`` (list of ``{match: regex, tier: ...}``), ``default``,
        ``overrides`` and ``affiliation`` from a YAML file."""
        path = Path(path)
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise ConfigError(f"{path}: cannot read the tier rule ({exc})") from None
        known = {"patterns", "default", "overrides", "affiliation"}
        for key in raw:
            if key not in known:
                import difflib

                close = difflib.get_close_matches(str(key), sorted(known), n=1)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                raise ConfigError(f"{path}: unknown key '{key}'{hint}")
        patterns = (
            tuple((p["match"], p["tier"]) for p in raw.get("patterns", [])) or DEFAULT_PATTERNS
        )
        return cls(
            patterns=patterns,
            default=raw.get("default", "primary_centre"),
            overrides=raw.get("overrides", {}) or {},
            affiliation=raw.get("affiliation", "county"),
        )
