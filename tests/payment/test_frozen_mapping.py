"""A rule's (an input's) read-only mapping is used as a frozen mapping is (session 36,
B10): ``payment._frozen._Frozen`` is a dict whose mutators, called through its own
methods and operators, are refused naming the field (dict's unbound methods still write,
as on any dict subclass), so ``json.dumps``, ``dict(...)``, ``.copy()``, ``|`` and ``==``
work as on a dict (``copy`` and ``|`` give a plain dict to change, as
``types.MappingProxyType``'s do), and it hashes, pickles and deep-copies. Before, a ``collections.abc.Mapping``, it had no
``copy``, refused ``|`` and ``json.dumps`` raised "not JSON serializable"."""

from __future__ import annotations

import copy
import json
import pickle
from decimal import Decimal
from types import MappingProxyType

import pytest

from ihms.payment import FamilyPhysicianFee, PremiumRule, load_rules
from ihms.payment._frozen import _Frozen

from .conftest import SANMING_DIGEST
from .test_inputs_frozen import _inputs as _every_container_inputs


def _premium():
    return PremiumRule(by_year={2019: 100_000, 2020: 110_000})


def test_json_dumps_writes_it_as_a_dict():
    by_year = _premium().by_year
    assert json.dumps(by_year) == json.dumps({2019: 100_000, 2020: 110_000})
    fee = FamilyPhysicianFee(from_month={"2019-01": 10_000, "2019-07": 12_000})
    assert json.loads(json.dumps(fee.from_month)) == {"2019-01": 10_000, "2019-07": 12_000}


def test_copy_dict_and_or_give_a_plain_dict_to_change():
    by_year = _premium().by_year
    for plain in (by_year.copy(), dict(by_year), by_year | {}, {} | by_year):
        assert type(plain) is dict and plain == {2019: 100_000, 2020: 110_000}
        plain[2021] = 1  # the copy is the caller's
    assert by_year | {2021: 120_000} == {2019: 100_000, 2020: 110_000, 2021: 120_000}
    assert {2019: 1} | by_year == {2019: 100_000, 2020: 110_000}  # the right one wins
    assert 2021 not in by_year and len(by_year) == 2
    # a changed copy builds a new rule, checked in turn
    assert PremiumRule(by_year=by_year | {2021: 120_000}).for_year(2021) == 120_000


def test_equal_to_a_dict_and_a_mappingproxy_either_way():
    by_year = _premium().by_year
    given = {2019: 100_000, 2020: 110_000}
    assert by_year == given and given == by_year
    assert by_year == MappingProxyType(given) and MappingProxyType(given) == by_year
    assert by_year != {2019: 100_000}


def test_hash_follows_the_items_and_a_value_without_one_is_refused():
    assert hash(_premium().by_year) == hash(_Frozen({2020: 110_000, 2019: 100_000}))
    with pytest.raises(TypeError, match="unhashable"):
        hash(_Frozen({"a": [1]}))


def test_pickle_and_copies_keep_it_read_only_and_named():
    by_year = _premium().by_year
    for other in (pickle.loads(pickle.dumps(by_year)), copy.copy(by_year), copy.deepcopy(by_year)):
        assert type(other) is _Frozen and other == by_year
        with pytest.raises(TypeError, match=r"PremiumRule\.by_year is read-only"):
            other[2021] = 1


@pytest.mark.parametrize(
    "change",
    [
        lambda m: m.__setitem__(2021, 1),
        lambda m: m.__delitem__(2019),
        lambda m: m.update({2019: -1}),
        lambda m: m.__ior__({2019: -1}),
        lambda m: m.pop(2019),
        lambda m: m.popitem(),
        lambda m: m.setdefault(2021, -1),
        lambda m: m.clear(),
        lambda m: m.__init__({2019: -1}),
    ],
    ids=["setitem", "delitem", "update", "ior", "pop", "popitem", "setdefault", "clear", "init"],
)
def test_every_change_is_refused_naming_the_field(change):
    premium = _premium()
    with pytest.raises(TypeError, match=r"PremiumRule\.by_year is read-only: .*replace"):
        change(premium.by_year)
    assert premium.by_year == {2019: 100_000, 2020: 110_000}


def test_in_place_or_is_refused_before_anything_changes():
    premium = _premium()
    by_year = premium.by_year
    with pytest.raises(TypeError, match="read-only"):
        by_year |= {2019: -1}
    assert premium.for_year(2019) == 100_000


def test_fromkeys_builds_one():
    keys = _Frozen.fromkeys(["a", "b"], Decimal("0.5"))
    assert type(keys) is _Frozen and keys == {"a": Decimal("0.5"), "b": Decimal("0.5")}


def test_the_digests_are_as_before():
    # a rule set's and an inputs' digest are taken over their frozen mappings: the
    # built-in sanming rules keep the digest they carry since session 36 (conftest's
    # SANMING_DIGEST) and test_inputs_frozen's every-container inputs the digest pinned
    # there (9a871dc4, re-taken at 8528d58c)
    assert load_rules("sanming").digest == "5ae816ac8bdbd40a" == SANMING_DIGEST
    assert _every_container_inputs(mapping=_Frozen).digest == "ce20117df1a219d3"
    assert _every_container_inputs().digest == "ce20117df1a219d3"
