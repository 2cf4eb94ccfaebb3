"""The read-only mapping a payment rule keeps of each mapping it is given
(:class:`_Frozen`), so a rule is a value: what its check refused cannot be put in after
construction, and rules built from equal data are equal, hash equal and digest equal.

Not :class:`types.MappingProxyType`: ``dataclasses.asdict`` (hence
:meth:`ihms.payment.PaymentRules.to_dict` and the rules digest) deep-copies what it does
not know, and neither ``copy.deepcopy`` nor pickle takes a mappingproxy.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, NoReturn

__all__ = ["_Frozen"]


class _Frozen(Mapping):
    """A read-only copy of a mapping: assigning to it or deleting from it raises
    TypeError naming ``name`` (``PremiumRule.by_year``); equal to a dict with the same
    items, hashable when its values are, and JSON-ready as a dict is (``asdict`` keeps it
    as it is, the rules' JSON default writes it as a dict)."""

    __slots__ = ("_items", "_name")

    def __init__(self, items: Mapping, name: str = "") -> None:
        self._items = dict(items)
        self._name = name

    def __getitem__(self, key: Any) -> Any:
        return self._items[key]

    def __iter__(self) -> Iterator:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        return hash(frozenset(self._items.items()))

    def __repr__(self) -> str:
        return repr(self._items)

    def __setitem__(self, key: Any, value: Any) -> NoReturn:
        self._refuse()

    def __delitem__(self, key: Any) -> NoReturn:
        self._refuse()

    def _refuse(self) -> NoReturn:
        what = self._name or "a payment rule's mapping"
        raise TypeError(
            f"{what} is read-only: a rule is checked once, when it is built; build a new "
            "one with the change (dataclasses.replace(rule, ...)), which is checked in turn"
        )

    def __deepcopy__(self, memo: dict) -> _Frozen:
        return self  # immutable: dataclasses.asdict copies the rules through it

    def __reduce__(self) -> tuple:
        return (_Frozen, (self._items, self._name))
