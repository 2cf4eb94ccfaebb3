"""The technical-cooperation chain: who sinks resources to whom, and how.

Gao et al. 2022 (section 3) connects the two camps of the dualistic pattern — fully integrated
consortia and the top tertiary hospitals — by two chains: referrals
(:func:`ihms.system.referral_pathway`) and technical cooperation. The second chain is
what the VI-HQMR policy study and Jia et al. 2021 call resource sinking: specialists dispatched
to township health
centres, itinerant services, remote consultation, joint wards, mutual recognition of
test results, training.

:func:`cooperation_chain` lists it, one row per (provider, recipient, form), from

* the links the system file declares (``cooperation:``, source ``"declared"``), and
* the flexible consortia built for technical cooperation (Gao et al. 2022, section 2.3): a
  telemedicine network's lead gives its members remote consultation, a specialist
  alliance's lead gives its members technical guidance (source: the consortium's id),
  unless a declared link already names the pair.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ihms._repr import SummaryHtml
from ihms.sources import GAO_2022
from ihms.summary import SummaryTable
from ihms.system.model import ConsortiumType, CooperationForm, System

__all__ = ["CooperationChain", "CooperationRow", "cooperation_chain"]

_IMPLIED = {
    ConsortiumType.TELEMEDICINE_NETWORK: CooperationForm.REMOTE_CONSULTATION,
    ConsortiumType.SPECIALIST_ALLIANCE: CooperationForm.TECHNICAL_GUIDANCE,
}


@dataclass(frozen=True)
class CooperationRow:
    """One form of cooperation from one provider to one recipient.

    Attributes
    ----------
    provider, recipient
        Institution ids.
    form
        How resources sink (see :class:`~ihms.system.CooperationForm`).
    source
        ``"declared"`` (the file's ``cooperation`` section) or the id of the consortium
        that implies the link.
    from_outside
        Whether the provider stands outside the study counties (a top tertiary hospital
        supporting the county: the chain between the two camps).
    """

    provider: str
    recipient: str
    form: CooperationForm
    source: str
    from_outside: bool


@dataclass(frozen=True)
class CooperationChain(SummaryHtml):
    """The technical-cooperation chain of a system (in one year, or over all years).

    Attributes
    ----------
    year
        The year looked at; ``None`` takes every link and consortium whatever its years.
    rows
        One :class:`CooperationRow` per (provider, recipient, form).
    """

    year: int | None
    rows: tuple[CooperationRow, ...] = ()

    def received(self, institution_id: str) -> tuple[CooperationRow, ...]:
        """The rows whose recipient is ``institution_id``.

        Parameters
        ----------
        institution_id
            An institution of the system.
        """
        return tuple(r for r in self.rows if r.recipient == institution_id)

    def provided(self, institution_id: str) -> tuple[CooperationRow, ...]:
        """The rows whose provider is ``institution_id``.

        Parameters
        ----------
        institution_id
            An institution of the system.
        """
        return tuple(r for r in self.rows if r.provider == institution_id)

    def to_frame(self) -> pd.DataFrame:
        """One row per (provider, recipient, form)."""
        columns = ["provider", "recipient", "form", "source", "from_outside"]
        return pd.DataFrame(
            [(r.provider, r.recipient, r.form.value, r.source, r.from_outside) for r in self.rows],
            columns=columns,
        )

    def summary(self) -> SummaryTable:
        """Per form: provider-recipient pairs, providers, recipients, and pairs whose
        provider stands outside the study counties."""
        frame = pd.DataFrame(
            [
                {
                    "form": form.value,
                    "pairs": len(rows),
                    "providers": len({r.provider for r in rows}),
                    "recipients": len({r.recipient for r in rows}),
                    "from outside": sum(r.from_outside for r in rows),
                }
                for form in CooperationForm
                if (rows := [r for r in self.rows if r.form is form])
            ],
            columns=["form", "pairs", "providers", "recipients", "from outside"],
        ).set_index("form")
        year = "all years" if self.year is None else str(self.year)
        notes = (
            "A pair is one provider and one recipient; 'from outside': the provider stands "
            f"outside the study counties ({GAO_2022}, section 3: the chain between the camps).",
        )
        return SummaryTable(frame, title=f"Technical cooperation ({year})", notes=notes)


def cooperation_chain(system: System, *, year: int | None = None) -> CooperationChain:
    """The technical-cooperation chain of ``system`` (see the module docstring).

    Parameters
    ----------
    system
        The delivery system.
    year
        Only links, consortia and institutions operating in this year; ``None`` takes
        them all.
    """
    insts = {i.id: i for i in system.institutions}
    study = set(system.study_counties)

    def active(iid: str) -> bool:
        inst = insts.get(iid)
        return inst is not None and (year is None or inst.active_in(year))

    rows: dict[tuple[str, str, CooperationForm], CooperationRow] = {}
    declared_pairs: set[tuple[str, str]] = set()

    def add(provider: str, recipient: str, form: CooperationForm, source: str) -> None:
        if provider == recipient or not (active(provider) and active(recipient)):
            return
        key = (provider, recipient, form)
        if key not in rows:
            outside = insts[provider].county not in study
            rows[key] = CooperationRow(provider, recipient, form, source, outside)

    for link in system.cooperation:
        if year is not None and not link.active_in(year):
            continue
        for recipient in link.recipients:
            declared_pairs.add((link.provider, recipient))
            for form in link.forms:
                add(link.provider, recipient, form, "declared")
    for c in system.consortia:
        form = _IMPLIED.get(c.type)
        if form is None or (year is not None and not c.active_in(year)):
            continue
        for member in c.members:
            if (c.lead, member) not in declared_pairs:
                add(c.lead, member, form, c.id)
    return CooperationChain(year=year, rows=tuple(rows.values()))
