"""Bad derivation files give one clear line naming the file; the others still run."""

from __future__ import annotations

import textwrap

import pytest

from whysoftmax.cli import main
from whysoftmax.loader import LoadError, load

GOOD = '''
from sympy import exp
from whysoftmax import Derivation
d = Derivation("good", title="good")
x = d.scalar("x")
d.equal("law", exp(2 * x), exp(x) ** 2)
'''

BAD = {
    "syntax.py": ("def broken(:\n", "syntax error at line 1"),
    "empty.py": ("x = 1\n", "defines no Derivation"),
    "matrix.py": (
        '''
        from sympy import Matrix, Symbol
        from whysoftmax import Derivation
        d = Derivation("m")
        x = d.scalar("x")
        d.equal("shape", Matrix([[x, 0], [0, x]]), x)
        ''',
        "compares a 2×2 matrix with a scalar",
    ),
    "undeclared.py": (
        '''
        from sympy import Symbol
        from whysoftmax import Derivation
        d = Derivation("u")
        d.equal("free", Symbol("q") + 1, 1 + Symbol("q"))
        ''',
        "undeclared symbol(s) q",
    ),
    "raises.py": ("raise RuntimeError('boom')\n", "RuntimeError while loading: boom"),
    "dummy.py": (
        '''
        from sympy import Derivative, Sum, exp, Symbol
        from whysoftmax import Derivation
        d = Derivation("dummy")
        n = d.dimension("n")
        z = d.vector("z", n)
        (j,) = d.indices("j", n)
        d.equal("pitfall", Derivative(Sum(exp(z[j]), (j, 1, n)), z[j]), exp(z[j]))
        ''',
        "is also a summation index",
    ),
}


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "good.py").write_text(GOOD)
    for name, (source, _) in BAD.items():
        (tmp_path / name).write_text(textwrap.dedent(source))
    return tmp_path


def test_each_bad_file_is_one_line_naming_file_and_problem(folder):
    loaded, errors = load([str(folder)])
    assert [item.derivation.id for item in loaded] == ["good"]
    by_file = {e.path.rsplit("/", 1)[-1]: e for e in errors}
    assert set(by_file) == set(BAD)
    for name, (_, expected) in BAD.items():
        error = by_file[name]
        assert isinstance(error, LoadError)
        assert expected in error.message, (name, error.message)
        assert "\n" not in str(error)
        assert str(error).startswith(str(folder / name))


def test_cli_reports_bad_files_and_still_checks_the_good_one(folder, capsys):
    code = main(["check", str(folder), "--points", "2"])
    out = capsys.readouterr().out
    assert code == 1
    assert "good" in out and "1 proven" in out
    assert "compares a 2×2 matrix with a scalar" in out
    assert "Traceback" not in out


def test_missing_path_is_a_usage_error(tmp_path, capsys):
    assert main(["check", str(tmp_path / "nope")]) == 2
    assert "no such file or folder" in capsys.readouterr().out
