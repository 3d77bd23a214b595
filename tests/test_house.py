"""The shape of the code: one home for the commands, no import circles, a light CLI start."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "checker"

# Circles another change cuts (issue 13, "the house"): listed so that this test catches any new
# one meanwhile. Remove an entry when its circle is gone.
KNOWN_CIRCLES = {frozenset({"checker.facts.lexicon", "checker.facts.prefilter"})}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, name: str) -> set[str]:
    """Every checker module imported anywhere in the file (function bodies too), except under
    `if TYPE_CHECKING:`, which never runs."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip.update(id(n) for child in node.body for n in ast.walk(child))
    found: set[str] = set()
    is_pkg = path.name == "__init__.py"
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("checker"))
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = name.split(".")
                base = base if is_pkg else base[:-1]
                base = base[: len(base) - (node.level - 1)]
                module = ".".join([*base, module] if module else base)
            if module.startswith("checker"):
                found.add(module)
                found.update(f"{module}.{a.name}" for a in node.names)
    return found


def _graph() -> dict[str, set[str]]:
    files = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        graph[name] = {m for m in _imports(path, name) if m in files and m != name}
    return graph


def _circles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[frozenset[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = set()
            while True:
                w = stack.pop()
                on.discard(w)
                comp.add(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(frozenset(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def _without_packages(circle: frozenset[str]) -> frozenset[str]:
    """A package importing its own submodule (checker.facts -> checker.facts.x) is how Python
    packages work, not a circle between two jobs."""
    return frozenset(m for m in circle if not any(o.startswith(m + ".") for o in circle))


def test_no_import_circles() -> None:
    circles = [_without_packages(c) for c in _circles(_graph())]
    unexpected = [sorted(c) for c in circles if len(c) > 1 and c not in KNOWN_CIRCLES]
    assert unexpected == []


@pytest.mark.parametrize("pair", [("checker.config", "checker.rules"),
                                  ("checker.cli", "checker.commands.report")])
def test_named_circles_are_cut(pair: tuple[str, str]) -> None:
    graph = _graph()
    a, b = pair
    assert not (b in graph.get(a, set()) and a in graph.get(b, set()))
    assert all(not ({a, b} <= c) for c in _circles(graph))


def test_every_subcommand_has_its_own_module() -> None:
    from checker.commands import COMMANDS

    for name, target in COMMANDS.items():
        module, _, _attr = target.partition(":")
        assert module == f"checker.commands.{name}"
        assert (PACKAGE / "commands" / f"{name}.py").is_file()
    assert not (PACKAGE / "gate_cli.py").exists()
    assert not (PACKAGE / "summary" / "command.py").exists()


def test_checking_one_named_file_loads_no_report_or_path_machinery() -> None:
    """`privcheck check one.md` (the cold start issue 9 measures) imports neither Jinja2 nor
    pathspec: include/exclude patterns are compiled only when a folder is walked."""
    code = ("import sys; from click.testing import CliRunner; from checker.cli import main; "
            "from tests.gatekit import SAMPLE; "
            "r = CliRunner().invoke(main, ['check', '-q', str(SAMPLE)]); "
            "assert r.exit_code == 0, r.output; "
            "print(','.join(m for m in ['jinja2', 'pathspec', 'checker.summary', "
            "'checker.diff', 'distributed'] if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, cwd=PACKAGE.parent)
    assert done.stdout.strip() == ""


def test_cli_start_loads_no_engine_or_renderers() -> None:
    """`privcheck --help` and the definition of every command load click and little else."""
    code = ("import sys; from click.testing import CliRunner; from checker.cli import main; "
            "r = CliRunner().invoke(main, ['--help']); assert r.exit_code == 0, r.output; "
            "heavy = ['checker.engine', 'checker.facts', 'checker.models', 'jinja2', "
            "'rich', 'pydantic', 'checker.outputs']; "
            "print(','.join(m for m in heavy if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == ""
