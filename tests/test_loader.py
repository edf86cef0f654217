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
    "exits.py": ("import sys\nsys.exit(0)\n", "called sys.exit(0) while loading"),
    "unguarded.py": (
        '''
        from sympy import exp
        from whysoftmax import Derivation
        d = Derivation("u")
        x = d.scalar("x")
        d.equal("law", exp(2 * x), exp(x) ** 2)
        d.main()
        ''',
        "put it under 'if __name__ == \"__main__\":'",
    ),
    "floats.py": (
        '''
        from whysoftmax import Derivation
        d = Derivation("f")
        x = d.scalar("x")
        d.equal("nearly", x + 1e-30 * x, x)
        ''',
        "floating-point number",
    ),
    "own_class.py": (
        '''
        from sympy import Function, Symbol
        from whysoftmax import Derivation
        class always_zero(Function):
            @classmethod
            def eval(cls, x):
                return None
        d = Derivation("own")
        x = d.scalar("x")
        d.equal("mine", always_zero(x), 0)
        ''',
        "unknown name 'always_zero'",
    ),
    "int_name.py": (
        '''
        from whysoftmax import Derivation
        d = Derivation("i")
        x = d.scalar("x")
        d.equal(3, x, x)
        ''',
        "a step name must be a non-empty string, not 3",
    ),
    "string_cell.py": (
        '''
        from whysoftmax import Derivation
        d = Derivation("c")
        x = d.scalar("x")
        d.equal("c", x, x, cell="row/column")
        ''',
        "cell= must be a (row, column) pair of strings",
    ),
    "limit_rule.py": (
        '''
        from whysoftmax import Derivation
        d = Derivation("l")
        x = d.scalar("x")
        d.equal("e", x, x)
        d.by_rule("lim", "limit", x, 0, rule="squeeze", premises=["e"])
        ''',
        "a limit needs variable= a declared symbol",
    ),
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


def test_a_file_that_never_finishes_loading_is_stopped(tmp_path):
    from whysoftmax.loader import load_file

    path = tmp_path / "loops.py"
    path.write_text("while True:\n    pass\n")
    error = load_file(path, timeout=1.0)
    assert isinstance(error, LoadError)
    assert "did not finish loading within 1 s" in error.message


def test_a_file_cannot_patch_the_checker_for_the_others(tmp_path, capsys):
    (tmp_path / "a_patch.py").write_text(textwrap.dedent("""
        import whysoftmax.kernel.rules as rules
        rules.RULES["anything"] = lambda *args: (True, "patched")
        from sympy import Symbol
        from whysoftmax import Derivation
        d = Derivation("patcher")
        x = d.scalar("x")
        d.equal("fine", x, x)
    """))
    (tmp_path / "b_uses.py").write_text(textwrap.dedent("""
        from whysoftmax import Derivation
        d = Derivation("user")
        n = d.dimension("n")
        d.less_equal("one", 1, n)
        d.by_rule("n <= 1", "<=", n, 1, rule="anything", premises=["one"])
    """))
    assert main(["check", str(tmp_path), "--points", "2", "--no-cache"]) == 1
    out = capsys.readouterr().out
    assert "patched" not in out
    import whysoftmax.kernel.rules as rules

    assert "anything" not in rules.RULES


def test_what_the_child_sends_is_data_not_a_pickle(tmp_path):
    """A file that finds the pipe and sends a pickle whose __reduce__ would run code in the
    checker gets one error line, and nothing runs."""
    from whysoftmax.loader import load_file

    path = tmp_path / "pickler.py"
    path.write_text(textwrap.dedent("""
        import inspect, os
        import whysoftmax.kernel.rules
        class Payload:
            def __reduce__(self):
                return (exec, ("import whysoftmax.kernel.rules as r; r.RULES['pwned'] = 1",))
        for frame in inspect.stack():
            connection = frame.frame.f_locals.get("connection")
            if connection is not None:
                connection.send(("ok", Payload()))
                connection.close()
                os._exit(0)
    """))
    error = load_file(path, timeout=10)
    assert isinstance(error, LoadError)
    import whysoftmax.kernel.rules as rules

    assert "pwned" not in rules.RULES
