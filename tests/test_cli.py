"""The command line: exit codes, selection, JUnit XML, parallel runs."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from whysoftmax.cli import main

FALSE_CLAIM = '''
from sympy import exp, log
from whysoftmax import Derivation
d = Derivation("false_claims", title="claims that must fail")
x = d.scalar("x", real=True)
d.equal("true law", exp(2 * x), exp(x) ** 2)
d.equal("softmax(2z) = softmax(z) in one dimension of difference", exp(2 * x), 2 * exp(x))
'''

ONLY_CHECKED = '''
from sympy import log
from whysoftmax import Derivation
from whysoftmax.definitions import log_sum_exp, vector_max
d = Derivation("only_checked")
n = d.dimension("n")
z = d.vector("z", n)
d.less_equal("lse bound", log_sum_exp(z, n), vector_max(z, n) + log(n))
'''


ONLY_ARGUED = '''
from whysoftmax import Derivation
d = Derivation("only_argued")
n = d.dimension("n")
d.less_equal("one", 1, n)
d.by_rule("n ≥ 1 again", "<=", 1, n, rule="because I say so", premises=["one"])
'''


@pytest.fixture
def files(tmp_path):
    (tmp_path / "false_claims.py").write_text(FALSE_CLAIM)
    (tmp_path / "only_checked.py").write_text(ONLY_CHECKED)
    return tmp_path


def test_failed_step_gives_exit_code_1(files, capsys):
    assert main(["check", str(files / "false_claims.py"), "--points", "2", "--no-cache"]) == 1
    out = capsys.readouterr().out
    assert "failed" in out and "counterexample" in out


def test_checked_passes_unless_strict(files):
    path = str(files / "only_checked.py")
    assert main(["check", path, "--points", "2", "--no-cache"]) == 0
    assert main(["check", path, "--points", "2", "--strict", "--no-cache"]) == 1


def test_argued_passes_unless_strict_and_is_a_junit_failure_under_strict(tmp_path, capsys):
    path = tmp_path / "only_argued.py"
    path.write_text(ONLY_ARGUED)
    assert main(["check", str(path), "--points", "2", "--no-cache"]) == 0
    assert "1 argued" in capsys.readouterr().out
    report = tmp_path / "strict.xml"
    code = main(["check", str(path), "--points", "2", "--strict", "--no-cache",
                 "--junit", str(report)])
    assert code == 1
    failures = ET.parse(report).getroot().findall(".//failure")
    assert [f.get("message") for f in failures] == ["n ≥ 1 again: only argued"]


def test_warm_check_replays_certificates_and_verify_agrees(tmp_path, capsys):
    cache = tmp_path / "cache"
    args = ["derivations/jacobian.py", "--points", "2", "--cache", str(cache)]
    assert main(["check", *args]) == 0
    cold = capsys.readouterr().out
    assert main(["check", *args]) == 0
    warm = capsys.readouterr().out
    assert main(["verify", "derivations/jacobian.py", "--cache", str(cache)]) == 0
    verified = capsys.readouterr().out
    summary = "5 steps in 1 derivations: 5 proven"
    assert summary in cold and summary in warm and summary in verified
    assert main(["verify", str(tmp_path / "none.py"), "--cache", str(cache)]) == 2


def test_verify_without_certificates_fails(tmp_path, capsys):
    code = main(["verify", "derivations/jacobian.py", "--cache", str(tmp_path / "empty")])
    assert code == 1
    assert "no certificate" in capsys.readouterr().out


def test_help_states_what_each_status_means(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for word in ("proven", "proven for n ≤ N", "argued", "checked", "failed", "where",
                 "SymPy's reductions"):
        assert word in out


def test_k_selects_steps_by_name(files, capsys):
    assert main(["check", str(files), "-k", "true law", "--points", "2", "--no-cache"]) == 0
    out = capsys.readouterr().out
    assert "1 steps in 1 derivations" in out


def test_junit_has_a_case_per_step_and_the_failure(files, tmp_path):
    report = tmp_path / "out" / "steps.xml"
    code = main(["check", str(files), "--points", "2", "-j", "2", "--junit", str(report),
                 "--no-cache"])
    assert code == 1
    root = ET.parse(report).getroot()
    cases = root.findall(".//testcase")
    assert {c.get("name") for c in cases} == {
        "true law", "softmax(2z) = softmax(z) in one dimension of difference", "lse bound"
    }
    failures = root.findall(".//failure")
    assert len(failures) == 1 and "counterexample" in failures[0].text
    assert root.get("failures") == "1"


def test_list_shows_the_repository_derivations(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert "jacobian" in out and "shift_invariance" in out


def test_bad_option_values_are_usage_errors(capsys):
    assert main(["check", "--dps", "10"]) == 2
    assert "dps must be at least 30" in capsys.readouterr().out


def test_console_script_and_derivation_file_run(tmp_path):
    done = subprocess.run(
        [sys.executable, "derivations/shift_invariance.py", "--points", "2", "--no-cache"],
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 failed" in done.stdout


def test_readme_and_guide_state_each_status_as_the_code_does():
    from pathlib import Path

    from whysoftmax.output.style import LOOKS

    root = Path(__file__).resolve().parent.parent
    for page in (root / "README.md", root / "docs" / "guide.md"):
        text = page.read_text()
        for name, look in LOOKS.items():
            assert f"| `{name}` | {look.meaning} |" in text, (page.name, name)
