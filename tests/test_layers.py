"""The package's layers: imports point down only, no module takes part in an import cycle.

The layers, from the bottom (``docs/architecture.md`` draws them):

====  ==========================================================================================
rank  top-level modules and packages of ``coopgraph``
====  ==========================================================================================
0     ``config``, ``errors``, ``namespaces``, ``negotiation``, ``sparqltext``, ``templating``,
      ``rdfinput``, ``sandbox``, the package itself (``__version__``)
1     ``queries``
2     ``store``
3     ``validation``, ``protocol``, ``linkeddata``, ``network``, ``explore``, ``matching``, ``directory``,
      ``indicators``, ``auth``, ``audit``, ``gate``, ``contrib``
4     ``api``
5     ``cli``
====  ==========================================================================================

A module may import from its own rank or below, never from a higher rank; the library (below
``api``) never imports the web framework.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "coopgraph"

RANKS: dict[str, int] = {
    "": 0,
    "config": 0,
    "errors": 0,
    "namespaces": 0,
    "negotiation": 0,
    "sparqltext": 0,
    "templating": 0,
    "rdfinput": 0,
    "sandbox": 0,
    "queries": 1,
    "store": 2,
    "validation": 3,
    "protocol": 3,
    "linkeddata": 3,
    "network": 3,
    "explore": 3,
    "matching": 3,
    "directory": 3,
    "indicators": 3,
    "auth": 3,
    "audit": 3,
    "gate": 3,
    "contrib": 3,
    "api": 4,
    "cli": 5,
}
WEB_FRAMEWORK = ("fastapi", "starlette", "uvicorn")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports_of(name: str, path: Path, known: set[str]) -> tuple[set[str], set[str]]:
    """The coopgraph modules ``name`` imports (at any depth of its code), and the other top-level names."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    internal: set[str] = set()
    external: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            if target.split(".")[0] != "coopgraph":
                external.add(target.split(".")[0])
                continue
            for alias in node.names:
                full = f"{target}.{alias.name}"
                internal.add(full if full in known else target)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "coopgraph":
                    internal.add(alias.name)
                else:
                    external.add(alias.name.split(".")[0])
    return {m for m in internal if m in known and m != name}, external


def layer(name: str) -> str:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else ""


def graph() -> dict[str, set[str]]:
    found = modules()
    return {name: imports_of(name, path, set(found))[0] for name, path in found.items()}


def test_every_top_level_module_has_a_rank() -> None:
    assert {layer(name) for name in modules()} <= set(RANKS)


@pytest.mark.parametrize("name", sorted(modules()))
def test_imports_point_down(name: str) -> None:
    found = modules()
    internal, external = imports_of(name, found[name], set(found))
    upward = sorted(m for m in internal if RANKS[layer(m)] > RANKS[layer(name)])
    assert upward == [], f"{name} imports from a layer above it: {upward}"
    if RANKS[layer(name)] < RANKS["api"]:
        assert not external & set(WEB_FRAMEWORK), f"{name} imports the web framework"


def strongly_connected(edges: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm: the groups of modules that import each other, directly or not."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for v in edges:
        if v not in index:
            visit(v)
    return groups


def test_cycle_finder_finds_a_cycle() -> None:
    assert strongly_connected({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycles() -> None:
    assert strongly_connected(graph()) == []
