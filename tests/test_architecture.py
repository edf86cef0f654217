"""The architecture, kept true mechanically: no import cycle, no verdict made outside the
kernel, no module over ~400 lines. (The layer contracts run in `make lint`.)"""

from __future__ import annotations

import ast
from pathlib import Path

import grimp

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "whysoftmax"
KERNEL = PACKAGE / "kernel"
#: Names that make or imitate a sealed verdict; only the kernel may use them.
SEALED = {"issue_proven", "_KERNEL", "_Seal", "weakest"}


def _outside_kernel() -> list[Path]:
    return [p for p in PACKAGE.rglob("*.py") if KERNEL not in p.parents]


def test_no_module_outside_the_kernel_makes_a_verdict():
    offenders = []
    for path in _outside_kernel():
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            name = (node.id if isinstance(node, ast.Name) else
                    node.attr if isinstance(node, ast.Attribute) else
                    node.name if isinstance(node, ast.alias) else None)
            if name in SEALED:
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno} uses {name}")
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "__setattr__"):
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno} calls __setattr__")
            if (isinstance(node, ast.Attribute) and node.attr == "PROVEN"
                    and isinstance(node.value, ast.Name) and node.value.id == "Kind"):
                parent_calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)
                                and any(a is node for a in ast.walk(n))
                                and getattr(n.func, "id", "") == "Status"]
                if parent_calls:
                    offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno} builds "
                                     "Status(Kind.PROVEN)")
    assert offenders == []


def test_the_scan_would_catch_a_forgery(tmp_path):
    forged = "from whysoftmax.kernel.verdict import issue_proven\nstatus = issue_proven()\n"
    tree = ast.parse(forged)
    names = {getattr(n, "name", None) or getattr(n, "id", None) for n in ast.walk(tree)}
    assert "issue_proven" in names & SEALED


def _cycles(graph) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    modules = sorted(graph.modules)
    index, low, stack, on_stack, found = {}, {}, [], set(), []
    counter = [0]

    def visit(module):
        index[module] = low[module] = counter[0]
        counter[0] += 1
        stack.append(module)
        on_stack.add(module)
        for target in graph.find_modules_directly_imported_by(module):
            if not target.startswith("whysoftmax"):
                continue
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == module:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in modules:
        if module not in index:
            visit(module)
    return found


def test_no_import_cycle():
    graph = grimp.build_graph("whysoftmax", exclude_type_checking_imports=True)
    assert _cycles(graph) == []


def test_modules_stay_small():
    sizes = {str(p.relative_to(PACKAGE)): len(p.read_text().splitlines())
             for p in PACKAGE.rglob("*.py")}
    assert {name: n for name, n in sizes.items() if n > 420} == {}
