"""The derivation catalog: every step is proven, and weakening would show.

Each derivation is checked once per session (3 random points per instance, on top of the
adversarial ones). Every step of the catalog is ``proven`` (for general n, or for the
exact expression): a step that drops to ``proven for n ≤ N`` or ``checked`` — or any
failure — fails these tests.
"""

from __future__ import annotations

import mpmath
import pytest
from sympy import E

from whysoftmax import CheckOptions, Derivation, check_derivation
from whysoftmax.matrix import property_matrix
from whysoftmax.status import Kind, Status

PROVEN = Status.proven()

CATALOG = [
    "exponential_family", "log_softmax", "cross_entropy_gradient", "scale_and_shift",
    "temperature", "sigmoid", "sum_normalisation", "maximum_entropy", "gaussian_classes",
    "spherical_and_taylor", "likelihood_underflow", "properties", "stable_forms",
]


@pytest.fixture(scope="session")
def checked(derivation_file):
    cache: dict[str, dict] = {}

    def get(name: str):
        if name not in cache:
            d = derivation_file(name)
            results = check_derivation(d, CheckOptions(points=3)).results
            cache[name] = {r.name: r for r in results}
        return cache[name]

    return get


@pytest.mark.parametrize("name", CATALOG)
def test_every_step_is_proven(checked, name):
    for step, r in checked(name).items():
        assert r.status == PROVEN, f"{name} / {step}: {r.status} ({r.method})"
        assert not r.engine_error


@pytest.mark.parametrize(
    ("name", "step"),
    [
        ("exponential_family", "∇²a = diag(p) − ppᵀ"),
        ("exponential_family", "cross-entropy is convex in the logits"),
        ("log_softmax", "z_i − max z − log n ≤ log s_i"),
        ("log_softmax", "log s_i − (z_i − max z) → 0 as the gap → ∞"),
        ("cross_entropy_gradient", "MSE gradient → 0 as the wrong class wins"),
        ("maximum_entropy", "lse is the convex conjugate of −H on the simplex"),
        ("gaussian_classes", "1-D posterior is softmax of linear logits"),
        ("temperature", "lse(cz)/c → max z as c → ∞"),
        ("temperature", "the arg max → 1 as c → ∞"),
    ],
)
def test_key_general_n_claims_are_proven_and_numerically_checked(checked, name, step):
    r = checked(name)[step]
    assert r.status == PROVEN
    assert r.numeric is not None and r.numeric.points > 0
    assert r.numeric.sizes == [1, 2, 3, 5, 8]  # checked numerically for n = 1 … 8


def _softmax(values):
    exps = [mpmath.exp(mpmath.mpf(v)) for v in values]
    return [e / sum(exps) for e in exps]


def test_thread_numbers_to_the_digits_given():
    with mpmath.workdps(40):
        a = _softmax([1, 2])
        b = _softmax([10, 20])
        assert mpmath.nstr(a[0], 8) == "0.26894142"
        assert mpmath.nstr(a[1], 8) == "0.73105858"
        assert mpmath.nstr(b[0], 9) == "4.53978687e-5"
        assert mpmath.nstr(b[1], 9) == "0.999954602"


def test_thread_numbers_are_proven_steps(checked):
    results = checked("scale_and_shift")
    for step in ("softmax([1, 2])_1", "softmax([1, 2])_2", "softmax([10, 20])_1",
                 "softmax([10, 20])_2", "sum-norm([1, 2])_1", "sum-norm([10, 20])_1"):
        assert results[step].status == PROVEN


def test_a_wrong_last_digit_fails():
    d = Derivation("digits")
    d.approximately("right", E / (E + E**2), "0.26894142")
    d.approximately("wrong", E / (E + E**2), "0.26894143")
    statuses = [r.status.kind for r in check_derivation(d, CheckOptions(points=1)).results]
    assert statuses == [Kind.PROVEN, Kind.FAILED]


EXPECTED_MATRIX = {
    # sums, ≥0, >0, defined, shift, scale, order, differentiable, gradient when wrong
    "softmax": "✓✓✓✓✓✗✓✓✓",
    "sum normalisation": "✓✗✗✗✗✓✗✗✓",
    "min-shift normalisation": "✓✓✗✗✓✓✓✗✗",
    "spherical": "✓✓✓✓✗✗✗✓✗",
    "Taylor": "✓✓✓✓✗✗✗✓✗",
    "sparsemax": "✓✓✗✓✓✗✓✗✗",
}


def test_property_matrix_from_the_engine(checked, derivation_file):
    import importlib.util

    from tests.conftest import DERIVATIONS

    spec = importlib.util.spec_from_file_location("props", DERIVATIONS / "properties.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    matrix = property_matrix(list(checked("properties").values()))
    assert matrix.rows == module.ROWS
    assert sorted(matrix.columns) == sorted(module.COLUMNS)
    for row, marks in EXPECTED_MATRIX.items():
        got = "".join(matrix[(row, column)].mark for column in module.COLUMNS)
        assert got == marks, row
    # softmax is the only row with every property but scale invariance
    assert [r for r in matrix.rows if EXPECTED_MATRIX[r].count("✓") == 8] == ["softmax"]
    # and every cell is a proof or an exact counterexample, none merely checked
    assert {cell.status for cell in matrix.cells.values()} == {PROVEN}
