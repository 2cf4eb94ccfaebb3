"""The worked example of a machine coder's provenance, shared by the codes export
(test_coding_machine_columns.py) and QDPX export (test_qdpx_machine.py) tests: written
by hand, so each expected cell or note line is the stored value formatted."""

from __future__ import annotations

from ihms.policy.coding import add_codings, review_codings

M, R = "machine:m1", "machine:rules-abc"
TRAINED_AT = "2026-11-20T08:00:00+00:00"


def prov(probability: dict, inside: bool) -> dict:
    return {"model_id": "m1", "training_size": 32, "trained_at": TRAINED_AT,
            "codebook_version": "ycgt v1 (a1d615cc6a75)", "probability": probability,
            "in_training": inside}  # fmt: skip


def code_machines(p, s: list[str]) -> None:
    """machine:m1 on actors for segments ``s[0:3]`` (the first reviewed and accepted by
    lead); keyword rules on the first."""
    p.add_coder(M, kind="machine", model_id="m1", training_size=32, trained_at=TRAINED_AT)
    add_codings(
        p,
        {(s[0], "actors", M): frozenset({"government", "hospital"}),
         (s[1], "actors", M): frozenset({"government"}),
         (s[2], "actors", M): frozenset()},
        provenance={(s[0], "actors", M): prov({"government": 0.9755, "hospital": 0.6123}, True),
                    (s[1], "actors", M): prov({"government": 0.8}, False),
                    (s[2], "actors", M): prov({}, False)},
    )  # fmt: skip
    review_codings(p, coder=M, reviews={(s[0], "actors"): "accepted"}, reviewed_by="lead")
    p.add_coder(R, kind="machine", model_id="rules-abc")
    rules = {"government": {"rule": "政府 OR 局", "matched": ["政府"]}}
    add_codings(
        p,
        {(s[0], "actors", R): frozenset({"government"})},
        provenance={(s[0], "actors", R): {"model_id": "rules-abc", "rules": rules}},
    )
