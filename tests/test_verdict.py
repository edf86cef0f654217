"""Statuses are ordered, combine by the weakest link, and cannot be forged or upgraded."""

from __future__ import annotations

import dataclasses

import pytest

from whysoftmax.kernel import Certificate, Claim, Kind, Relation, Status, Theorem
from whysoftmax.kernel.verdict import issue_proven, status_from_data, weakest


def test_order_from_strongest_to_weakest():
    ranked = sorted([Status.failed(), issue_proven(), Status.checked(), issue_proven(up_to=6),
                     Status.argued()], key=lambda s: s.rank)
    assert [str(s) for s in ranked] == ["failed", "checked", "argued", "proven for n ≤ 6",
                                        "proven"]


def test_weakest_takes_the_smaller_n_and_every_condition():
    got = weakest([issue_proven(8, ("x ≠ 1",)), issue_proven(4, ("y > 0",))])
    assert str(got) == "proven for n ≤ 4 where x ≠ 1; y > 0"
    assert weakest([issue_proven(), Status.argued()]).kind is Kind.ARGUED


def test_failed_dominates_and_is_not_ok():
    result = weakest([issue_proven(), Status.failed()])
    assert result.kind is Kind.FAILED and not result.ok


def test_proven_cannot_be_made_or_upgraded_outside_the_kernel():
    with pytest.raises(TypeError, match="only the proof kernel"):
        Status(Kind.PROVEN)
    six = issue_proven(up_to=6)
    with pytest.raises(TypeError, match="only the proof kernel"):
        dataclasses.replace(six, up_to=None)
    conditional = issue_proven(where=("x ≠ 0",))
    with pytest.raises(TypeError, match="only the proof kernel"):
        dataclasses.replace(conditional, where=())
    with pytest.raises(ValueError, match="up_to"):
        Status(Kind.CHECKED, up_to=3)


def test_theorems_are_sealed_and_stored_statuses_are_not_trusted():
    claim = Claim(Relation.EQ, 1, 1)
    with pytest.raises(TypeError, match="only the proof kernel makes Theorem"):
        Theorem(claim, Status.checked(), Certificate("none"))
    with pytest.raises(ValueError, match="replayed by the kernel"):
        status_from_data(issue_proven().to_data())
    assert str(status_from_data(Status.argued(("x > 0",)).to_data())) == "argued where x > 0"
