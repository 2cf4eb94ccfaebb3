"""The read-only mapping a payment rule, or a settlement's inputs, keeps of each mapping
it is given (:class:`_Frozen`), so a rule (an input) is a value: what its check refused
cannot be put in after construction, and rules (inputs) built from equal data are equal,
hash equal and digest equal.

A :class:`dict` whose mutators are refused through its own methods and operators
(``f[k] = v``, ``del``, ``update``, ``|=``, ``pop``, ``setdefault``, ``clear``, ...), so
it is used as a dict is. As on any dict subclass, :class:`dict`'s unbound methods called
on it (``dict.update(f, ...)``, ``dict.__init__(f, ...)``, ``dict.__setitem__``) still
write: it guards against mistakes, not against code set on changing it. It is a dict:
``json.dumps`` writes it, ``dict(...)``, ``.copy()`` and ``|`` give a plain dict (yours
to change, as :class:`types.MappingProxyType`'s ``copy`` and ``|`` do), it equals a dict
with the same items, and it pickles and deep-copies. Not :class:`types.MappingProxyType`
itself: ``dataclasses.asdict`` (hence :meth:`ihms.payment.PaymentRules.to_dict` and the
rules digest) deep-copies what it does not know, and neither ``copy.deepcopy`` nor pickle
takes a mappingproxy; and unlike a mappingproxy it is hashable (when its values are), as
the rules holding it are.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
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


class _Frozen(dict):
    """A read-only copy of a mapping: assigning to it, deleting from it or updating it in
    place (``[k] = v``, ``del``, ``update``, ``|=``, ``pop``, ``popitem``, ``setdefault``,
    ``clear``) raises TypeError naming ``name`` (``PremiumRule.by_year``) and saying what
    to do instead (``hint``: :data:`RULE_HINT` or :data:`INPUTS_HINT`). Otherwise a dict:
    equal to a dict with the same items, written by ``json.dumps``, and ``copy()``,
    ``dict(...)`` and ``|`` give a plain dict to change; hashable when its values are.

    >>> by_year = _Frozen({2019: 100}, "PremiumRule.by_year")
    >>> by_year | {2020: 110}
    {2019: 100, 2020: 110}
    >>> import json; json.dumps(by_year)
    '{"2019": 100}'
    """

    __slots__ = ("_hint", "_name")

    def __init__(
        self, items: Mapping | Iterable = (), name: str = "", hint: str = RULE_HINT
    ) -> None:
        if hasattr(self, "_name"):  # __init__ called again would update it in place
            self._refuse()
        super().__init__(items)
        self._name = name
        self._hint = hint

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(frozenset(self.items()))

    def _refuse(self, *args: Any, **kwargs: Any) -> NoReturn:
        what = self._name or "a payment rule's mapping"
        raise TypeError(f"{what} is read-only: {self._hint}")

    __setitem__ = __delitem__ = __ior__ = _refuse
    clear = pop = popitem = setdefault = update = _refuse

    @classmethod
    def fromkeys(cls, keys: Iterable, value: Any = None) -> _Frozen:  # type: ignore[override]
        return cls(dict.fromkeys(keys, value))  # dict's would set each key on it

    def __deepcopy__(self, memo: dict) -> _Frozen:
        """Itself when every value is hashable (nothing in it can change); else a new
        read-only copy of deep copies, so a list held in it is not shared.

        >>> import copy
        >>> flat = _Frozen({2019: 100}, "by_year")
        >>> copy.deepcopy(flat) is flat
        True
        >>> held = _Frozen({"cards": [1, 2]}, "cards")
        >>> copied = copy.deepcopy(held)
        >>> copied == held, copied["cards"] is held["cards"], copied._name
        (True, False, 'cards')
        """
        try:
            hash(self)
        except TypeError:
            import copy

            return _Frozen(copy.deepcopy(dict(self), memo), self._name, self._hint)
        return self

    def __reduce__(self) -> tuple:
        return (_Frozen, (dict(self), self._name, self._hint))
