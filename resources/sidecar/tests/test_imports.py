"""The package's modules import one another without cycles, counting imports inside functions too:
a lazy import hides a cycle from start-up, not from the next person who moves it to the top."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import SIDECAR_DIR

PACKAGE = "wan_sidecar"


def module_names() -> dict[str, Path]:
    names = {}
    for path in sorted((SIDECAR_DIR / PACKAGE).rglob("*.py")):
        parts = path.relative_to(SIDECAR_DIR).with_suffix("").parts
        names[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return names


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The package's modules that importing `name` runs: `from x import y` counts x.y when y is a module."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
        else:
            continue
        for target in targets:
            # Importing a.b.c first runs a.b's and a's __init__, except the ones being imported
            # already because they contain `name`.
            parts = target.split(".")
            for depth in range(1, len(parts) + 1):
                needed = ".".join(parts[:depth])
                if needed in modules and needed != name and not name.startswith(needed + "."):
                    found.add(needed)
    return found


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    visiting: list[str] = []
    done: set[str] = set()

    def visit(node: str) -> list[str] | None:
        if node in visiting:
            return visiting[visiting.index(node) :] + [node]
        if node in done:
            return None
        visiting.append(node)
        for target in sorted(graph[node]):
            if cycle := visit(target):
                return cycle
        visiting.pop()
        done.add(node)
        return None

    for node in sorted(graph):
        if cycle := visit(node):
            return cycle
    return None


def test_the_package_has_no_import_cycles():
    modules = module_names()
    graph = {name: imports_of(name, path, modules) for name, path in modules.items()}
    # The graph is really read, and ancestors being imported already do not count.
    assert graph["wan_sidecar.video_io"] == {"wan_sidecar.errors"}
    assert graph["wan_sidecar.engines.synthetic"] == {
        "wan_sidecar.errors", "wan_sidecar.video_io", "wan_sidecar.previews", "wan_sidecar.engines.base",
    }  # fmt: skip
    cycle = find_cycle(graph)
    assert cycle is None, " -> ".join(cycle)


def test_errors_import_nothing_from_the_package():
    modules = module_names()
    assert imports_of("wan_sidecar.errors", modules["wan_sidecar.errors"], modules) == set()


def test_the_cycle_finder_finds_cycles():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None
