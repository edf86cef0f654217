"""The derivation catalog: every step is proven by checked inference, and weakening
would show.

Each derivation is checked once per session (3 random points per instance, on top of the
adversarial ones). Every step of the catalog is ``proven`` for general n (or for the exact
expression), except the five sparsemax cells that rest on Martins & Astudillo's closed
form (``argued``, listed here); the steps that hold only where a side condition does are
listed with their conditions. A step that drops — or any new condition — fails a test.
"""

from __future__ import annotations

import mpmath
import pytest
from sympy import E

from whysoftmax import CheckOptions, Derivation, check_derivation
from whysoftmax.kernel import Kind
from whysoftmax.output.matrix import property_matrix

from .conftest import DERIVATIONS

#: The only steps not proven for general n: sparsemax's general-n cells.
ARGUED = {f"sparsemax: {c}" for c in ("sums to 1", "non-negative", "defined on all of ℝⁿ",
                                         "shift invariant", "order preserving")}
#: Steps that hold where their denominators are nonzero (and say so).
CONDITIONAL = {
    "sum normalisation: sums to 1": "Σ_{j=1..n} z_j ≠ 0",
    "sum normalisation: scale invariant": "Σ_{j=1..n} lambda*z_j ≠ 0; Σ_{j=1..n} z_j ≠ 0",
    "sum normalisation: −log p_y keeps a gradient when wrong": "x ≠ 0",
    "min-shift normalisation: sums to 1": "Σ_{j=1..n} -min_j z_j + z_j ≠ 0",
    "min-shift normalisation: non-negative": "Σ_{j=1..n} -min_j z_j + z_j ≠ 0",
    "min-shift normalisation: shift invariant": "Σ_{j=1..n} -min_j z_j + z_j ≠ 0",
    "min-shift normalisation: scale invariant":
        "Σ_{j=1..n} lambda*z_j - lambda*min_j z_j ≠ 0; Σ_{j=1..n} -min_j z_j + z_j ≠ 0",
    "min-shift normalisation: order preserving": "Σ_{j=1..n} -min_j z_j + z_j ≠ 0",
    "spherical is scale invariant at ε = 0":
        "Σ_{j=1..n} c**2*z_j**2 ≠ 0; Σ_{j=1..n} z_j**2 ≠ 0",
}

#: Every derivation file: the whole book is held to the same standard.
CATALOG = sorted(p.stem for p in DERIVATIONS.glob("*.py"))
#: Derivations whose conclusions rest on stated hypotheses (``d.assume``): their steps are
#: "proven assuming" these, and nothing else.
HYPOTHESES = {
    "why_exp": {"N is shift invariant", "N is scale invariant"},
    "luce_choice": {"independence of irrelevant alternatives", "p sums to 1"},
    "distillation": {"z has zero mean", "v has zero mean"},
}


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
        assert not r.engine_error
        if r.status.assuming:
            assert r.status.kind is Kind.PROVEN and not r.status.where
            assert set(r.status.assuming) <= HYPOTHESES.get(name, set()), f"{name} / {step}"
            continue
        expected = ("argued" if step in ARGUED else
                    f"proven where {CONDITIONAL[step]}" if step in CONDITIONAL else "proven")
        assert str(r.status) == expected, f"{name} / {step}: {r.status} ({r.method})"


def test_no_step_rests_on_a_recorded_rule_except_the_listed_ones(checked):
    argued = {step for name in CATALOG for step, r in checked(name).items()
              if r.status.kind is Kind.ARGUED}
    assert argued == ARGUED


@pytest.mark.parametrize(
    ("name", "step"),
    [
        ("exponential_family", "∇²a = diag(p) − ppᵀ"),
        ("exponential_family", "cross-entropy is convex in the logits"),
        ("log_softmax", "z_i − max z − log n ≤ log s_i"),
        ("log_softmax", "lse(z) − max z → 0 as the gap → ∞"),
        ("cross_entropy_gradient", "MSE gradient → 0 as the wrong class wins"),
        ("maximum_entropy", "⟨p, z⟩ + H(p) ≤ lse(z) on the simplex"),
        ("gaussian_classes", "1-D posterior is softmax of linear logits"),
        ("temperature", "lse(cz)/c → max z as c → ∞"),
        ("temperature", "the arg max → 1 as c → ∞"),
    ],
)
def test_key_general_n_claims_are_proven_and_numerically_checked(checked, name, step):
    r = checked(name)[step]
    assert str(r.status) == "proven"
    assert "pts, 50 digits" in r.numeric


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
        assert str(results[step].status) == "proven"


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
#: Cells shown with a side condition (where the row's denominator is nonzero).
CONDITIONAL_CELLS = {
    ("sum normalisation", "sums to 1"), ("sum normalisation", "scale invariant"),
    ("sum normalisation", "−log p_y keeps a gradient when wrong"),
    ("min-shift normalisation", "sums to 1"), ("min-shift normalisation", "non-negative"),
    ("min-shift normalisation", "shift invariant"), ("min-shift normalisation", "scale invariant"),
    ("min-shift normalisation", "order preserving"),
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
    # every cell is a proof or an exact counterexample (sparsemax's general-n cells argued)
    for (row, column), cell in matrix.cells.items():
        if row == "sparsemax" and f"sparsemax: {column}" in ARGUED:
            assert cell.status.kind is Kind.ARGUED
        elif (row, column) in CONDITIONAL_CELLS:
            assert cell.status.label == "proven" and cell.status.where
        else:
            assert str(cell.status) == "proven", (row, column, str(cell.status))
