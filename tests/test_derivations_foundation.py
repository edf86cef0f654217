"""The first derivations: every step proven for general n (not merely checked)."""

import pytest

from whysoftmax import CheckOptions, check_derivation


@pytest.mark.parametrize("name", ["jacobian", "shift_invariance"])
def test_every_step_is_proven_for_general_n(derivation_file, name):
    d = derivation_file(name)
    results = check_derivation(d, CheckOptions(points=3)).results
    assert len(results) == len(d.steps) >= 5
    for r in results:
        assert str(r.status) == "proven", (r.name, str(r.status), r.method)
        assert "pts, 50 digits" in r.numeric


def test_jacobian_steps_are_the_textbook_ones(derivation_file):
    names = [s.name for s in derivation_file("jacobian").steps]
    assert names == ["jacobian", "diagonal", "symmetric", "rows sum to zero", "matrix form"]
