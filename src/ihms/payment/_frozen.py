"""The read-only mapping a payment rule, or a settlement's inputs, keeps of each mapping
it is given (:class:`_Frozen`), so a rule (an input) is a value: what its check refused
cannot be put in after construction, and rules (inputs) built from equal data are equal,
hash equal and digest equal.

Not :class:`types.MappingProxyType`: ``dataclasses.asdict`` (hence
:meth:`ihms.payment.PaymentRules.to_dict` and the rules digest) deep-copies what it does
not know, and neither ``copy.deepcopy`` nor pickle takes a mappingproxy.
"""

from __future__ import annotations

from collections.abc import ItemsView, Iterator, KeysView, Mapping, ValuesView
from typing import Any, NoReturn

__all__ = ["INPUTS_HINT", "_Frozen"]

#: What assigning to a rule's mapping is told to do instead (the default).
RULE_HINT = (
    "a rule is checked once, when it is built; build a new one with the change "
    "(dataclasses.replace(rule, ...)), which is checked in turn"
)

#: The same for a settlement's inputs (:class:`~ihms.payment.SettlementInputs`, the
#: spending and population facts in it), whose digest the ledger compares.
INPUTS_HINT = (
    "settlement inputs are checked once, when they are built; build new ones with the "
    "change (dataclasses.replace), which are checked in turn and digested anew"
)


class _Frozen(Mapping):
    """A read-only copy of a mapping: assigning to it or deleting from it raises
    TypeError naming ``name`` (``PremiumRule.by_year``) and saying what to do instead
    (``hint``: :data:`RULE_HINT` or :data:`INPUTS_HINT`); equal to a dict with the same
    items, hashable when its values are, and JSON-ready as a dict is (``asdict`` keeps it
    as it is, the rules' JSON default writes it as a dict)."""

    __slots__ = ("_hint", "_items", "_name")

    def __init__(self, items: Mapping, name: str = "", hint: str = RULE_HINT) -> None:
        self._items = dict(items)
        self._name = name
        self._hint = hint

    def __getitem__(self, key: Any) -> Any:
        return self._items[key]

    def __iter__(self) -> Iterator:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    # the dict's own (read-only) views: a county's spending names hundreds of clinics,
    # summed and iterated on every settlement, which Mapping's generic views would look
    # up one key at a time
    def __contains__(self, key: object) -> bool:
        return key in self._items

    def keys(self) -> KeysView:
        return self._items.keys()

    def values(self) -> ValuesView:
        return self._items.values()

    def items(self) -> ItemsView:
        return self._items.items()

    def get(self, key: Any, default: Any = None) -> Any:
        return self._items.get(key, default)

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
        raise TypeError(f"{what} is read-only: {self._hint}")

    def __deepcopy__(self, memo: dict) -> _Frozen:
        return self  # immutable: dataclasses.asdict copies the rules through it

    def __reduce__(self) -> tuple:
        return (_Frozen, (self._items, self._name, self._hint))
