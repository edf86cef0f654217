"""scipy's own tests of softmax, log_softmax and logsumexp, run against whysoftmax.numeric.

The installed scipy's ``special/tests/test_logsumexp.py`` is copied with its one import
line pointed at ``whysoftmax.numeric`` and run by pytest in a subprocess, with scipy's
own conftest (the ``xp`` fixture, numpy backend) — and, for the count, scipy's copy too.
Every test must pass: none fails, none is skipped or xfailed.

Deliberate differences from scipy that its file does not exercise (each tested below,
against scipy, so that the difference is visible and stays deliberate):

- ``+inf`` entries share probability 1 (scipy: NaN from inf − inf);
- more accurate results where scipy's rounding is amplified (gaps 20–750, log(1 + tiny));
- extended precision (float128) is refused instead of computed in float128;
- complex ``log_softmax`` returns the principal branch (imaginary part of ``lse`` in
  (−π, π]) where scipy's may differ by a multiple of 2π.
"""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
import scipy.special

from whysoftmax import numeric as wn

SCIPY_TESTS = Path(scipy.special.__file__).parent / "tests" / "test_logsumexp.py"
IMPORT = "from scipy.special import log_softmax, logsumexp, softmax"
CONFTEST = '''
pytest_plugins = ["scipy.conftest"]

import scipy.special
from scipy._lib._array_api import xp_capabilities_table

import {module} as tested

for name in ("softmax", "log_softmax", "logsumexp"):  # scipy's marks for our functions
    xp_capabilities_table[getattr(tested, name)] = xp_capabilities_table[
        getattr(scipy.special, name)]
'''


def _run(directory: Path, module: str) -> dict[str, int]:
    """Run the copied file with ``module``'s functions; the outcome counts."""
    directory.mkdir()
    source = SCIPY_TESTS.read_text()
    assert source.count(IMPORT) == 1, "scipy's import line changed: update IMPORT"
    (directory / "test_logsumexp.py").write_text(
        source.replace(IMPORT, f"from {module} import log_softmax, logsumexp, softmax"))
    (directory / "conftest.py").write_text(CONFTEST.format(module=module))
    report = directory / "report.xml"
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         f"--rootdir={directory}", f"--junitxml={report}", "test_logsumexp.py"],
        cwd=directory, capture_output=True, text=True, timeout=300, check=False,
        env={k: v for k, v in os.environ.items() if k != "SCIPY_ARRAY_API"},  # numpy only
    )
    assert report.exists(), run.stdout[-3000:] + run.stderr[-3000:]
    suite = ET.parse(report).getroot()
    suite = suite if suite.tag == "testsuite" else suite.find("testsuite")
    counts = {k: int(suite.get(k, 0)) for k in ("tests", "failures", "errors", "skipped")}
    counts["failed"] = [c.get("name") for c in suite.iter("testcase")
                        if c.find("failure") is not None or c.find("error") is not None]
    return counts


def test_scipys_own_tests_pass(tmp_path):
    ours = _run(tmp_path / "whysoftmax", "whysoftmax.numeric")
    theirs = _run(tmp_path / "scipy", "scipy.special")
    assert theirs["tests"] >= 400, theirs  # scipy 1.17: 407 cases
    assert ours["failed"] == [], ours["failed"]
    assert (ours["failures"], ours["errors"], ours["skipped"]) == (0, 0, 0), ours
    assert ours["tests"] == theirs["tests"]


# -- the deliberate differences -----------------------------------------------------------

def test_infinite_entries_share_probability_one_where_scipy_gives_nan():
    x = [np.inf, 1.0, np.inf]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert np.isnan(scipy.special.softmax(x)).all()
    np.testing.assert_array_equal(wn.softmax(x), [0.5, 0.0, 0.5])


def test_more_accurate_than_scipy_where_scipy_rounds_the_gap():
    x = np.array([0.0, -55.0])
    assert scipy.special.log_softmax(x)[0] == 0.0
    assert wn.log_softmax(x)[0] == -1.2995814250075031e-24  # correctly rounded


def test_extended_precision_is_refused_with_the_functions_name():
    if np.finfo(np.longdouble).nmant == np.finfo(np.float64).nmant:
        pytest.skip("long double is float64 on this platform: nothing to refuse")
    x = np.ones(3, dtype=np.longdouble)
    assert scipy.special.softmax(x).dtype == np.longdouble
    with pytest.raises(TypeError, match=r"^softmax: x has dtype float128; .* not supported"):
        wn.softmax(x)


def test_complex_log_softmax_is_the_principal_branch():
    z = np.array([1 + 3j, 2 - 3j, -2 + 3j])
    ours, theirs = wn.log_softmax(z), scipy.special.log_softmax(z)
    np.testing.assert_allclose(np.exp(ours), np.exp(theirs), rtol=1e-13)  # the same numbers
    lse = z[0] - ours[0]
    assert -np.pi < lse.imag <= np.pi
