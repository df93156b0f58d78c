"""The engine's imports point one way (docs/architecture.md, "Layers"): no module of `conformance/`
imports, directly or through others, a module that imports it back, counting imports inside
functions and under `TYPE_CHECKING` too (a cycle hidden there is still a circle of concerns); and the
engine and the mock import nothing of each other."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported_modules(path: Path, package: str) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in names if name == package or name.startswith(package + ".")}


def import_graph(package: str) -> dict[str, set[str]]:
    """Module -> the package's modules it imports (anywhere in its text)."""
    modules = {_module_name(path): path for path in (ROOT / package).rglob("*.py")}
    return {name: {imported for imported in _imported_modules(path, package)
                   if imported in modules and imported != name}
            for name, path in modules.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a list of modules (first repeated at the end), or None."""
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = "open"
        stack.append(module)
        for imported in sorted(graph[module]):
            if state.get(imported) == "open":
                return [*stack[stack.index(imported):], imported]
            if imported not in state:
                cycle = visit(imported)
                if cycle is not None:
                    return cycle
        stack.pop()
        state[module] = "done"
        return None

    for module in sorted(graph):
        if module not in state:
            cycle = visit(module)
            if cycle is not None:
                return cycle
    return None


def test_the_cycle_finder_finds_a_cycle_through_three_modules():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


@pytest.mark.parametrize("package", ["conformance", "mockserver"])
def test_no_module_imports_itself_back(package):
    cycle = find_cycle(import_graph(package))
    assert cycle is None, "import cycle: " + " -> ".join(cycle or ())


def test_the_engine_and_the_mock_import_nothing_of_each_other():
    for package, other in (("conformance", "mockserver"), ("mockserver", "conformance")):
        for path in (ROOT / package).rglob("*.py"):
            assert not _imported_modules(path, other), f"{path.relative_to(ROOT)} imports {other}"
