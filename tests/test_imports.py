"""No import circles among the modules of ``crawler/``, ``spiders/`` and ``pipelines/``.

Every import counts, wherever it is written: at module level, inside a function (a function-local
import does not make a circle go away, it only hides it until the call), under ``TYPE_CHECKING``,
and ``importlib.import_module(f"package.{name}")`` (counted as importing every module directly in
``package``). An import names the module it loads, not its parent packages: ``from a.b import c``
depends on ``a.b.c`` when that is a module, else on ``a.b``.

A circle is a strongly connected component of that graph. ``KNOWN_CIRCLES`` lists, exactly, the
circles the code has today (issue 16: the page layer lives inside ``crawler/platforms/``, so
discovery and outreach import platforms and platforms import them back). It is an allow-list that
may only shrink: a new circle, or a module joining a known one, fails; a circle that the redesign
(``crawler/page/``, one reading step) removes fails too until it is deleted here. When the list is
empty, the allow-list goes and the test simply says "no circle".
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("crawler", "spiders", "pipelines")

KNOWN_CIRCLES = {
    # platforms/generic.py -> outreach -> outreach/context.py -> platforms/generic.py (function-local).
    frozenset(
        {
            "crawler.outreach",
            "crawler.outreach.access",
            "crawler.outreach.contact",
            "crawler.outreach.context",
            "crawler.outreach.meetups",
            "crawler.outreach.practised",
            "crawler.platforms.generic",
        }
    ),
    # discovery/links.py -> platforms (function-local) -> the adapters -> discovery/links.py.
    frozenset(
        {
            "crawler.discovery.links",
            "crawler.platforms",
            "crawler.platforms.lemmy",
            "crawler.platforms.mastodon",
            "crawler.platforms.mediawiki",
        }
    ),
}


def project_modules() -> dict[str, Path]:
    """Dotted name -> file of every module of the three packages."""
    modules = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> dict[str, int]:
    """The project modules ``name`` imports, each with the line of its first import."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found: dict[str, int] = {}

    def add(target: str, line: int) -> None:
        if target in modules and target != name:
            found.setdefault(target, line)

    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(alias.name, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            for alias in node.names:
                add(f"{source}.{alias.name}" if f"{source}.{alias.name}" in modules else source, node.lineno)
        elif (
            isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", None)) == "import_module"
        ):
            argument = node.args[0] if node.args else None
            if isinstance(argument, ast.JoinedStr) and isinstance(argument.values[0], ast.Constant):
                prefix = str(argument.values[0].value)
                for module in modules:
                    if module.startswith(prefix) and "." not in module[len(prefix) :]:
                        add(module, node.lineno)
    return found


def import_graph() -> dict[str, dict[str, int]]:
    modules = project_modules()
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def circles(graph: dict[str, dict[str, int]]) -> set[frozenset[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: set[frozenset[str]] = set()

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in graph[module]:
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == module:
                    break
            if len(component) > 1:
                found.add(frozenset(component))

    for module in graph:
        if module not in index:
            visit(module)
    return found


def describe(circle: frozenset[str], graph: dict[str, dict[str, int]]) -> str:
    edges = [
        f"  {module} -> {target} (line {line})"
        for module in sorted(circle)
        for target, line in sorted(graph[module].items())
        if target in circle
    ]
    return "\n".join(edges)


def test_the_graph_sees_function_local_and_dynamic_imports():
    graph = import_graph()
    assert "crawler.platforms" in graph["crawler.discovery.links"]  # imported inside a function
    assert {"crawler.platforms.phpbb", "crawler.platforms.generic"} <= set(graph["crawler.platforms"])  # importlib
    assert "crawler.platforms.base" in graph["crawler.platforms.phpbb"]
    assert len(graph) > 100


def test_no_import_circle_beyond_the_known_ones():
    graph = import_graph()
    found = circles(graph)
    new = [describe(circle, graph) for circle in found - KNOWN_CIRCLES]
    assert not new, "new import circle(s):\n" + "\n\n".join(new)
    gone = [sorted(circle) for circle in KNOWN_CIRCLES - found]
    assert not gone, f"circle(s) gone (or changed): delete them from KNOWN_CIRCLES: {gone}"
